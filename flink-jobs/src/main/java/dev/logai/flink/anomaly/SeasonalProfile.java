package dev.logai.flink.anomaly;

import java.util.Arrays;

/**
 * A series' usual value by time of day and by hour of the week (UTC), and whether either explains
 * the series better than its recent level. Learned per series, not configured: a nightly batch
 * job, office-hours traffic or a Monday peak becomes "what this source does at this time".
 *
 * <ul>
 *   <li>Two profiles: 96 daily phases of 15 minutes and 168 weekly phases of one hour. Each phase
 *       has an exponentially weighted mean and (Huber-r) variance of the values seen in it,
 *       weighted by time so each period (day or week) moves it by about {@link #PERIOD_WEIGHT},
 *       whatever the sampling rate; in the profile's first period, a plain average of the
 *       phase's points.</li>
 *   <li>A profile may judge a point only after two whole periods of data, and only while its
 *       squared error, averaged over about one period, is under half the level's
 *       ({@link #BETTER_BY}): a flat or irregular series keeps being judged by its level.</li>
 *   <li>The chosen profile's residual is divided by its phase's own deviation, so a phase that is
 *       always busy and noisy (the nightly job's quarter hour) tolerates more than a quiet one;
 *       the z-score it returns is in the same units as {@link EwmDetector}'s.</li>
 * </ul>
 *
 * State: 528 phase values, 96 × 4 for the last two days' daily phases, 96 × 3 floats for the
 * daily phases' peaks ({@link #habitualPeak}) and a few scalars (about 7.8 KB), however long the
 * series. Fields are
 * public so Flink keeps it as a POJO in keyed state.
 */
public class SeasonalProfile {
    static final int DAY_PHASES = 96;
    static final int WEEK_PHASES = 168;
    static final long DAY_MS = 86_400_000L;
    static final long WEEK_MS = 7 * DAY_MS;
    /** How much one whole period moves a phase's mean. */
    static final double PERIOD_WEIGHT = 0.25;
    /** A profile judges only while its squared error is below this share of the level's. */
    static final double BETTER_BY = 0.5;
    /** A point this many of its phase's deviations off, while the level is far off too, is an incident ({@link HourlyProfile}). */
    static final double OUTLIER_Z = 6;

    /** What judged the last point: the level, or a profile. */
    public enum Model {
        LEVEL,
        DAILY,
        WEEKLY
    }

    /** Mean and variance of the values in each phase; NaN means the phase was never seen. */
    public double[] daily = new double[DAY_PHASES];

    public double[] dailyVar = new double[DAY_PHASES];
    public double[] weekly = new double[WEEK_PHASES];
    public double[] weeklyVar = new double[WEEK_PHASES];
    /** Epoch ms of the first and the previous point; {@link Long#MIN_VALUE} before any. */
    public long firstMs = Long.MIN_VALUE;

    public long previousMs = Long.MIN_VALUE;
    /**
     * Squared errors of the level and of each profile, averaged over about one period of the
     * profile (a day, a week): a nightly burst is one point in a day, but it decides the choice.
     */
    public double dailyError;

    public double levelErrorDay;
    public double weeklyError;
    public double levelErrorWeek;
    /** Variance of all residuals of each profile: the floor of a phase's own deviation. */
    public double dailySpread;

    public double weeklySpread;

    /**
     * Each daily phase's plain mean on the last day it was met before the current one ({@link
     * #previousDay}), and on the current one so far ({@link #currentDay}, {@link #currentDayPoints}),
     * with the epoch day each current mean belongs to (−1: never met): what the phase looked like
     * yesterday exactly, which one incident changes for one day, not for the days the profile's
     * slowly moving mean takes to forget it.
     */
    public double[] previousDay = new double[DAY_PHASES];

    public double[] currentDay = new double[DAY_PHASES];
    public int[] currentDayPoints = new int[DAY_PHASES];
    public int[] currentDayIndex = new int[DAY_PHASES];

