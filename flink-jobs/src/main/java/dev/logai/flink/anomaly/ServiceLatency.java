package dev.logai.flink.anomaly;

import dev.logai.flink.window.ServiceCount;

/**
 * One service's typical latency and its lasting rises: a slow leak (latency creeping up over an
 * hour) or a step that stays. A Flink POJO in keyed state, twenty-three numbers.
 *
 * <p>What is judged per window (or per pool of a quiet service's windows, until they hold
 * {@value #MIN_DURATIONS} durations) is the mean of the service's ln(duration ms), the log of its
 * geometric mean: the typical request, which one slow outlier barely moves and whose sampling error
 * is known from the spread of the service's requests within a window ({@code s/√n}, with
 * {@code s} the usual spread and {@code n} this window's count). The usual value is a Huber-clipped EWM
 * (as {@link EwmDetector}'s), and a window's deviation has two parts — the sampling error at this
 * window's count, and the between-window variation the service really has beyond it
 * ({@code τ² = var − mean sampling variance}) — so a quiet night's few requests are not more
 * surprising than a busy afternoon's many.
 *
 * <p>Rises are found by Page's CUSUM (E. S. Page, "Continuous inspection schemes", Biometrika
 * 1954) on the standardised residuals {@code u} against the usual value when the run began (held
 * for the run, as the baseline drifts towards a lasting rise): {@code S = max(0, S + u − K)} with
 * {@code K} = {@value #K}, reported once when {@code S} reaches {@link #decisionInterval} and this window's
 * typical latency is at least {@value #MIN_RATIO}× the run's reference. A linear climb to ×2 over
 * an hour is found within about 15 windows of one minute of a busy service (40 requests a window),
 * about 20 at night (15). A run ends when {@code S} falls back
 * to 0 or, once certain (reported, or held back by the effect size), when the baseline has caught
 * up with the recent level (within a quarter of the effect size); the next rise is then reported
 * again. Within a reported run, a level that keeps climbing is reported again each time it is
 * {@value #AGAIN_RATIO}× the last reported one (a leak to ×4 over an hour and a half: about ×1.7,
 * ×2.6, ×3.9), so its incident goes on and says where the latency is now.
 *
 * <p>A latency that wanders with its load has autocorrelated residuals, and a CUSUM adds them up:
 * the residuals are divided by {@link #autocorrelationFactor}, from the lag-1 autocorrelation
 * learned outside rises (G. E. P. Box, G. M. Jenkins, "Time Series Analysis", the variance of a
 * sum of AR(1) terms; the usual remedy for CUSUMs on autocorrelated data). A ±10% wander with
 * autocorrelation 0.5 is then no rise, and a leak on such a service takes 14–27 windows instead of
 * 10–19 on a steady one.
 */
public class ServiceLatency {
    /** A judgement needs at least this many durations of the service (one window's, or pooled). */
    static final long MIN_DURATIONS = 10;
    /** A pool of windows not yet holding {@link #MIN_DURATIONS} durations is dropped after this many windows. */
    static final long MAX_POOLED_WINDOWS = 30;
    /** The smallest decision interval, whatever the sensitivity: ¾·3², high sensitivity's before. */
    static final double MIN_DECISION = 6.75;
    /** The CUSUM's allowance, in deviations: shifts of about 2·K deviations are found fastest, and the
     * reference's own noise does not add up into a false rise. */
    static final double K = 0.75;
    /** The effect an SRE cares about: this window's typical latency at least this times the usual. */
    static final double MIN_RATIO = 1.25;
    /**
     * A reported run whose typical latency — this window's and the last ~5 windows' — has since gone
     * up this much again is reported again: a slow leak that keeps climbing (×4 over an hour and a
     * half) is not one mild anomaly at ×1.7 followed by silence. High enough that a step's noisy
     * first window does not make its settled level look like a further rise.
     */
    static final double AGAIN_RATIO = 1.5;
    /**
     * With {@code lastingOnly}, a run not certain this many windows after it began starts again
     * from the usual value now (about the span of the usual mean's memory).
     */
    static final long MAX_UNCERTAIN_RUN = 60;

    /** Judgements after a report whose typical latency still counts as the reported level. */
    static final int SETTLE_JUDGEMENTS = 5;
    /** The smallest deviation of ln(ms): a 2% change of a perfectly steady latency is not news. */
    static final double MIN_DEVIATION = 0.02;

