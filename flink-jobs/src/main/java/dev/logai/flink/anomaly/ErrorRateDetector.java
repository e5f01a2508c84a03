package dev.logai.flink.anomaly;

import dev.logai.common.contract.Metric;
import dev.logai.flink.window.WindowMetrics;
import java.util.List;
import java.util.Locale;

/**
 * The source's error rate ((ERROR + FATAL) / lines) against its {@link EwmDetector} baseline,
 * and a window's error lines against the usual rate ({@link #usualRate}: the baseline, or the
 * pooled rate of its routine windows when higher) and lines per failure ({@link ErrorClusters}). A
 * statistical flag also needs an effect an SRE would care about: at least {@value #MIN_ERRORS}
 * error lines, {@value #MIN_ERROR_RATE_RISE} more error rate, and a rise the window's size makes
 * unlikely ({@link #binomialZ}), so a quiet source's noise never pages anyone. A rise too small
 * for any one window but lasting (0.5% → 2% and staying) is found by its {@link RateShift}.
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
            Anomaly shift = lastingRise(m, d, errors, m.counts.lines, "", "", s, baselines);
            return shift == null || explainedByAService(shiftOf(d), baselines) ? List.of() : List.of(shift);
        }
        double usual = usualRate(d); // before the spike's window joins the pooled counts
        double z = spikeZ(d, errors, m.counts.lines);
        spiked(d, errors, m.counts.lines, s);
        return List.of(Anomaly.of(
                m,
                Metric.ERROR_RATE,
                "",
                "",
                rate,
                usual,
                z,
                score,
                "spike",
                baselines.why.of(
                        Explanations.Focus.ERRORS,
                        String.format(
                                Locale.ROOT,
                                "error rate %.1f%% (%d error lines) vs usually %.1f%%",
                                100 * rate,
                                errors,
                                100 * usual))));
    }

    /**
     * A lasting rise of the rate that no window showed on its own ({@link RateShift}), reported once,
     * or null. Called after {@code d} scored the window: its {@link EwmDetector#baseline} is the
     * usual rate before it.
     *
     * @param service "" for the whole source
     * @param label   how the reason names the rate: "" or "service api: "
     */
    static Anomaly lastingRise(
            WindowMetrics m,
            EwmDetector d,
            long errors,
            long lines,
            String service,
            String label,
            DetectorSettings s,
            Baselines baselines) {
        RateShift shift = shiftOf(d);
        // Three warm-ups: the reference rate of a run must be well estimated (a sparse error rate's
        // early baseline is rough, and a CUSUM against too low a reference adds up).
        if (d.n <= 3L * s.warmup()) {
            shift.observe(errors, lines);
            return null;
        }
        if (!shift.update(errors, lines, d.baseline, s, m.windowStart)) {
            return null;
        }
        double rate = lines == 0 ? 0 : (double) errors / lines;
        double z = binomialZ(shift.evidenceErrors, shift.evidenceLines, shift.runUsual);
        double x = z / s.threshold();
        // The reason's span is the evidence's, from its first window (a service logging now and then
        // has windows without lines in between), and its rate the evidence's own: what happened.
        long size = Math.max(1, m.windowEnd - m.windowStart);
        long spanned = shift.evidenceStart == Long.MIN_VALUE || shift.evidenceStart > m.windowStart
                ? shift.runWindows
                : Math.max(shift.runWindows, (m.windowEnd - shift.evidenceStart + size - 1) / size);
        Anomaly a = Anomaly.of(
                m,
                Metric.ERROR_RATE,
                service,
                "",
                rate,
                shift.runUsual,
                z,
                x * x / (x * x + 1),
                "spike",
                why(
                        baselines.why,
                        service,
                        String.format(
                                Locale.ROOT,
                                "%serror rate %.1f%% lately, %.1f%% over the last %d windows (%d error lines), vs"
                                        + " usually %.1f%%: a lasting rise",
                                label,
                                100 * shift.runRate,
                                100.0 * shift.evidenceErrors / Math.max(1, shift.evidenceLines),
                                spanned,
                                shift.evidenceErrors,
                                100 * shift.runUsual)));
        return a.lastingSince(shift.evidenceStart, shift.runWindows);
    }

    /** A lasting rise's explanation: of the service's own lines for a service's rise ({@code service} not empty). */
    private static String why(Explanations why, String service, String reason) {
        return service.isEmpty() ? why.of(Explanations.Focus.ERRORS, reason) : why.ofServiceErrors(service, reason);
    }

    /**
     * Whether the source's lasting rise is a service's already reported: that service's run still
     * going and still elevated now (its last ~5 windows at least twice its usual rate), with at
     * least half the source's excess error lines over those windows. One incident, one alert —
     * the service's, which says where. The source's run stays reported, so it is not raised later
     * either; a rise elsewhere (lines of no service, other services) is not explained by it.
     *
     * @param source the source's {@link RateShift}, whose run just became certain
     */
    static boolean explainedByAService(RateShift source, Baselines baselines) {
        double sourceExcess = source.recentExcessErrors();
        for (EwmDetector service : baselines.services.values()) {
            RateShift shift = service.shift;
            if (shift != null
                    && shift.reported
                    && shift.elevatedNow()
                    && shift.recentExcessErrors() >= sourceExcess / 2) {
                return true;
            }
        }
        return false;
    }

    /**
     * A spike was reported for this window: its run, if the rate stays up, is not a new rise.
     * Not before the shift's warm-up, so a spike never becomes a young CUSUM's usual rate.
     */
    static void spiked(EwmDetector d, long errors, long lines, DetectorSettings s) {
        // learned before the rest: a failure's cluster is flagged until its size is known
        shiftOf(d).learnClusters(errors, lines);
        if (d.n > 3L * s.warmup()) {
            shiftOf(d).spiked(errors, lines, d.baseline, s);
        }
        // during the warm-up, a spike's window is left out of the pooled usual counts
    }

    static RateShift shiftOf(EwmDetector d) {
        if (d.shift == null) {
            d.shift = new RateShift();
        }
        return d.shift;
    }

    /**
     * Whether a rate {@code d} just scored is a rise worth reporting (shared with the per-service
     * rates). Its errors are judged in failures: divided by the dispersion's estimate (error lines
     * per failure, {@link #spikeDispersion}) or the larger of its lower bounds — the
     * estimate, not a bound as for the lasting-rise test, whose evidence adds up over many windows:
     * a spike is one window, and a lower bound of 3.3–4.1 where a source's failures log 4.5 lines
     * made three or four failures in a night's minute a spike a few times a week.
     */
    static boolean flagged(
            double score, EwmDetector d, long errors, long lines, double rate, double minRise, DetectorSettings s) {
        double usual = usualRate(d);
        return score >= 0.5
                && d.z > 0
                && errors >= MIN_ERRORS
                && rate - usual >= minRise
                && spikeZ(d, errors, lines) >= BINOMIAL_FACTOR * s.threshold()
                && failureZ(errors, lines, usual, spikeDispersion(d), shiftOf(d).recentClean()) >= s.threshold();
    }

    /**
     * How far a window's errors are above the usual rate ({@link #usualRate}), in binomial
     * deviations of failures: {@link #binomialZ} over the square root of the lines per failure
     * ({@link #spikeDispersion}). What a spike is reported with, beside that usual rate.
     */
    static double spikeZ(EwmDetector d, long errors, long lines) {
        return binomialZ(errors, lines, usualRate(d)) / Math.sqrt(spikeDispersion(d));
    }

    /** Lines per failure for a spike test: {@link RateShift#clusterDispersion}'s estimate, or the larger lower bound. */
    static double spikeDispersion(EwmDetector d) {
        return Math.max(shiftOf(d).dispersionForTests(), shiftOf(d).clusterDispersion());
    }

    /**
     * The usual rate a window's errors are judged against for a spike, in [0, 1]: {@code d}'s
     * baseline, or the pooled rate of the routine windows of about the last 100 ({@link
     * RateShift#routineRate}: no spike's, no lasting rise's) when that is higher. The baseline is a
     * clipped EWM of per-window rates, and a sparse rate's windows are mostly 0 and now and then a
     * failure's cluster, which the clipping cuts: a source whose failures log four lines each, at
     * 2.9% of its lines, had a baseline of 1.2%, and three failures in a night's window read as a
     * spike a few times a day. Routine windows only: with an incident's windows pooled too, a 1%
     * service read "usually 3.7%" an hour after a 5-minute outage, and its next incident was no spike.
     */
    static double usualRate(EwmDetector d) {
        double pooled = shiftOf(d).routineRate();
        return Double.isNaN(pooled) ? d.baseline : Math.max(d.baseline, pooled);
    }

    /**
     * How far the window's failures — its error lines over {@code dispersion} lines per failure
     * ({@link ErrorClusters}) — are above what the usual rate expects of them, with its clean lines
     * below their recent number as more evidence: the root of the sum of the two one-sided Poisson
     * deviances, {@code 2·(x·ln(x/μ) − x + μ)} for {@code x} counted and {@code μ} expected (each 0
     * on the other side), the sum of both brought to one degree of freedom's tail (a sum of two
     * read as one made windows with a failure and a quiet minute spikes a few times a day). Close to a normal deviate for the Poisson tail where the normal
     * approximation of {@link #binomialZ} is not: a source with one failure of eight lines an hour
     * sees a window with two of them a few times a day, which that approximation puts at 18
     * deviations and this at 3. The clean lines are what tells an outage from a failure's cluster:
     * its errors are only a few failures' worth, but the requests that succeed are gone — a service
     * of 20 lines a minute whose failures log 5–10 lines, 60% of its requests failing: 12 errors,
     * 1.6 failures' worth, and 8 clean lines where about 20 are usual (against half of them, as
     * first written, a review found such partial outages never reported).
     *
     * @param usualRate   the usual rate in [0, 1] ({@link #usualRate}), floored as in {@link #binomialZ}
     * @param dispersion  error lines per failure, at least 1
     * @param recentClean the clean (non-error) lines of a recent window ({@link RateShift#recentClean});
     *     0: not known
     */
    static double failureZ(long errors, long lines, double usualRate, double dispersion, double recentClean) {
        double p = Math.min(1, Math.max(usualRate, 0.5 / (lines + 1)));
        double failures = errors / dispersion;
        double expected = lines * p / dispersion;
        double clean = lines - errors;
        double errorDeviance = failures > expected ? poissonDeviance(failures, expected) : 0;
        double cleanDeviance = clean < recentClean ? poissonDeviance(clean, recentClean) : 0;
        double deviance = errorDeviance + cleanDeviance;
        if (errorDeviance > 0 && cleanDeviance > 0) {
            // two deviances sum to a χ² of 2 degrees of freedom, whose tail e^(−D/2) is heavier than
            // one's: the deviance of 1 degree with the same tail is about D − ln(π·D/2)
            deviance = Math.max(Math.max(errorDeviance, cleanDeviance), deviance - Math.log(Math.PI * deviance / 2));
        }
        return Math.sqrt(deviance);
    }

    /** {@code 2·(x·ln(x/μ) − x + μ)} for {@code μ > 0} ({@code 2μ} at {@code x = 0}): the Poisson deviance. */
    private static double poissonDeviance(double x, double mu) {
        return x <= 0 ? 2 * mu : 2 * (x * Math.log(x / mu) - x + mu);
    }

    /**
     * How far {@code errors} of {@code lines} is above what the usual rate makes likely, in binomial
     * standard deviations (normal approximation with continuity correction). A window of 40 lines
     * shows 9 errors at a usual 6% now and then; the EWM's variance alone does not know that a rate
     * over few lines is noisier than one over many.
     *
     * @param usualRate the usual rate in [0, 1]; floored at 0.5/(lines+1) so a clean history
     *     does not make one error infinitely surprising
     */
    static double binomialZ(long errors, long lines, double usualRate) {
        double p = Math.min(1, Math.max(usualRate, 0.5 / (lines + 1)));
        double expected = lines * p;
        return (errors - expected - 0.5) / Math.sqrt(Math.max(expected * (1 - p), 0.25));
    }
}