    /**
     * Each daily phase's highest value on its current day ({@link #currentDayIndex}), the day
     * before and the day before that (NaN: not met that day): a nightly job's one-point spike,
     * whose time drifts by half an hour from night to night, is a habit no phase's mean shows
     * ({@link #habitualPeak}). Floats: a peak compared within 10% needs no more.
     */
    public float[] peakToday = nanFloats();

    public float[] peakYesterday = nanFloats();
    public float[] peakDayBefore = nanFloats();

    /** Outputs of the last {@link #judge}, for explanations; not state. */
    public transient Model model = Model.LEVEL;

    public transient double expected;
    /**
     * What the last point's daily phase usually is (its mean before the point) and what it was
     * the day before (its plain mean that day), both NaN unless the phase was met the day before.
     * Whether or not the daily profile judges: a caller's effect-size gate may ask "does this
     * time of day look like this, usually and yesterday".
     */
    public transient double dailyUsual = Double.NaN;

    public transient double yesterday = Double.NaN;

    /** The higher of the two peaks the last {@link #habitualPeak} found a habit in; not state. */
    public transient double usualPeak = Double.NaN;

    private transient long rateGap = -1;
    private transient double dailyRate;
    private transient double weeklyRate;

    public SeasonalProfile() {
        Arrays.fill(daily, Double.NaN);
        Arrays.fill(weekly, Double.NaN);
        Arrays.fill(previousDay, Double.NaN);
        Arrays.fill(currentDayIndex, -1);
    }

    private static float[] nanFloats() {
        float[] values = new float[DAY_PHASES];
        Arrays.fill(values, Float.NaN);
        return values;
    }

    /**
     * Judges {@code x} at {@code timestampMs} by the better profile, if one explains the series,
     * then learns from it.
     *
     * @param levelResidual {@code x} minus the level baseline it was judged against (for the model choice)
     * @param clip          residuals beyond this many deviations update the deviation as if they were this large
     * @return the profile's z-score, or NaN when the level should judge this point
     */
    public double judge(double x, long timestampMs, double levelResidual, double clip) {
        if (firstMs == Long.MIN_VALUE) {
            firstMs = timestampMs;
        }
        long elapsed = timestampMs - firstMs;
        // Time since the previous point: the share of a phase this point stands for.
        long gap = previousMs == Long.MIN_VALUE || timestampMs <= previousMs ? 0 : timestampMs - previousMs;
        boolean newPoint = previousMs == Long.MIN_VALUE || timestampMs > previousMs;
        previousMs = Math.max(previousMs, timestampMs);
        int d = (int) Math.floorMod(timestampMs, DAY_MS) / (int) (DAY_MS / DAY_PHASES);
        // Epoch day 0 was a Thursday; weekly phase 0 is Monday 00:00 UTC.
        int w = (int) Math.floorMod(timestampMs / 3_600_000L + 72, WEEK_PHASES);

        double dayRate = Math.min(1.0, (double) gap / DAY_MS);
        double weekRate = Math.min(1.0, (double) gap / WEEK_MS);
        double levelSquare = levelResidual * levelResidual;
        levelErrorDay += dayRate * (levelSquare - levelErrorDay);
        levelErrorWeek += weekRate * (levelSquare - levelErrorWeek);
        // What each phase expected before this point (NaN: never seen), and its variance then.
        double dailyMean = daily[d];
        yesterday = Double.NaN;
        dailyUsual = Double.NaN;
        if (newPoint) {
            // a repeated or older point excuses nothing and is not added to its day twice
            learnDay(d, (int) Math.floorDiv(timestampMs, DAY_MS), x);
        }
        double dailyPhaseVar = dailyVar[d];
        double weeklyMean = weekly[w];
        double weeklyPhaseVar = weeklyVar[w];
        if (!Double.isNaN(dailyMean)) {
            double r = x - dailyMean;
            dailyError += dayRate * (r * r - dailyError);
            dailySpread += dayRate * (r * r - dailySpread);
        }
        if (!Double.isNaN(weeklyMean)) {
            double r = x - weeklyMean;
            weeklyError += weekRate * (r * r - weeklyError);
            weeklySpread += weekRate * (r * r - weeklySpread);
        }
        if (gap != rateGap) {
            // Windows come at a steady pace: the two powers are computed once per distinct gap.
            rateGap = gap;
            dailyRate = phaseRate(gap, DAY_MS / DAY_PHASES);
            weeklyRate = phaseRate(gap, WEEK_MS / WEEK_PHASES);
        }
        learnPhase(daily, dailyVar, d, x, firstPeriodRate(dailyRate, timestampMs, gap, DAY_MS, DAY_MS / DAY_PHASES));
        learnPhase(
                weekly, weeklyVar, w, x, firstPeriodRate(weeklyRate, timestampMs, gap, WEEK_MS, WEEK_MS / WEEK_PHASES));

        boolean dailyUsable =
                elapsed >= 2 * DAY_MS && !Double.isNaN(dailyMean) && dailyError < BETTER_BY * levelErrorDay;
        boolean weeklyUsable =
                elapsed >= 2 * WEEK_MS && !Double.isNaN(weeklyMean) && weeklyError < BETTER_BY * levelErrorWeek;
        // Only the chosen profile's deviation is computed (two square roots, once per point).
        if (weeklyUsable && (!dailyUsable || weeklyError < dailyError)) {
            model = Model.WEEKLY;
            expected = weeklyMean;
            return (x - weeklyMean) / deviation(weeklyPhaseVar, weeklySpread, weeklyMean);
        }
        if (dailyUsable) {
            model = Model.DAILY;
            expected = dailyMean;
            return (x - dailyMean) / deviation(dailyPhaseVar, dailySpread, dailyMean);
        }
        model = Model.LEVEL;
        return Double.NaN;
    }

