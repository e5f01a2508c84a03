package dev.logai.flink.anomaly;

import java.util.Arrays;

/**
 * A series' usual offset from its level at each minute of the hour (UTC), and whether that habit
 * explains the series: the hourly seasonality of anomaly monitors (Datadog's offers hourly, daily
 * and weekly), for the jobs that run every hour, half hour or quarter hour — an export's burst at
 * :00 and :30, a cache refresh at :15.
 *
 * <ul>
 *   <li>60 phases of one minute, each with two habits, each an exponentially weighted mean and
 *       variance: the point's difference from the level ({@code x - level}, an additive seasonal
 *       term as in additive Holt-Winters: a job that adds its own ~150 lines whatever the traffic)
 *       and its log ratio to the level ({@code ln((1 + x) / (1 + level))}, a multiplicative factor
 *       as in multiplicative Holt-Winters: a habit that scales with the traffic and survives a shift
 *       of the level). Each hour moves a phase by about {@link SeasonalProfile#PERIOD_WEIGHT},
 *       whatever the sampling rate. For non-negative series (counts, durations).</li>
 *   <li>A habit judges only after {@link #HORIZON_MS} of data, and only while its squared error,
 *       averaged over that horizon, is under half the level's ({@link SeasonalProfile#BETTER_BY}) —
 *       leaving out points more than {@value #OUTLIER_Z} deviations from the habit while the level
 *       is far off too, which an incident's are (they move the habit as if they were that far, a
 *       Huber step), so one incident does not blind the comparison for hours nor become a habit:
 *       an hourly habit shows every hour, while a daily change (a shift starting at 9:00) falls on
 *       one minute of the hour once a day and must not make that minute look like a habit. A
 *       minute whose usual offset from the level is plain ({@value #PHASE_Z} of its deviations)
 *       judges by its habit even when the whole series' comparison does not hold: a level far off
 *       for hours (a p95 that follows the day's traffic mix) inflates both squared errors alike
 *       and would hide an export's minutes for most of a day.</li>
 *   <li>Its z-score only ever excuses a point (the caller keeps the smaller of it and the level's,
 *       and of the two habits the one that finds the point less surprising): a habit says what is
 *       usual, never what is not.</li>
 * </ul>
 *
 * State: 240 phase values and a few scalars (about 2 KB). Fields are public so Flink keeps it as a
 * POJO in keyed state.
 */
public class HourlyProfile {
    static final int PHASES = 60;
    static final long HOUR_MS = 3_600_000L;
    /** The averaging horizon of the errors, and the data needed before judging: six hours. */
    static final long HORIZON_MS = 6 * HOUR_MS;
    /** A point this many of its phase's deviations from the habit is left out of the error comparison. */
    static final double OUTLIER_Z = SeasonalProfile.OUTLIER_Z;
    /**
     * A minute whose usual offset from the level is this many of its deviations has a habit of its
     * own, whether or not the habit explains the whole series (an hour's one-off moves a phase by a
     * quarter: 0.6 of its deviations; two hours of one: 0.9).
     */
    static final double PHASE_Z = 3;

    /** The additive habit: the difference from the level in each minute of the hour. */
    public Habit difference = new Habit();
    /** The multiplicative habit: the log ratio to the level in each minute of the hour. */
    public Habit ratio = new Habit();
    /** Epoch ms of the first and the previous point; {@link Long#MIN_VALUE} before any. */
    public long firstMs = Long.MIN_VALUE;

    public long previousMs = Long.MIN_VALUE;

    /** The value the last {@link #judge} expected by the habit that excused it; not state. */
    public transient double expected;

    private transient long rateGap = -1;
    private transient double rate;

    public HourlyProfile() {}

    private static final double LN2 = Math.log(2);
    /** Mantissa cells of {@link #ln}: the top {@value #LN_CELL_BITS} bits of the mantissa. */
    private static final int LN_CELL_BITS = 7;

    private static final int LN_CELLS = 1 << LN_CELL_BITS;
    /** Each cell's lowest mantissa c = 1 + k/128, as ln c and 1/c. */
    private static final double[] LN_CELL_LOG = new double[LN_CELLS];

