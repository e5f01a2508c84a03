package dev.logai.flink.anomaly;

import dev.logai.flink.window.WindowMetrics;
import java.io.Serializable;
import java.util.List;

/**
 * One kind of anomaly, judged on each complete window of a source. {@link DetectAnomalies} reads
 * the source's baselines from keyed state, calls every detector in its list in order, and writes
 * the baselines back: a detector holds no state of its own and touches no Flink API, so adding a
 * detector is one class and one line in {@link DetectAnomalies#DETECTORS}. Serializable, as the
 * operator that holds the list is shipped to the task managers.
 */
public interface WindowDetector extends Serializable {

    /**
     * Judges {@code window} against {@code baselines} and moves the baselines it owns by one window.
     *
     * @param window    a complete window, never one already judged (the operator drops those)
     * @param baselines the source's baselines as they stand before this window, mutated in place
     * @return the anomalies found, in the order they are reported (empty if none); the operator
     *     drops them while the source is warming up, so a detector does not check that itself
     */
    List<Anomaly> judge(WindowMetrics window, Baselines baselines);
}
