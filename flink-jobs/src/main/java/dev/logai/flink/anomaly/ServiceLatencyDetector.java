package dev.logai.flink.anomaly;

import dev.logai.common.contract.Metric;
import dev.logai.flink.window.ServiceCount;
import dev.logai.flink.window.WindowMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Each service's typical latency (the geometric mean of its lines' durations) against its own
 * {@link ServiceLatency}: a lasting rise in one service — a slow leak, a dependency that got slower
 * and stays so — is reported once, with how long it has been building. The source's p95
 * ({@link LatencyDetector}) mixes all services, so one service's climb moves it late or never; this
 * judges each service at its own level. Only services with durations in the window are visited.
 * Lines that name no service (an access log, an app without a service field) are judged together
 * the same way, under {@link #WITHOUT_SERVICE}: the source's own slow leak, reported with {@code
 * service} empty — the p95 alone finds a leak only once its tail has moved far.
 */
final class ServiceLatencyDetector implements WindowDetector {
    /** The key of the lines that name no service (a service's name is never empty). */
    static final String WITHOUT_SERVICE = "";

    @Override
    public List<Anomaly> judge(WindowMetrics m, Baselines baselines) {
        List<Anomaly> found = new ArrayList<>();
        for (Map.Entry<String, ServiceLatency> e : baselines.serviceLatencies.entrySet()) {
            boolean source = e.getKey().equals(WITHOUT_SERVICE);
            ServiceCount c = source ? m.withoutService : m.services.get(e.getKey());
            ServiceLatency l = e.getValue();
            if (c == null || !l.update(c, baselines.window, baselines.settings)) {
                continue;
            }
            double h = ServiceLatency.decisionInterval(baselines.settings);
            found.add(Anomaly.of(
                            m,
                            Metric.LATENCY_GEOMEAN,
                            e.getKey(),
                            "",
                            l.typicalMs,
                            l.usualMs,
                            l.z,
                            l.cusum / (l.cusum + h),
                            "spike",
                            baselines.why.ofServiceLatency(
                                    e.getKey(),
                                    String.format(
                                            Locale.ROOT,
                                            "%stypical latency %.0f ms vs usually %.0f ms, rising over the last"
                                                    + " %d windows%s",
                                            source ? "" : "service " + e.getKey() + ": ",
                                            l.typicalMs,
                                            l.usualMs,
                                            baselines.window - l.runFrom + 1,
                                            l.again
                                                    ? String.format(
                                                            Locale.ROOT,
                                                            ", still rising (%.0f ms when reported before)",
                                                            l.previousMs)
                                                    : "")))
                    .lastingFor(baselines.window - l.runFrom + 1));
        }
        return found;
    }
}