    private static final double[] LN_CELL_INVERSE = new double[LN_CELLS];

    static {
        for (int k = 0; k < LN_CELLS; k++) {
            double c = 1 + (double) k / LN_CELLS;
            LN_CELL_LOG[k] = Math.log(c);
            LN_CELL_INVERSE[k] = 1 / c;
        }
    }

    /**
     * The natural logarithm of {@code v > 0} to about 1e-11: the exponent from the bits, the
     * mantissa m in [1, 2) as c·(1 + u) with c its cell's lowest value (a 128-entry table of ln c
     * and 1/c) and 0 ≤ u < 1/128, and ln(1 + u) by its Taylor series to the u⁴ term (the rest is
     * under u⁵/5 < 1e-11) — the table-driven method of Tang (ACM TOMS 16, 1990). A few
     * multiplications and no division instead of a library call per point: the detector's budget
     * is a few hundred nanoseconds per window.
     */
    static double ln(double v) {
        if (!(v >= Double.MIN_NORMAL && v <= Double.MAX_VALUE)) {
            return Math.log(v); // 0, subnormal, infinite or NaN: the library's answer
        }
        long bits = Double.doubleToRawLongBits(v);
        int exponent = (int) ((bits >>> 52) & 0x7ff) - 1023;
        int cell = (int) ((bits >>> (52 - LN_CELL_BITS)) & (LN_CELLS - 1));
        double m = Double.longBitsToDouble((bits & 0x000f_ffff_ffff_ffffL) | 0x3ff0_0000_0000_0000L);
        double u = m * LN_CELL_INVERSE[cell] - 1;
        double series = u * (1 - u * (0.5 - u * (1.0 / 3 - u * 0.25)));
        return exponent * LN2 + LN_CELL_LOG[cell] + series;
    }

    /** One habit: per-phase mean and variance of a residual, and how well it explains the series. */
    public static class Habit {
        /** Mean and variance of the residual in each minute of the hour; NaN: never seen. */
        public double[] mean = new double[PHASES];

        public double[] variance = new double[PHASES];
        /** Squared errors of the habit and of the level, averaged over {@link #HORIZON_MS}. */
        public double error;

        public double levelError;
        /** Variance of all the habit's residuals: the floor of a phase's own deviation. */
        public double spread;

        public Habit() {
            Arrays.fill(mean, Double.NaN);
        }

        /**
         * The z-score of {@code residual} against its phase's usual one (NaN while neither the habit
         * explains the series nor the phase's own offset is plain, or the phase was never seen),
         * then learns from it.
         */
        double judge(
                int phase,
                double residual,
                double horizonRate,
                double rate,
                boolean judging,
                double floor,
                boolean levelFarOff) {
            double usual = mean[phase];
            double phaseVar = variance[phase];
            if (Double.isNaN(usual)) {
                levelError += horizonRate * (residual * residual - levelError);
                mean[phase] = residual;
                variance[phase] = 0;
                return Double.NaN;
            }
            double r = residual - usual;
            // Once judging, a point neither the level nor the habit expected (an incident) says
            // nothing about which explains the series better: it is left out of the comparison (its
            // squared errors would tie the two averages for hours), and moves its phase as if it were
            // OUTLIER_Z deviations off (a Huber step), so the habit does not expect the incident an
            // hour later, while a new hourly job still widens its phase and becomes a habit within
            // hours. A lasting change is soon not an incident: the level catches up with it.
            boolean outlier = judging && levelFarOff && SeasonalProfile.isOutlier(r, phaseVar, spread, floor);
            double clipped = r;
            if (outlier) {
                clipped = Math.copySign(OUTLIER_Z * SeasonalProfile.deviation(phaseVar, spread, floor), r);
            } else {
                levelError += horizonRate * (residual * residual - levelError);
                error += horizonRate * (r * r - error);
            }
            spread += horizonRate * (clipped * clipped - spread);
            mean[phase] += rate * clipped;
            variance[phase] = (1 - rate) * (variance[phase] + rate * clipped * clipped);
            // The habit explains the series (its error well under the level's), or at least this
            // minute: its usual offset from the level is plain, PHASE_Z of its deviations — an
            // export's minutes, on a series whose level swings over the day for other reasons
            // (a p95 that follows the traffic mix), which inflates both errors alike.
            if (!judging) {
                return Double.NaN;
            }
            double deviation = SeasonalProfile.deviation(phaseVar, spread, floor);
            boolean explains = error < SeasonalProfile.BETTER_BY * levelError;
            if (!explains && !(Math.abs(usual) >= PHASE_Z * deviation)) {
                return Double.NaN;
            }
            return r / deviation;
        }
    }

