package dev.logai.flink.anomaly;

/**
 * A streaming detector for one series that learns its shape: its level, its hourly, daily and
 * weekly habits, and its slow drifts. O(1) time per point and about 11 KB of state as Flink serialises it.
 *
 * <p>Three views of each point, one score:
 *
 * <ol>
 *   <li><b>Level or season</b>: the point's residual against the level ({@link EwmDetector}), or
 *       against its time of day or hour of the week when a {@link SeasonalProfile} explains the
 *       series better — learned per series, so a nightly job's burst is "usual at 3:00". A
 *       point usual for its minute of the hour ({@link HourlyProfile}: a half-hourly export) is
 *       excused by that habit: the smaller z counts. So is a spike like those near this time of
 *       day on each of the last two days ({@link SeasonalProfile#habitualPeak}: a nightly job
 *       whose start drifts by half an hour).</li>
 *   <li><b>Drift</b>: an exponentially smoothed copy of the series (rate {@link #SMOOTHING},
 *       ≈ 14 points) judged by a second {@link EwmDetector}. A level shift or a slow leak that is
 *       small point by point is large against the smoothed series' much smaller noise, and is
 *       flagged before the level baseline has absorbed it (a multi-scale check, as in
 *       change-point detection by CUSUM on a smoothed series).</li>
 *   <li>Each view's |z| is judged against the series' own history of surprises
 *       ({@link EwmDetector#surprise}); the point's score is the larger, counted once per onset
 *       (above the decaying recent peak), as {@link EwmDetector} does.</li>
 * </ol>
 *
 * <p>The score is in [0, 1), 0.5 at the threshold of the {@link DetectorSettings}. After
 * {@link #update}, {@link #baseline}, {@link #z} and {@link #view} say what the point was compared
 * with. Fields are public so Flink keeps a detector as a POJO in keyed state.
 */
public class SeriesDetector {
    /** Rate of the smoothed copy judged for drifts (half-life ≈ 14 points). */
    static final double SMOOTHING = 0.05;

    /** Which view gave the score. */
    public enum View {
        LEVEL,
        DAILY,
        WEEKLY,
        DRIFT,
        /** Excused by its minute of the hour ({@link HourlyProfile}): a smaller z than the other views'. */
        HOURLY,
        /** Excused by a spike near this time on each of the last two days ({@link SeasonalProfile#habitualPeak}). */
        DAILY_PEAK
    }

    public EwmDetector level = new EwmDetector();
    public EwmDetector drift = new EwmDetector();
    public SeasonalProfile profile = new SeasonalProfile();
    public HourlyProfile hourly = new HourlyProfile();
    public double smoothed = Double.NaN;
    /** The {@link SeasonalProfile.Model} whose values or residuals {@link #drift} follows. */
    public int driftModel;

    public double peak;

    /** Outputs of the last {@link #update}; not state. */
    public transient double baseline;

    public transient double z;
    public transient View view = View.LEVEL;
    /**
     * The last point's score before the onset rule (0 during warm-up): for a caller that adds
     * gates of its own (an effect size) and so must know the point is still surprising after the
     * statistical onset has passed — a ramp's statistics cross the threshold windows before its
     * effect does.
     */
    public transient double rawScore;
    /**
     * What the hourly habit expected of the last point (a half-hourly export's minute: the level
     * plus the export), NaN when no habit explains the series or this minute: for a caller's
     * effect-size gate.
     */
    public transient double habitExpected = Double.NaN;
    /**
     * What the last point's time of day looked like the day before and usually — {@link
     * SeasonalProfile#yesterday} and {@link SeasonalProfile#dailyUsual} — while the level judges
     * the series (NaN otherwise, and on the series' first day): for a caller's effect-size gate
     * from the second day on, before the daily profile may judge (two days) or when it never does
     * (a daily peak that is a small share of the day does not make the profile explain the series
     * better than the level). Not while a weekly profile judges: a Saturday is not "like Friday".
     */
    public transient double yesterdayExpected = Double.NaN;

    public transient double dailyUsualExpected = Double.NaN;

    public SeriesDetector() {}