    /**
     * Whether the level is far off a point: its z-score beyond {@link #OUTLIER_Z}. With {@link
     * #isOutlier} it tells an incident (both far off) from a lasting change, which the level
     * catches up with within the hour.
     */
    static boolean levelFarOff(double levelZ) {
        return Math.abs(levelZ) > OUTLIER_Z;
    }

    /** Whether residual {@code r} is more than {@link #OUTLIER_Z} of the phase's {@link #deviation}s off (no square root). */
    static boolean isOutlier(double r, double phaseVar, double spread, double expected) {
        double floor = Math.max(1e-9, 1e-3 * Math.abs(expected));
        return r * r > OUTLIER_Z * OUTLIER_Z * Math.max(floor * floor, Math.max(phaseVar, spread / 4));
    }

    /**
     * A phase's deviation: its own, floored by half the profile's overall one (a phase seen a
     * few times has a rough variance) and by 0.1% of the expected value.
     */
    static double deviation(double phaseVar, double spread, double expected) {
        // max(√phaseVar, √spread / 2) with one square root
        return Math.max(Math.max(1e-9, 1e-3 * Math.abs(expected)), Math.sqrt(Math.max(phaseVar, spread / 4)));
    }

    /**
     * In a profile's first period, a phase's points so far are averaged plainly (rate 1/n, n from
     * the time since the phase began or the series did): the first day's quarter hour of a daily
     * peak's ramp is the ramp's average, not its first minute moved a little by the others. After
     * the first period, {@code rate}.
     */
    private double firstPeriodRate(double rate, long timestampMs, long gapMs, long periodMs, long phaseMs) {
        // The phase was met a period ago already (the series may have begun inside it): its mean
        // holds that period's points, which this one moves at the usual rate.
        if (gapMs <= 0 || metBefore(timestampMs, periodMs, phaseMs)) {
            return rate;
        }
        long phaseStart = timestampMs - Math.floorMod(timestampMs, phaseMs);
        long since = timestampMs - Math.max(firstMs, phaseStart);
        return Math.max(rate, (double) gapMs / (since + gapMs));
    }

