package dev.logai.flink.anomaly;

import dev.logai.common.contract.Metric;
import dev.logai.flink.window.WindowMetrics;
import java.util.List;
import java.util.Locale;

/**
 * The source's error rate ((ERROR + FATAL) / lines) against its {@link EwmDetector} baseline. A
 * statistical flag also needs an effect an SRE would care about: at least {@value #MIN_ERRORS}
 * error lines, {@value #MIN_ERROR_RATE_RISE} more error rate, and a rise the window's size makes
 * unlikely ({@link #binomialZ}), so a quiet source's noise never pages anyone.
 */
final class ErrorRateDetector implements WindowDetector {
    static final long MIN_ERRORS = 5;
    /** Absolute rise of the rate (0.02 = 2 points). */
    static final double MIN_ERROR_RATE_RISE = 0.02;
    /** An error-rate rise must also be this many times the threshold in binomial deviations. */
    static final double BINOMIAL_FACTOR = 1.5;

    @Override
    public List<Anomaly> judge(WindowMetrics m, Baselines baselines) {
        EwmDetector d = baselines.source.errorRate;
        DetectorSettings s = baselines.settings;
        double rate = m.errorRate();
        double score = d.update(rate, s);
        long errors = m.counts.error + m.counts.fatal;
        if (!flagged(score, d, errors, m.counts.lines, rate, MIN_ERROR_RATE_RISE, s)) {
            return List.of();
        }
        return List.of(Anomaly.of(
                m,
                Metric.ERROR_RATE,
                "",
                "",
                rate,
                d.baseline,
                d.z,
                score,
                "spike",
                baselines.why.of(
                        Explanations.Focus.ERRORS,
                        String.format(
                                Locale.ROOT,
                                "error rate %.1f%% (%d error lines) vs usually %.1f%%",
                                100 * rate,
                                errors,
                                100 * d.baseline))));
    }

    /** Whether a rate {@code d} just scored is a rise worth reporting (shared with the per-service rates). */
    static boolean flagged(
            double score, EwmDetector d, long errors, long lines, double rate, double minRise, DetectorSettings s) {
        return score >= 0.5
                && d.z > 0
                && errors >= MIN_ERRORS
                && rate - d.baseline >= minRise
                && binomialZ(errors, lines, d.baseline) >= BINOMIAL_FACTOR * s.threshold();
    }

    /**
     * How far {@code errors} of {@code lines} is above what the usual rate makes likely, in binomial
     * standard deviations (normal approximation with continuity correction). A window of 40 lines
     * shows 9 errors at a usual 6% now and then; the EWM's variance alone does not know that a rate
     * over few lines is noisier than one over many.
     *
     * @param usualRate the baseline rate in [0, 1]; floored at 0.5/(lines+1) so a clean history
     *     does not make one error infinitely surprising
     */
    static double binomialZ(long errors, long lines, double usualRate) {
        double p = Math.min(1, Math.max(usualRate, 0.5 / (lines + 1)));
        double expected = lines * p;
        return (errors - expected - 0.5) / Math.sqrt(Math.max(expected * (1 - p), 0.25));
    }
}
