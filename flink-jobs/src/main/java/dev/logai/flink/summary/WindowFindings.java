package dev.logai.flink.summary;

import dev.logai.flink.anomaly.Anomaly;
import dev.logai.flink.window.WindowMetrics;

/** One complete window of an (org, source) as the detectors judged it: its metrics and its anomalies. */
public class WindowFindings {
    public WindowMetrics metrics;
    public Anomaly[] anomalies = new Anomaly[0];

    public WindowFindings() {}

    public WindowFindings(WindowMetrics metrics, Anomaly[] anomalies) {
        this.metrics = metrics;
        this.anomalies = anomalies;
    }
}