    /**
     * Rate of the usual mean (≈ the last 50 windows): slow, because the CUSUM adds up every window's
     * residual against it — a reference 0.3 deviations off would make a steady series' false rises
     * hundreds of times more frequent.
     */
    static final double MEAN_ALPHA = 0.02;

    static final double VARIANCE_ALPHA = 0.02;
    static final double RECENT_ALPHA = 0.2;

    /** Rate of the lag-1 autocorrelation estimate (≈ the last 100 pairs of judgements: a standard error of about 0.1). */
    static final double AUTOCORRELATION_ALPHA = 0.01;
    /** The largest autocorrelation the residuals are corrected for: their deviation at most ×3. */
    static final double MAX_AUTOCORRELATION = 0.8;

    /**
     * The durations of the windows not judged yet, pooled until there are {@link #MIN_DURATIONS}
     * (count, Σ ln ms, Σ ln² ms), and the window number the pool began in.
     */
    public long pendingDurations;

    public double pendingSum;
    public double pendingSquares;
    public long pendingFrom;

    /** Judgements made (each of at least {@link #MIN_DURATIONS} durations, of one window or a pool of them). */
    public long n;
    /** Usual mean of ln(ms) per window, its variance between windows, and of that the sampling part. */
    public double mean;

    public double var;
    public double samplingVar;
    /** Usual variance of ln(ms) within a window (the spread of one window's requests). */
    public double spread;

    /** Mean of ln(ms) over about the last 5 windows: the level now, to tell when the baseline caught up. */
    public double recent;

    public double cusum;
    /** The usual mean of ln(ms) when the current run began: its reference. */
    public double runReference;

    public long runWindows;
    /** The window number the current run's first judgement began in. */
    public long runFrom;

    public boolean reported;
    /**
     * The typical latency (ln ms) of the run's last report, raised to the highest of the {@value
     * #SETTLE_JUDGEMENTS} judgements after it: a rise that goes on is reported again at {@value
     * #AGAIN_RATIO}× it. A step first reported in the window it straddles (half old, half new
     * requests) settles higher at once; that is the step, not a further rise.
     */
    public double reportedLevel;
    /** Judgements since the run's last report (for {@link #reportedLevel}). */
    public long sinceReport;
    /** The typical latency (ms) the run's last report said: what a later report quotes. */
    public double reportedMs;
    /** Whether the current run's CUSUM reached the decision interval (reported or held back by the effect size). */
    public boolean runCertain;

    /**
     * The lag-1 autocorrelation of the standardised residuals against the usual value: EWMs of
     * {@code u_t·u_(t−1)} and of {@code u_t²}; a run's pairs count only if its CUSUM never became certain — a
     * rise's own residuals (all high, so strongly "correlated") must not teach the detector to
     * ignore rises.
     */
    public HeldBackMeans lag = new HeldBackMeans(0, 1);
    /** The last judgement's standardised residual (NaN: none yet). */
    public double lastResidual = Double.NaN;

    /** The window number of the last window with this service's durations, to forget services that stopped. */
    public long lastWindow;

    /** Outputs of the last {@link #update}, for explanations; not state. */
    public transient double z;
    /** The last report was a run's later one ({@link #AGAIN_RATIO}); {@link #previousMs} what the one before said. */
    public transient boolean again;

    public transient double previousMs;

    public transient double typicalMs;
    public transient double usualMs;

    public ServiceLatency() {}

    /**
     * Adds one window of the service.
     *
     * @param c      the service's counts in the window; with fewer than {@link #MIN_DURATIONS}
     *               durations they are pooled with the next windows' until there are enough
     * @param window the window number ({@code windowStart / window size})
     * @param s      the sensitivity: its warm-up (judgements before anything is reported), clip and threshold
     * @return true once per lasting rise, in the window where it became certain ({@link #z},
     *     {@link #typicalMs}, {@link #usualMs} and {@link #runFrom} then describe it)
     */
    public boolean update(ServiceCount c, long window, DetectorSettings s) {
        return update(c, window, s, false);
    }