    /**
     * Adds {@code x} to phase {@code d}'s mean of epoch day {@code day}; a new day's first point
     * makes the phase's current mean its previous day's (NaN when that was not the day before).
     * Sets {@link #yesterday} and {@link #dailyUsual}.
     */
    private void learnDay(int d, int day, double x) {
        if (peakToday == null) {
            // defensive: state restored from a version before the peaks without them (a serializer
            // that leaves a new field null); the peaks start over as if the series had just begun
            peakToday = nanFloats();
            peakYesterday = nanFloats();
            peakDayBefore = nanFloats();
        }
        if (currentDayIndex[d] != day) {
            int daysSince = day - currentDayIndex[d];
            peakDayBefore[d] = daysSince == 1 ? peakYesterday[d] : daysSince == 2 ? peakToday[d] : Float.NaN;
            peakYesterday[d] = daysSince == 1 ? peakToday[d] : Float.NaN;
            peakToday[d] = Float.NEGATIVE_INFINITY;
            previousDay[d] = currentDayIndex[d] == day - 1 ? currentDay[d] : Double.NaN;
            currentDay[d] = 0;
            currentDayPoints[d] = 0;
            currentDayIndex[d] = day;
        }
        yesterday = previousDay[d];
        dailyUsual = Double.isNaN(yesterday) ? Double.NaN : daily[d];
        currentDay[d] += (x - currentDay[d]) / ++currentDayPoints[d];
        peakToday[d] = Math.max(peakToday[d], (float) x);
    }

    /** How far, in phases, from this time of day a previous day's peak may have been and still be a habit (±45 minutes). */
    static final int PEAK_REACH = 3;
    /** A peak is a habit's when it reaches at least this share of the point's excess over the level. */
    static final double PEAK_SHARE = 0.5;
    /** A habit's tolerance, as a share of its peaks' excess over the level: the unit of the returned z. */
    static final double PEAK_SPREAD = 0.1;
    /** The two days' peaks are a habit only if they differ by at most this share of their excess over the level. */
    static final double PEAK_AGREEMENT = 0.25;

    /**
     * The z-score of a point above the level against a daily peak habit: on each of the last two
     * days, within {@value #PEAK_REACH} phases of this time of day (±45 minutes, as a cron job's
     * start drifts with the load before it), the series peaked at least half as far above the
     * level as {@code x} is, and the two peaks agree (within {@value #PEAK_AGREEMENT} of their
     * excess). Then {@code x} is judged against the higher of the two peaks, in units of
     * {@value #PEAK_SPREAD} of their excess: a nightly spike like the last two is usual, one twice
     * as high is not, nor one that grows night after night. A habit must show on two days running, so
     * an incident is flagged at least twice before its repeat at the same hour is excused; and the
     * day before must have peaked that high within at most 7 quarter hours (the reach's width), so
     * a series that bursts all day long keeps being judged by its level and hourly habit. Only
     * spikes: a habit of dips is the daily profile's to learn. Call after {@link #judge} for the
     * same point.
     *
     * @param x a value above {@code level}
     * @param level the level baseline {@code x} was judged against
     * @return the z-score (0 when {@code x} is within the habit's peaks), or NaN when there is no
     *     such habit; sets {@link #usualPeak} to the habit's higher peak when there is one
     */
    public double habitualPeak(double x, long timestampMs, double level) {
        if (peakToday == null) {
            return Double.NaN; // restored from a version before the peaks, and no new point yet
        }
        double floor = level + PEAK_SHARE * (x - level);
        double yesterdayPeak = peakNear(timestampMs - DAY_MS);
        double dayBeforePeak = peakNear(timestampMs - 2 * DAY_MS);
        if (!(yesterdayPeak >= floor && dayBeforePeak >= floor)) {
            return Double.NaN; // also NaN when a day was not met
        }
        // A habit of this time of day, not of every hour: a batch job bursting every 10 minutes
        // peaks as high all day long, and its bursts are the level's and the hourly habit's to judge.
        if (phasesPeakingAbove((int) Math.floorDiv(timestampMs - DAY_MS, DAY_MS), floor) > 2 * PEAK_REACH + 1) {
            return Double.NaN;
        }
        double high = Math.max(yesterdayPeak, dayBeforePeak);
        if (high - Math.min(yesterdayPeak, dayBeforePeak) > PEAK_AGREEMENT * (high - level)) {
            // Unlike peaks are no habit: a nightly spike growing day by day must not widen its own
            // tolerance (a review's case: +10 a day on a level of 100 was excused from day 4 on).
            return Double.NaN;
        }
        double spread = PEAK_SPREAD * (high - level);
        usualPeak = high;
        return Math.max(0, x - high) / spread;
    }

