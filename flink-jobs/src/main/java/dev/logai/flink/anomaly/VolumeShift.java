package dev.logai.flink.anomaly;

/**
 * A lasting drop of a source's volume to half its usual, in the few windows before the level
 * baseline follows it: Page's CUSUM (E. S. Page, "Continuous inspection schemes", Biometrika 1954)
 * of the Gaussian log-likelihood ratio of "the volume is half its usual" against "it is its usual",
 * {@code S = max(0, S + (δ/σ²)·(μ0 − x − δ/2))} with {@code μ0} the usual volume when the run
 * began (held for the run: the level drifts towards a lasting drop), {@code δ = μ0/2}, and
 * {@code σ²} the window-to-window noise.
 *
 * <p>Why a second test beside the level's z-score: the level's deviation is the spread of its
 * residuals, and a daily peak's ramps, which a lagging level trails by many lines for half an
 * hour, widen it for hours (a source of ~110 lines a minute was judged with a deviation of 33
 * lines forty minutes after its peak, its Poisson noise being ~11: a halving was z = −2). The
 * noise here is measured from differences of consecutive windows, {@code (x_t − x_(t−1))²/2}
 * (Huber-clipped at 4 of its deviations, so a burst's edges do not set it), which a smooth ramp or
 * a step barely touches — the usual estimate of noise beside trends and change points (as in
 * Fryzlewicz's wild binary segmentation) — and never below the Poisson variance of the usual
 * count, {@code μ0}.
 *
 * <p>Each window adds at most half the threshold, so one window — a deploy's one-minute dip —
 * never reports alone; the threshold is {@code threshold²} (16 nats at medium sensitivity, as
 * {@link RateShift}); the CUSUM is bounded at twice that, so a recovery drains it within a few
 * windows. A run not yet reported starts again after {@value #MAX_RUN_WINDOWS} windows, its
 * reference stale; a reported one when its recent volume is back to ¾ of the run's usual, or when
 * the usual has learned the new volume (the recent volume is 90% of it): a new run then starts
 * from a usual a lasting drop no longer halves, so one drop is one report. The effect an SRE cares about
 * (halved against every expectation that explains the series, by at least 20 lines) is the
 * caller's, {@link VolumeDetector}, on {@link #recentVolume}. Ten fields of state; public so
 * Flink keeps it as a POJO in keyed state.
 */
public class VolumeShift {
    /** Rate of the noise variance (half-life ≈ 70 windows, as the level's variance). */
    static final double NOISE_ALPHA = 0.01;
    /** Differences beyond this many noise deviations count as this large. */
    static final double NOISE_CLIP = 4;
    /** Differences averaged unclipped first (the first ones may all be alike: a quiet start). */
    static final long CLIP_AFTER = 30;
    /** Rate of the run's recent volume (≈ the last 2–3 windows), for the caller's effect size. */
    static final double RECENT = 0.5;
    /** Rate at which {@link #slowRiseUsual} follows a rise of the usual (≈ 4 hours of one-minute windows). */
    static final double SLOW_RISE = 1.0 / 240;
    /** The longest a run is judged against one reference. */
    static final long MAX_RUN_WINDOWS = 60;
    /**
     * A reported run ends when its recent volume is at least this share of the usual: the usual has
     * learned the new volume. Above ¾, where a new run's expected step, {@code δ/σ²·(¾μ0 − x)}, is
     * negative: at ¾ exactly the new run would be a random walk that reaches any threshold in time.
     */
    static final double LEARNED = 0.9;
    /** A reported run ends when its recent volume is back to this share of the run's usual. */
    static final double RECOVERED = 0.75;
    /** The CUSUM's bound, in thresholds. */
    static final double MAX_CUSUM = 2;

    public double cusum;
    /** The usual volume when the current run began. */
    public double runUsual;
    /** Yesterday's volume at the time of day the run began (NaN: unknown), for {@link #shapedUsual}. */
    public double runYesterday = Double.NaN;
    /**
     * The usual volume, following a fall at once and a rise over hours (rate {@link #SLOW_RISE}):
     * what a drop is compared with while the daily shape is unknown (NaN: no usual yet).
     */
    public double slowRiseUsual = Double.NaN;
    /** Windows in the current run. */
    public long windows;

    /** The caller reported the run ({@link #markReported}): not again until a new run. */
    public boolean reported;
    /** The run's recent volume (EWM, rate {@link #RECENT}). */
    public double recentVolume;
    /** Window-to-window noise variance: half the mean squared difference of consecutive windows. */
    public double noiseVar;
    /** The previous window's volume (NaN: none yet, or a gap since). */
    public double previous = Double.NaN;
    /** Differences seen (the noise is a plain average over the first {@code 1/NOISE_ALPHA}). */
    public long differences;

    public VolumeShift() {}