    /**
     * As {@link #update(ServiceCount, long, DetectorSettings)}; with {@code lastingOnly}, a rise is
     * first reported only once the recent level (about the last 5 judgements) is {@value
     * #MIN_RATIO}× the run's reference too, not only this judgement: for a series with bursts of
     * its own (the slowest requests of a source whose batch job runs every 10 minutes), one burst
     * on top of a run is no lasting rise; and a run not certain {@value #MAX_UNCERTAIN_RUN}
     * windows after it began starts again from the usual value now.
     */
    public boolean update(ServiceCount c, long window, DetectorSettings s, boolean lastingOnly) {
        if (c.durations == 0) {
            return false;
        }
        // A quiet service's windows are pooled until they hold enough durations: its leak is then
        // judged every few windows rather than never. A pool left unfinished for too long is stale.
        if (pendingDurations > 0 && window - pendingFrom >= MAX_POOLED_WINDOWS) {
            pendingDurations = 0;
            lastResidual = Double.NaN; // the next judgement is no neighbour of the last one
        }
        if (pendingDurations == 0) {
            pendingFrom = window;
            pendingSum = 0;
            pendingSquares = 0;
        }
        pendingDurations += c.durations;
        pendingSum += c.logDurationSum;
        pendingSquares += c.logDurationSquares;
        if (pendingDurations < MIN_DURATIONS) {
            return false;
        }
        long count = pendingDurations;
        double x = pendingSum / count;
        double within = count < 2 ? 0 : Math.max(0, (pendingSquares - count * x * x) / (count - 1));
        long poolFrom = pendingFrom;
        pendingDurations = 0;
        n++;
        recent = n == 1 ? x : recent + RECENT_ALPHA * (x - recent);
        if (n == 1) {
            mean = x;
            spread = within;
            samplingVar = within / count;
            return false;
        }
        boolean judged = n > s.warmup();
        if (!judged) {
            observeResidual((x - mean) / deviation(count), false);
        }
        boolean rise = judged && judge(x, count, poolFrom, s, lastingOnly);
        learn(x, within, count, s);
        return rise;
    }

    /** The usual deviation of a judgement of {@code count} durations from the usual value: between-window plus sampling. */
    private double deviation(long count) {
        double betweenWindows = Math.max(0, var - samplingVar);
        return Math.max(MIN_DEVIATION, Math.sqrt(betweenWindows + spread / count));
    }

    private boolean judge(double x, long count, long from, DetectorSettings s, boolean lastingOnly) {
        double deviation = deviation(count);
        double residual = (x - mean) / deviation;
        if (cusum > 0 && (reported || runCertain) && recent - mean < Math.log(MIN_RATIO) / 4) {
            // The baseline has caught up with the level of a certain run: reported, or a change
            // too small to report (a lasting +15%), which would otherwise go on for good.
            endRun();
        }
        if (lastingOnly && cusum > 0 && !reported && !runCertain && from - runFrom >= MAX_UNCERTAIN_RUN) {
            // A run this old and still uncertain is measured against a stale reference: a tail
            // whose level follows the day's request mix (a night's batch requests are the slowest
            // tenth, a day's are not) would otherwise add up hours of that swing as one rise.
            endRun();
        }
        double reference = cusum == 0 ? mean : runReference;
        // A CUSUM adds residuals up, and the sum of m residuals with lag-1 autocorrelation ρ varies
        // (1+ρ)/(1−ρ) times as much as m independent ones (AR(1) long-run variance): a service whose
        // latency wanders with its load would otherwise climb to the decision interval in a few
        // windows of ordinary wander. The autocorrelation is the one learned before this run.
        z = (x - reference) / (deviation * autocorrelationFactor());
        double next = cusum + z - K;
        // The window that ends a run belongs to it: a reported rise's last pair is not learned either.
        observeResidual(residual, next > 0 || cusum > 0);
        if (next <= 0) {
            endRun();
            return false;
        }
        if (cusum == 0) {
            runReference = mean;
            runFrom = from;
            runWindows = 0;
            reported = false;
        }
        cusum = next;
        runWindows++;
        if (cusum >= decisionInterval(s)) {
            runCertain = true;
        }
        if (reported) {
            if (++sinceReport <= SETTLE_JUDGEMENTS) {
                reportedLevel = Math.max(reportedLevel, x); // still the reported change settling
                return false;
            }
            double further = Math.log(AGAIN_RATIO);
            if (x - reportedLevel < further || recent - reportedLevel < further) {
                return false;
            }
            again = true; // still rising: the incident goes on, at its new level
            previousMs = reportedMs;
        } else if (cusum < decisionInterval(s)
                || x - runReference < Math.log(MIN_RATIO)
                || (lastingOnly && recent - runReference < Math.log(MIN_RATIO))) {
            return false;
        } else {
            again = false;
        }
        reported = true;
        reportedLevel = x;
        sinceReport = 0;
        typicalMs = Math.exp(x);
        reportedMs = typicalMs;
        usualMs = Math.exp(runReference);
        return true;
    }

