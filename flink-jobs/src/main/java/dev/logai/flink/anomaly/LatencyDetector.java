package dev.logai.flink.anomaly;

import dev.logai.common.contract.Metric;
import dev.logai.flink.window.WindowMetrics;
import java.util.List;
import java.util.Locale;

/**
 * The p95 latency (ms) of the window's durations against its {@link EwmDetector} baseline, for
 * windows with at least {@value #MIN_LATENCY_SAMPLES} durations (a p95 of fewer is one request);
 * only a slowdown of at least {@value #MIN_LATENCY_RATIO}× is reported.
 */
final class LatencyDetector implements WindowDetector {
    static final long MIN_LATENCY_SAMPLES = 20;
    static final double MIN_LATENCY_RATIO = 1.5;

    @Override
    public List<Anomaly> judge(WindowMetrics m, Baselines baselines) {
        if (m.latency == null || m.latency.count < MIN_LATENCY_SAMPLES) {
            return List.of();
        }
        EwmDetector d = baselines.source.latencyP95;
        double p95 = m.latency.quantile(0.95);
        double score = d.update(p95, baselines.settings);
        if (!(score >= 0.5 && p95 >= MIN_LATENCY_RATIO * d.baseline)) {
            return List.of();
        }
        return List.of(Anomaly.of(
                m,
                Metric.LATENCY_P95,
                "",
                "",
                p95,
                d.baseline,
                d.z,
                score,
                "spike",
                baselines.why.of(
                        Explanations.Focus.LINES,
                        String.format(Locale.ROOT, "p95 latency %.0f ms vs usually %.0f ms", p95, d.baseline))));
    }
}