    /**
     * Adds one window.
     *
     * @param volume lines in the window
     * @param usual  the usual lines of a window before this one (the level baseline), ≥ 0
     * @param yesterday this time of day's lines a window yesterday, or usually if more (NaN:
     *     unknown), kept for {@link #shapedUsual} when a run begins
     * @param judge  false during the series' warm-up: the noise is learned, nothing is tested
     * @return true in each window where the run is past the threshold and not yet {@link
     *     #reported}: the caller reports it when its effect is there too (a peak's ramp-down is
     *     certain but no incident), and then calls {@link #markReported}
     */
    public boolean update(double volume, double usual, double yesterday, boolean judge, DetectorSettings s) {
        learnNoise(volume);
        if (usual > 0) {
            slowRiseUsual = Double.isNaN(slowRiseUsual) || usual < slowRiseUsual
                    ? usual
                    : slowRiseUsual + SLOW_RISE * (usual - slowRiseUsual);
        }
        if (!judge || differences < 2 || !(usual > 0)) {
            return false;
        }
        // A run not reported grows stale; a reported one lasts until the volume is back or the
        // usual has learned the new volume (it is no longer a quarter below it), so the same drop is
        // not judged again against a level still falling to it.
        boolean stale = reported
                ? recentVolume >= LEARNED * usual || recentVolume >= RECOVERED * runUsual
                : windows >= MAX_RUN_WINDOWS;
        if (cusum > 0 && stale) {
            reset();
        }
        double mu0 = cusum == 0 ? usual : runUsual;
        double delta = mu0 / 2;
        double variance = Math.max(noiseVar, mu0);
        double threshold = s.threshold() * s.threshold();
        double llr = Math.min(threshold / 2, delta / variance * (mu0 - volume - delta / 2));
        if (cusum + llr <= 0) {
            reset();
            return false;
        }
        if (cusum == 0) {
            runUsual = mu0;
            runYesterday = yesterday;
            recentVolume = volume;
        }
        // bounded, so a recovery drains it within a few windows however long the drop lasted
        cusum = Math.min(MAX_CUSUM * threshold, cusum + llr);
        windows++;
        recentVolume += RECENT * (volume - recentVolume);
        return !reported && cusum >= threshold;
    }

    /**
     * The run's recent volume against {@code usual}, in noise deviations ({@code σ² = max(noise,
     * usual)}): negative for a drop.
     *
     * @param usual the usual lines a window the report compares with
     */
    public double z(double usual) {
        return (recentVolume - usual) / Math.sqrt(Math.max(noiseVar, Math.max(usual, 1e-9)));
    }

    /**
     * The run's certainty as an anomaly score in [0, 1): {@code e²/(e²+1)} with {@code e² =
     * S/threshold²}, so 0.5 where it was reported first, as the other detectors' scores.
     */
    public double score(DetectorSettings s) {
        double e2 = cusum / (s.threshold() * s.threshold());
        return e2 / (e2 + 1);
    }

    /**
     * What the run's usual volume would be now if the source kept yesterday's daily shape: {@link
     * #runUsual} scaled by yesterday's volume at this time of day over yesterday's when the run
     * began — a daily peak's ramp-down halves the volume in a quarter of an hour, every day. When
     * either of yesterday's volumes is unknown (a source's first day), the run's usual, but no more
     * than {@link #slowRiseUsual}: a peak's lift then counts only as it lasts.
     *
     * @param yesterdayNow this time of day's lines a window yesterday, or usually if more (NaN:
     *     unknown): one incident at either end of yesterday's shape excuses nothing on its own
     */
    public double shapedUsual(double yesterdayNow) {
        if (!(runYesterday > 0) || !(yesterdayNow >= 0)) {
            // no daily shape yet: a peak's lift counts only as it lasts (its end, back to the
            // volume before it, is no drop on a source's first day either)
            return Double.isNaN(slowRiseUsual) ? runUsual : Math.min(runUsual, slowRiseUsual);
        }
        return runUsual * yesterdayNow / runYesterday;
    }

    /**
     * The caller reported this drop (by this test or another): the run is not reported again (see
     * the class comment for when it ends). Without a run in progress, the flag carries only into a
     * run that begins in the next window (any window that begins none clears it).
     */
    public void markReported() {
        reported = true;
    }

    /** Forgets the current run: after a silence (the silence detector's), or when it ends. */
    public void reset() {
        cusum = 0;
        windows = 0;
        reported = false;
    }

    /** The window-to-window noise: half the squared difference, clipped, as a plain then moving average. */
    private void learnNoise(double volume) {
        if (!Double.isNaN(previous)) {
            double d = volume - previous;
            double half = d * d / 2;
            if (differences >= CLIP_AFTER) {
                // never below the Poisson variance of the previous count: a quiet start of identical
                // windows (noise 0) would otherwise clip every later difference to 0
                half = Math.min(half, NOISE_CLIP * NOISE_CLIP * Math.max(noiseVar, Math.max(previous, 1)));
            }
            differences++;
            noiseVar += Math.max(NOISE_ALPHA, 1.0 / differences) * (half - noiseVar);
        }
        previous = volume;
    }

    /** Drops the previous volume: the next difference would span a gap. */
    public void gap() {
        previous = Double.NaN;
    }
}
