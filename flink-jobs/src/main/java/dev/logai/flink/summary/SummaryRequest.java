package dev.logai.flink.summary;

import dev.logai.flink.anomaly.Anomaly;
import dev.logai.flink.window.WindowMetrics;

/**
 * A window chosen for a summary ({@link SelectSummaryWindows}), with the incident it belongs to.
 * Consecutive interesting windows of a source form one incident with one summary (same {@link #id});
 * {@link #refresh} says whether this window brings something new enough to ask the model again, or
 * only extends the incident's time range.
 */
public class SummaryRequest {
    /** The incident's summary id: derived from (org, source, first window), stable across replays. */
    public String id;

    public String orgId;
    public String sourceId;
    /**
     * Start of the incident: its first window's, or earlier where a lasting change in it began
     * ({@link Anomaly#onset}); of the period, for a digest.
     */
    public long incidentStart;

    public long windowStart;
    public long windowEnd;
    /** Interesting windows in the incident so far, this one included. */
    public int windows = 1;
    /** {@code anomaly}, {@code new_templates}, {@code errors} or {@code digest}. */
    public String trigger;

    public boolean refresh = true;
    /** What the incident has shown so far: metric[:service][:template], oldest first. */
    public String[] signals = new String[0];

    public WindowMetrics metrics;
    public Anomaly[] anomalies = new Anomaly[0];

    public SummaryRequest() {}

    /** Whether the incident began before this window: more than one interesting window, or a lasting change's onset. */
    public boolean ongoing() {
        return windows > 1 || incidentStart < windowStart;
    }

    /** The windows from the incident's start to this window's end (at least {@link #windows}). */
    public long spannedWindows() {
        long size = Math.max(1, windowEnd - windowStart);
        return Math.max(windows, (windowEnd - incidentStart + size - 1) / size);
    }

    /** A request about window {@code m} (org, source and time range from it), in an incident begun at {@code incidentStart}. */
    public static SummaryRequest forWindow(
            String id, WindowMetrics m, Anomaly[] anomalies, long incidentStart, String trigger) {
        SummaryRequest r = new SummaryRequest();
        r.id = id;
        r.orgId = m.orgId;
        r.sourceId = m.sourceId;
        r.incidentStart = incidentStart;
        r.windowStart = m.windowStart;
        r.windowEnd = m.windowEnd;
        r.trigger = trigger;
        r.metrics = m;
        r.anomalies = anomalies;
        return r;
    }
}