    /**
     * How many times the hour's typical minute this minute of the hour ({@code timestampMs}'s)
     * usually is: e to its multiplicative habit's usual log ratio to the level less the mean of
     * the 60 minutes' — so a rise of the whole series (a creep, a busier day) moves the minutes
     * alike, each as its turn comes within the hour, while an export's minutes stand out. NaN
     * before {@link #HORIZON_MS} of data or for a minute never seen.
     */
    public double relativeToTypicalMinute(long timestampMs) {
        if (firstMs == Long.MIN_VALUE || timestampMs - firstMs < HORIZON_MS) {
            return Double.NaN;
        }
        int phase = (int) Math.floorMod(timestampMs, HOUR_MS) / (int) (HOUR_MS / PHASES);
        double own = ratio.mean[phase];
        double sum = 0;
        int seen = 0;
        for (double m : ratio.mean) {
            if (!Double.isNaN(m)) {
                sum += m;
                seen++;
            }
        }
        return Double.isNaN(own) ? Double.NaN : Math.exp(own - sum / seen);
    }

    /**
     * Judges {@code x} at {@code timestampMs} by its minute's habits, if one explains the series
     * or this minute's offset is plain, then learns from it.
     *
     * @param x the value, at least 0 (a count, a duration)
     * @param level the level baseline {@code x} was judged against, at least 0
     * @param levelFarOff whether the level finds {@code x} far off too ({@link SeasonalProfile#levelFarOff}):
     *     only then can it be an incident, left out of the habits' comparison with the level
     * @return of the habits that explain the series or this minute, the z-score (a standard
     *     score, as {@link EwmDetector}'s) of the one that finds {@code x} less surprising; NaN when
     *     none does
     */
    public double judge(double x, long timestampMs, double level, boolean levelFarOff) {
        if (firstMs == Long.MIN_VALUE) {
            firstMs = timestampMs;
        }
        long gap = previousMs == Long.MIN_VALUE || timestampMs <= previousMs ? 0 : timestampMs - previousMs;
        previousMs = Math.max(previousMs, timestampMs);
        int phase = (int) Math.floorMod(timestampMs, HOUR_MS) / (int) (HOUR_MS / PHASES);
        double horizonRate = Math.min(1.0, (double) gap / HORIZON_MS);
        if (gap != rateGap) {
            rateGap = gap;
            rate = 1 - Math.pow(1 - SeasonalProfile.PERIOD_WEIGHT, Math.min(1.0, (double) gap / (HOUR_MS / PHASES)));
        }
        boolean judging = timestampMs - firstMs >= HORIZON_MS;
        double usualDifference = difference.mean[phase];
        double usualRatio = ratio.mean[phase];
        double scale = 1 + Math.max(0, level);
        // floors: 0.1% of the level for the difference, a 0.1% ratio for the log ratio
        double byDifference = difference.judge(phase, x - level, horizonRate, rate, judging, level, levelFarOff);
        // one logarithm per point: of the ratio, not of each side
        double byRatio =
                ratio.judge(phase, ln((1 + Math.max(0, x)) / scale), horizonRate, rate, judging, 1.0, levelFarOff);
        if (!Double.isNaN(byRatio) && (Double.isNaN(byDifference) || Math.abs(byRatio) < Math.abs(byDifference))) {
            expected = scale * Math.exp(usualRatio) - 1;
            return byRatio;
        }
        if (!Double.isNaN(byDifference)) {
            expected = Math.max(0, level + usualDifference); // counts and durations are never negative
        }
        return byDifference;
    }
}