    /**
     * How much more a sum of residuals varies than one of independent residuals, as a factor on their
     * deviation: {@code √((1+ρ)/(1−ρ))} for the learned lag-1 autocorrelation ρ, taken in [0, {@value
     * #MAX_AUTOCORRELATION}] (negative autocorrelation would only make rises look larger). 1 for
     * independent residuals; about 1.7 at ρ = 0.5.
     */
    double autocorrelationFactor() {
        double rho = Math.max(0, Math.min(MAX_AUTOCORRELATION, lag.x / Math.max(0.25, lag.y)));
        return Math.sqrt((1 + rho) / (1 - rho));
    }

    /**
     * One judgement's standardised residual {@code u} against the usual value: the pair with the
     * previous one goes into the autocorrelation estimate now, or, within a run ({@code inRun}),
     * when the run ends, if its CUSUM never became certain.
     */
    private void observeResidual(double u, boolean inRun) {
        double clipped = Math.max(-4, Math.min(4, u));
        if (!Double.isNaN(lastResidual)) {
            double product = clipped * lastResidual;
            double square = clipped * clipped;
            if (inRun) {
                lag.hold(product, square);
            } else {
                lag.add(product, square, AUTOCORRELATION_ALPHA);
            }
        }
        lastResidual = clipped;
    }

    /**
     * Drops the current run, if any, as if it had been certain (its residuals teach the
     * autocorrelation nothing): for a caller that reported the same excursion by another metric
     * (a p95 spike) and must not leave this run holding that excursion as its reference or its
     * reported level. The next judgement starts a new run from the usual value then.
     */
    void abandonRun() {
        runCertain = true;
        endRun();
    }

    /**
     * The run is over: its pairs join the autocorrelation estimate, as if one by one, only if its
     * CUSUM never reached the decision interval — a rise held back by the effect size (a lasting
     * +15%) is a change too, not the service's noise.
     */
    private void endRun() {
        lag.endRun(!reported && !runCertain, AUTOCORRELATION_ALPHA);
        runCertain = false;
        cusum = 0;
        runWindows = 0;
        reported = false;
    }

    /**
     * The CUSUM's decision interval {@code h}: ½·threshold², but at least {@value #MIN_DECISION}
     * (8 at medium sensitivity, 6.75 at high, 18 at low). For independent normal residuals with
     * K = 0.75, Siegmund's approximation of the in-control run length, {@code (e^(2Kb) − 2Kb −
     * 1)/(2K²)} with {@code b = h + 1.166}, gives about 8·10⁵ judgements between false alarms at
     * 8 (¾·threshold², 12, gave 3·10⁸, and found a ×2-over-an-hour leak at night after 19–23
     * windows instead of 14–19). Real residuals are neither independent nor normal and their
     * reference is estimated: a review's simulation (100 services × 7 days) found 45 false rises
     * per 10⁶ judgements at 8 (1 at 12) for a window-to-window wander of 0.1 in ln(ms) with
     * autocorrelation 0.3, and 238 (21) with 0.5, before {@link #autocorrelationFactor}. The floor
     * keeps high sensitivity where it was (½·3² = 4.5 would be about 4·10³ judgements, three days per service, by the same formula).
     */
    static double decisionInterval(DetectorSettings s) {
        return Math.max(MIN_DECISION, 0.5 * s.threshold() * s.threshold());
    }

    private void learn(double x, double within, long count, DetectorSettings s) {
        double meanRate = Math.max(MEAN_ALPHA, 1.0 / n);
        double varRate = Math.max(VARIANCE_ALPHA, 1.0 / n);
        double deviation = Math.max(MIN_DEVIATION, Math.sqrt(var));
        double residual = x - mean;
        // Not clipped during the warm-up: the first windows set the level and its spread.
        double clipped =
                n <= s.warmup() ? residual : Math.max(-s.clip() * deviation, Math.min(s.clip() * deviation, residual));
        mean += meanRate * clipped;
        var = (1 - varRate) * (var + varRate * clipped * clipped);
        samplingVar += varRate * (within / count - samplingVar);
        spread += varRate * (within - spread);
    }
}