    /** The highest value within {@link #PEAK_REACH} phases of {@code timeMs} on its day, NaN when none is known. */
    private double peakNear(long timeMs) {
        double peak = Double.NaN;
        long phaseMs = DAY_MS / DAY_PHASES;
        for (int k = -PEAK_REACH; k <= PEAK_REACH; k++) {
            long t = timeMs + k * phaseMs;
            double p = peakOn((int) Math.floorMod(t, DAY_MS) / (int) phaseMs, (int) Math.floorDiv(t, DAY_MS));
            if (!Double.isNaN(p) && (Double.isNaN(peak) || p > peak)) {
                peak = p;
            }
        }
        return peak;
    }

    /** How many of epoch day {@code day}'s phases peaked at {@code floor} or more. */
    private int phasesPeakingAbove(int day, double floor) {
        int count = 0;
        for (int d = 0; d < DAY_PHASES; d++) {
            if (peakOn(d, day) >= floor) {
                count++;
            }
        }
        return count;
    }

    /** Phase {@code d}'s highest value on epoch day {@code day}, NaN when that day's is not kept or it was not met. */
    private double peakOn(int d, int day) {
        int daysAgo = currentDayIndex[d] - day;
        return daysAgo == 0
                ? peakToday[d]
                : daysAgo == 1 ? peakYesterday[d] : daysAgo == 2 ? peakDayBefore[d] : Float.NaN;
    }

    /** Whether the series had begun by the end of this point's phase one period earlier. */
    private boolean metBefore(long timestampMs, long periodMs, long phaseMs) {
        long phaseStart = timestampMs - Math.floorMod(timestampMs, phaseMs);
        return phaseStart - periodMs >= firstMs - Math.floorMod(firstMs, phaseMs);
    }

    /**
     * The rate at which a point standing for {@code gapMs} of a {@code phaseMs} phase moves that
     * phase: each period moves a phase by {@link #PERIOD_WEIGHT}, whatever the sampling rate.
     */
    private static double phaseRate(long gapMs, long phaseMs) {
        return 1 - Math.pow(1 - PERIOD_WEIGHT, Math.min(1.0, (double) gapMs / phaseMs));
    }

    /**
     * A phase's mean and variance moved towards {@code x} at {@code rate} ({@link #phaseRate}).
     * The phase's first point sets its mean.
     */
    private static void learnPhase(double[] mean, double[] var, int phase, double x, double rate) {
        if (Double.isNaN(mean[phase])) {
            mean[phase] = x;
            var[phase] = 0;
            return;
        }
        // Not clipped: a phase may mix a burst and quiet minutes (a 10-minute job in a quarter
        // hour), and its variance must say so.
        double r = x - mean[phase];
        mean[phase] += rate * r;
        var[phase] = (1 - rate) * (var[phase] + rate * r * r);
    }
}