    /**
     * Scores {@code x} observed at {@code timestampMs} against what came before, then learns from it.
     *
     * @param timestampMs epoch milliseconds of the point (a window's start); points should come in
     *                    time order, a repeated or older time only skips the profiles' time weighting
     * @return the anomaly score in [0, 1): 0 for a non-finite value, during warm-up or below the
     *         recent peak; 0.5 at the threshold
     */
    public double update(double x, long timestampMs, DetectorSettings s) {
        if (!Double.isFinite(x)) {
            return 0;
        }
        double levelZ = level.judge(x);
        double levelBaseline = level.baseline;
        // The first point has no level to compare with (residual 0); no profile judges before two periods.
        boolean levelFarOff = SeasonalProfile.levelFarOff(levelZ);
        double seasonalZ = profile.judge(x, timestampMs, level.n == 1 ? 0 : x - levelBaseline, s.clip());
        boolean seasonal = !Double.isNaN(seasonalZ);
        yesterdayExpected = seasonal ? Double.NaN : profile.yesterday;
        dailyUsualExpected = seasonal ? Double.NaN : profile.dailyUsual;
        double hourlyZ = hourly.judge(x, timestampMs, level.n == 1 ? x : levelBaseline, levelFarOff);
        habitExpected = Double.isNaN(hourlyZ) ? Double.NaN : hourly.expected;
        // A spike the level finds far off may be a nightly job's, seen near this time on each of
        // the last two days: judged against those peaks, it is usual unless much higher.
        double peakZ =
                levelFarOff && x > levelBaseline ? profile.habitualPeak(x, timestampMs, levelBaseline) : Double.NaN;
        boolean habitualPeak = peakZ <= s.clip();
        if (level.n > 1) {
            // The level counts every point, but its deviation learns only what no habit expected:
            // a half-hourly export's bursts, usual at :00 and :30, must not widen the deviation a
            // burst of trouble at :10 is judged with (they would, by the long-run floor, about 3×).
            double residual = x - levelBaseline;
            // Only for a point the level finds far off (beyond 6 deviations, as HourlyProfile's
            // outlier rule) and the habit finds usual (within the clip): for an ordinary point,
            // keeping the smaller of two noisy residuals would shrink the deviation below the
            // noise; for an incident or a lasting shift, the level must widen as it always did.
            boolean habitual = !Double.isNaN(hourlyZ) && levelFarOff && Math.abs(hourlyZ) <= s.clip();
            // What the habit left, in the level's deviations: its own z (the habit's phase is
            // noisier than a quiet minute, and its excess noise is the habit's, not the level's).
            double left = habitual ? hourlyZ * level.deviation : habitualPeak ? peakZ * level.deviation : residual;
            level.absorb(residual, left, s);
        }
        // The drift view follows the model in charge: the value itself, or its z-score against
        // the profile's phase (so a nightly burst, even one shorter than a phase, is not a drift).
        // When the model changes, it starts over.
        SeasonalProfile.Model model = seasonal ? profile.model : SeasonalProfile.Model.LEVEL;
        if (model.ordinal() != driftModel) {
            driftModel = model.ordinal();
            drift = new EwmDetector();
            smoothed = Double.NaN;
        }
        double driftInput = seasonal ? seasonalZ : x;
        if (habitualPeak && !seasonal) {
            // The usual spike is no drift either: the drift sees what the habit left of it. (A
            // daily profile's phase already expects its spikes, and its quiet minutes too.)
            driftInput = levelBaseline + peakZ * level.deviation;
        }
        smoothed = Double.isNaN(smoothed) ? driftInput : smoothed + SMOOTHING * (driftInput - smoothed);
        double driftZ = drift.learn(smoothed, s);
        baseline = levelBaseline;
        z = levelZ;
        view = View.LEVEL;
        rawScore = 0;
        if (level.n <= s.warmup()) {
            return 0;
        }
        if (seasonal) {
            z = seasonalZ;
            baseline = profile.expected;
            view = profile.model == SeasonalProfile.Model.WEEKLY ? View.WEEKLY : View.DAILY;
        }
        // An hourly habit only explains a point (a half-hourly export's burst is usual at :00 and
        // :30): the point is judged by whichever finds it less surprising, so the hourly view never
        // makes this point's z larger than the others'.
        if (!Double.isNaN(hourlyZ) && Math.abs(hourlyZ) < Math.abs(z)) {
            z = hourlyZ;
            baseline = hourly.expected;
            view = View.HOURLY;
        }
        if (peakZ < Math.abs(z)) {
            z = peakZ;
            baseline = profile.usualPeak;
            view = View.DAILY_PEAK;
        }
        double score = level.surprise(Math.abs(z), s);
        if (drift.n > s.warmup()) {
            double driftScore = drift.surprise(Math.abs(driftZ), s);
            if (driftScore > score) {
                score = driftScore;
                z = driftZ;
                baseline = seasonal ? profile.expected : drift.baseline;
                view = View.DRIFT;
            }
        }
        rawScore = score;
        double previousPeak = peak;
        peak = Math.max(peak * EwmDetector.PEAK_DECAY, score);
        return score <= previousPeak ? 0 : score;
    }
}
