package dev.logai.flink.anomaly;

import dev.logai.common.contract.Metric;
import dev.logai.flink.window.ServiceCount;
import dev.logai.flink.window.WindowMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Each service's error rate against its own {@link EwmDetector}, with the effect sizes of
 * {@link ErrorRateDetector} but a rise of at least {@value #MIN_SERVICE_ERROR_RATE_RISE} (a
 * service's rate is over fewer lines, so noisier), and its lasting rises ({@link RateShift}). Only
 * services present in the window are visited.
 */
final class ServiceErrorRateDetector implements WindowDetector {
    /** Absolute rise of a service's rate (0.05 = 5 points). */
    static final double MIN_SERVICE_ERROR_RATE_RISE = 0.05;

    @Override
    public List<Anomaly> judge(WindowMetrics m, Baselines baselines) {
        List<Anomaly> found = new ArrayList<>();
        for (Map.Entry<String, ServiceCount> e : m.services.entrySet()) {
            EwmDetector d = baselines.services.get(e.getKey());
            ServiceCount c = e.getValue();
            double score = d.update(c.errorRate(), baselines.settings);
            if (!ErrorRateDetector.flagged(
                    score, d, c.errors, c.lines, c.errorRate(), MIN_SERVICE_ERROR_RATE_RISE, baselines.settings)) {
                Anomaly shift = ErrorRateDetector.lastingRise(
                        m,
                        d,
                        c.errors,
                        c.lines,
                        e.getKey(),
                        "service " + e.getKey() + ": ",
                        baselines.settings,
                        baselines);
                if (shift != null) {
                    found.add(shift);
                }
            } else {
                double usual = ErrorRateDetector.usualRate(d); // before the spike's window is pooled
                double z = ErrorRateDetector.spikeZ(d, c.errors, c.lines);
                ErrorRateDetector.spiked(d, c.errors, c.lines, baselines.settings);
                found.add(Anomaly.of(
                        m,
                        Metric.ERROR_RATE,
                        e.getKey(),
                        "",
                        c.errorRate(),
                        usual,
                        z,
                        score,
                        "spike",
                        baselines.why.ofServiceErrors(
                                e.getKey(),
                                String.format(
                                        Locale.ROOT,
                                        "service %s: error rate %.1f%% (%d error lines) vs usually %.1f%%",
                                        e.getKey(),
                                        100 * c.errorRate(),
                                        c.errors,
                                        100 * usual))));
            }
        }
        return found;
    }
}
