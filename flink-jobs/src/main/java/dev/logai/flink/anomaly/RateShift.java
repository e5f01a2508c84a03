package dev.logai.flink.anomaly;

/**
 * A lasting rise of an error rate that no single window shows: Page's CUSUM (E. S. Page,
 * "Continuous inspection schemes", Biometrika 1954) for a Bernoulli rate, over each window's
 * error and line counts. It accumulates the log-likelihood ratio of "the rate doubled" against
 * "the rate is its usual" — {@code S = max(0, S + e·ln(p1/p0) + (n−e)·ln((1−p1)/(1−p0)))} with
 * {@code p0} the usual rate when the run began (held for the run: the baseline drifts towards a
 * lasting rise; the pooled count rate of about the last 100 windows, a window weighing at most
 * {@value #MAX_WEIGHT} usual windows' clean lines, raised by one standard error of its estimate, {@link
 * #pooledUpperRate}; a run not yet reported after {@value
 * #MAX_RUN_WINDOWS} windows starts again, its reference stale) and {@code p1 = 2·p0} — and reports once when {@code S} reaches
 * {@code threshold²} (16 at medium sensitivity: odds of e¹⁶ ≈ 9 million to 1 for the doubled rate,
 * so a steady rate goes years of windows between false alarms) and
 * there is an effect an SRE cares about: at least {@value #MIN_ERRORS} error lines in the run, and
 * over about the last 5 windows a rate at least twice the usual and {@value #MIN_RISE} higher. An error rate stepping from 0.5% to
 * 2% and staying is flagged after a few windows, once. A reported run ends — and the next rise is
 * reported again — when the rate came back (a CUSUM the other way, of the usual rate against the
 * reported one, divided by the dispersion's upper bound, reaches {@code threshold²/2}) or the
 * pooled usual rate has learned the run's level;
 * not when {@code S} drains to 0, which at a sparse usual rate takes about 0.003 nats a line: a
 * leak's 100 nats kept a service of 25 lines a window "reported" for more than a day.
 *
 * <p>Errors often come in clusters — a failure logs an error, its retries and a summary line —
 * and then vary k times as much as independent lines would, which the binomial likelihood ratio
 * takes for evidence: a steady rate of one failure a window logging five lines each was a
 * "lasting rise" about three times a day. So the ratio is divided by the source's dispersion
 * {@code φ ≥ 1}, the mean Pearson statistic {@code (e − n·p)²/(n·p·(1−p))} of about the last 100
 * windows against the pooled usual rate — the quasi-likelihood remedy for overdispersed counts
 * (P. McCullagh, J. A. Nelder, "Generalized Linear Models", 2nd ed., 1989, ch. 9): for errors in
 * clusters of k lines, {@code φ ≈ k}, and the ratio is that of the failures, not their lines. A
 * run's windows count towards {@code φ} only if its CUSUM never became certain, and a spike's window
 * never, so an incident does not teach the detector that errors are bursty.
 *
 * <p>A CUSUM is quickest for the change it is tuned to: against "doubled", a rate that went up
 * five-fold adds up no faster than about ln 2 per error line, where ln 5 would be its due. So a
 * second CUSUM over the same windows and reference tests "four times the usual" ({@value
 * #RATIO_LARGE}×, while {@code 4·p0 ≤ 0.8}), and the run is certain when either reaches {@code
 * threshold²} — Lorden's multi-chart scheme (G. Lorden, "Procedures for reacting to a change in
 * distribution", Ann. Math. Statist. 1971; the maximum of CUSUMs tuned to several alternatives): a
 * 1% → 5% step of a service of 10 lines a window is found after a median 44 windows instead of 61
 * (RateShiftTest). Its ratio is divided by the dispersion's estimate itself, not its lower bound:
 * an error count a failure's cluster makes large weighs twice as much against "four times" as
 * against "doubled", and with the lower bound the clustered errors of RateShiftTest gave 18 false
 * rises instead of 7; with the estimate, the same 7. A run lasts while either CUSUM is above 0;
 * when the four-fold chart is the certain one, the rise's onset is where that chart last left 0 —
 * Page's change-point estimate for it — not where the run began: the doubled chart drains slowly
 * (about 0.03 nats a window for a service of 10 lines at 1%), so a cluster of five errors an hour
 * before a five-fold rise kept it above 0, and the onset reached back to the cluster.
 *
 * <p>The dispersion is the larger of that Pearson estimate's lower bound and {@link ErrorClusters}'
 * (error lines per failure, learned per error line, so a sparse source learns it from its
 * failures): with the Pearson statistic alone, of ~100 windows and at most 100 a window, a service
 * of 5 lines a window whose failures log 5–10 lines each had its dispersion near 1 where it is
 * about 8, and 45 false rises in 60,000 windows (RateShiftTest). Twenty-seven numbers of state,
 * the nine of its {@link ErrorClusters} and the five of its {@link #routine} counts (953 bytes
 * with its {@link EwmDetector}, {@code ./logai bench detect}).
 */
public class RateShift {
    /** The alternative the CUSUM tests against the usual rate: twice it. */
    static final double RATIO = 2.0;
    /** The alternative of the second CUSUM, for large rises: four times the usual rate. */
    static final double RATIO_LARGE = 4.0;
    /** Absolute rise of the run's rate over the usual one (0.01 = 1 point). */
    static final double MIN_RISE = 0.01;

    static final long MIN_ERRORS = 10;
    /** A window's Pearson statistic counts at most this much towards the dispersion (one window moves it by ≤ 1). */
    static final double MAX_PEARSON = 100;

    public double cusum;
    /** The second CUSUM, of "{@value #RATIO_LARGE} times the usual rate", over the same run. */
    public double cusumLarge;
    /**
     * Since {@link #cusumLarge} last left 0: the start of that window (epoch ms), and the error and
     * total lines and windows since. Its own change point: it drains faster than the doubled
     * chart's, so a noise cluster an hour before a large rise does not become the rise's onset.
     */
    public long largeStart = Long.MIN_VALUE;

    public long largeErrors;
    public long largeLines;
    public long largeWindows;
    /** Error and total lines of the current run (since both CUSUMs were last at 0). */
    public long errors;

    public long lines;
    /** Windows in the current run. */
    public long windows;

    public boolean reported;
    /**
     * The recent rate when the run was reported (by this test, or a spike's window), in [0, 1]; 0:
     * not known (state from before it existed): what {@link #recovery} tests a return against.
     */
    public double reportedRate;
    /**
     * Error and total lines since the run was reported, its report's window included: the level
     * the pooled usual rate must learn for the run to be over (an average of many windows, where
     * the recent rate at the report is one noisy reading).
     */
    public long reportedErrors;

    public long reportedLines;
    /**
     * Evidence (nats) since the run's report that the rate is back at the run's usual rather than
     * at its reported level: a CUSUM the other way, {@code R = max(0, R + (ln P(e | p0) − ln P(e |
     * p1))/φ⁺)}, {@code φ⁺} the dispersion's upper bound ({@link #overdispersionUpper}).
     */
    public double recovery;
    /** Whether the current run's CUSUM reached threshold² (reported or not), or it ran out of time. */
    public boolean runCertain;
    /** The usual rate when the current run began: the reference of the whole run. */
    public double runUsual;
    /**
     * The start of the current run's first window (epoch ms; {@link Long#MIN_VALUE}: not known) —
     * a service that logs now and then has windows without lines between its run's windows.
     */
    public long runStart = Long.MIN_VALUE;
    /** Error and total lines of about the last {@code 1/RECENT} windows (EWM), for the effect size. */
    public double recentErrors;

    public double recentLines;

    /**
     * The most a window weighs in the pooled usual counts, in usual windows' clean (non-error)
     * lines: its rate counts, its volume only up to this.
     */
    static final double MAX_WEIGHT = 2;

    /** Rate of the recent counts (≈ the last 5 windows). */
    static final double RECENT = 0.2;
    /** Rate of the pooled usual counts (≈ the last 100 windows). */
    static final double LONG = 0.01;
    /**
     * The longest run judged against one reference unless already certain: half again the pooled
     * counts' memory (1/{@link #LONG}). Measured (RateShiftTest): at 100, a service of 20 lines a
     * window going from 0.5% to 2% errors was found in 23 of 40 seeds (its run outlives the
     * memory, and starts again against a reference that has absorbed the rise); at 150, in 38;
     * at 200, the incident evaluation's run against a diluted reference (188 windows) is back.
     */
    static final long MAX_RUN_WINDOWS = 150;
    /**
     * The most the run's length stretches with the dispersion (MAX_RUN_WINDOWS × φ, up to this
     * many times): the CUSUM's evidence is divided by φ, so it adds up φ times slower.
     */
    static final double MAX_RUN_STRETCH = 4;

    /** Pooled error and total lines of about the last 100 windows (EWM), and how many windows seen. */
    public double usualErrors;

    public double usualLines;
    public long seen;

    /**
     * The Pearson statistic's mean (the dispersion φ; 1 for binomial errors) and mean square (its
     * own uncertainty) over about the last 100 windows; a run's windows count if it never became certain.
     */
    public HeldBackMeans pearson = new HeldBackMeans(1, 3);

    /**
     * Error lines per failure ({@link ErrorClusters}), for the spike test and the CUSUMs: learned
     * from every window — a run's windows held back until it ends, as {@link #pearson}'s, a
     * spike's window at once (so a failure's cluster that is flagged still teaches its size); null
     * in state written before it existed.
     */
    public ErrorClusters clusters = new ErrorClusters();

    /**
     * The pooled error and total lines (as {@link #usualErrors}, {@link #usualLines}: EWMs of ~100
     * windows, each weighted the same) of the routine windows only: a spike's window never, a run's
     * windows held back until it ends and counted only if it was noise. What a window's errors are
     * judged against for a spike ({@link #routineRate}): the pooled counts take in an incident's
     * windows, and an hour after a 5-minute outage of a 1% service read about 3.7%, so a second
     * incident then was no spike. Null in state written before it existed.
     */
    public HeldBackMeans routine = new HeldBackMeans(0, 0);

    /**
     * Outputs of the last {@link #update} that returned true, for explanations; not state: the
     * recent rate, and the windows, start (epoch ms; {@link Long#MIN_VALUE}: not known), error and
     * total lines of the evidence that made the rise certain — the four-fold chart's own stretch when
     * it is certain (a large rise's change point), else the run's.
     */
    public transient double runRate;

    public transient long runWindows;
    public transient long evidenceStart;
    public transient long evidenceErrors;
    public transient long evidenceLines;

    public RateShift() {}

    /**
     * Adds one window.
     *
     * @param errors     error lines in the window
     * @param lines      lines in the window (0: nothing changes)
     * @param usualRate  the usual error rate before this window, in [0, 1] (the detector's
     *                   baseline); the pooled rate of the last ~100 windows is used when higher
     * @return true once per lasting rise, in the window where it became certain
     */
    public boolean update(long errors, long lines, double usualRate, DetectorSettings s) {
        return update(errors, lines, usualRate, s, Long.MIN_VALUE, false);
    }

    /**
     * As {@link #update(long, long, double, DetectorSettings)}, for the window starting at {@code
     * windowStart} (epoch ms): a run begun in it keeps that as {@link #runStart}.
     */
    public boolean update(long errors, long lines, double usualRate, DetectorSettings s, long windowStart) {
        return update(errors, lines, usualRate, s, windowStart, false);
    }

    private boolean update(
            long errors, long lines, double usualRate, DetectorSettings s, long windowStart, boolean spike) {
        if (lines <= 0) {
            return false;
        }
        double pearson = pearson(errors, lines);
        double pooledBefore = pooledRate();
        double weight = addCounts(errors, lines);
        if (usualLines > 0 && seen > 1) {
            usualRate = Math.max(usualRate, pooledUpperRate());
        }
        // A run is judged against the usual rate of its start for at most MAX_RUN_WINDOWS:
        // older, that reference is stale (an hour of clean extra traffic lowers it, and a run begun
        // then would add up against it for hours). Not yet reported, it starts again from now —
        // unless its evidence is already certain and only the effect size held the report back.
        double certain = s.threshold() * s.threshold();
        // In failures, a rise adds up φ times slower: a source whose failures log 7 lines needs
        // about 180 windows for a 5% → 20% step of 5 lines a window, so the run may last longer.
        double maxRun = MAX_RUN_WINDOWS * Math.min(MAX_RUN_STRETCH, dispersionForTests());
        if (inRun() && !reported && windows >= maxRun && evidence() < certain) {
            runCertain = true; // a run this long is no plain noise: its windows are not learned
            endRun();
        }
        // A reported run lasts until its rate came back or became the usual, not until the CUSUM
        // drains: the doubled chart loses about 0.003 nats a line at a sparse usual rate, so a
        // leak's 100 nats held a service of 25 lines a window "reported" for more than a day, and
        // its next leak was never reported.
        if (inRun() && reported && reportedRunOver(errors, lines, certain)) {
            endRun();
        }
        // The usual rate when the run began: the baseline itself drifts towards a lasting rise, and
        // a CUSUM against a moving reference would never add up. A clean history must not make a
        // doubled rate of nothing a shift: at least 0.1%.
        double p0 = inRun() ? runUsual : Math.min(0.45, Math.max(usualRate, 0.001));
        double dispersion = dispersionForTests();
        double llr = logLikelihoodRatio(errors, lines, p0, RATIO) / dispersion;
        double llrLarge = RATIO_LARGE * p0 <= 0.8
                ? logLikelihoodRatio(errors, lines, p0, RATIO_LARGE) / Math.max(dispersion, this.pearson.x)
                : Double.NEGATIVE_INFINITY;
        if (cusum + llr <= 0 && cusumLarge + llrLarge <= 0) {
            if (!spike) {
                learnDispersion(pearson);
                learnClusters(errors, lines, pooledBefore, false);
            }
            endRun();
            if (!spike) {
                routine().add(weight * errors, weight * lines, pooledStep()); // after the run's held windows
            }
            return false;
        }
        if (!inRun()) {
            runUsual = p0;
            runStart = windowStart;
        }
        if (!spike && !Double.isNaN(pearson)) {
            this.pearson.hold(pearson, pearson * pearson);
        }
        if (!spike) {
            learnClusters(errors, lines, pooledBefore, true);
            routine().hold(weight * errors, weight * lines);
        }
        cusum = Math.max(0, cusum + llr);
        if (cusumLarge + llrLarge <= 0) {
            cusumLarge = 0;
            largeErrors = largeLines = largeWindows = 0;
        } else {
            if (cusumLarge == 0) {
                largeStart = windowStart;
            }
            cusumLarge += llrLarge;
            largeErrors += errors;
            largeLines += lines;
            largeWindows++;
        }
        if (evidence() >= certain) {
            runCertain = true;
        }
        this.errors += errors;
        this.lines += lines;
        windows++;
        // The effect is judged on the recent windows: a run that began in noise before the rise
        // would dilute it.
        double rate = recentErrors / recentLines;
        if (!reported
                && evidence() >= certain
                && this.errors >= MIN_ERRORS
                && rate >= RATIO * p0
                && rate - p0 >= MIN_RISE) {
            reported = true;
            reportedRate = rate;
            recovery = 0;
            reportedErrors = errors;
            reportedLines = lines;
            runRate = rate;
            boolean large = cusumLarge >= certain;
            runWindows = large ? largeWindows : windows;
            evidenceStart = large ? largeStart : runStart;
            evidenceErrors = large ? largeErrors : this.errors;
            evidenceLines = large ? largeLines : this.lines;
            return true;
        }
        return false;
    }

    /**
     * Whether the reported run is over after this window: the rate came back — {@link #recovery},
     * the sequential test of the run's usual {@code p0} against its reported rate (taken between
     * {@value #RATIO}× and {@value #RATIO_LARGE}× {@code p0}, at most 0.9), reached half the
     * decision threshold, each window's ratio divided by {@link #overdispersionUpper} — or the
     * pooled usual rate learned the run's rate since its report (at least {@value #MIN_ERRORS}
     * error lines since). A rate back at 1% ends a 5% rise's run in about 480 lines (against 4%,
     * about 0.017 nats a line); a step to 5% that stays is learned in a few hundred windows.
     *
     * @param certain the decision threshold (nats)
     */
    private boolean reportedRunOver(long errors, long lines, double certain) {
        double elevated = Math.min(0.9, Math.min(RATIO_LARGE * runUsual, Math.max(RATIO * runUsual, reportedRate)));
        // Divided by the dispersion's upper bound: for errors in clusters, the clean windows between
        // a rise's clusters are no evidence that it is over (with the lower bound, a step of
        // failures logging 4 lines each "came back" a few windows after each report, and was
        // reported again and again).
        double dispersionUpper = overdispersionUpper();
        recovery = Math.max(
                0, recovery - logLikelihoodRatio(errors, lines, runUsual, elevated / runUsual) / dispersionUpper);
        boolean cameBack = recovery >= certain / 2;
        reportedErrors += errors;
        reportedLines += lines;
        // Learned: a new run's reference, the pooled rate raised by a standard error, is at least
        // the run's level since its report raised by its own (of its failures: error lines over the
        // dispersion) — not one noisy reading of it, so the next run does not start below the new
        // level (at 1.44× its reference the doubled chart drifts upward, and a step would be
        // reported again).
        double since = (double) reportedErrors / reportedLines;
        boolean learned = reportedErrors >= MIN_ERRORS
                && pooledUpperRate() >= since * (1 + 1 / Math.sqrt(reportedErrors / dispersionUpper));
        return cameBack || learned;
    }

    /**
     * The log-likelihood ratio of one window's {@code errors} of {@code lines} for the rate {@code
     * ratio·p0} against {@code p0} (binomial, nats).
     */
    private static double logLikelihoodRatio(long errors, long lines, double p0, double ratio) {
        double p1 = ratio * p0;
        return errors * Math.log(ratio) + (lines - errors) * Math.log((1 - p1) / (1 - p0));
    }

    /** Whether a run is going: either CUSUM above 0. */
    boolean inRun() {
        return cusum > 0 || cusumLarge > 0;
    }

    /** The run's evidence of a rise (nats): the larger of the two CUSUMs. */
    double evidence() {
        return Math.max(cusum, cusumLarge);
    }

    /**
     * Error lines a window of about the last 5 above what the run's usual rate expects of it (0
     * without a run): where an error rise is now, comparable across rates whose runs began at
     * different times.
     */
    double recentExcessErrors() {
        return inRun() ? recentErrors - runUsual * recentLines : 0;
    }

    /** Whether a run is going and its last ~5 windows are still at least {@link #RATIO} times its usual rate. */
    boolean elevatedNow() {
        return inRun() && recentErrors >= RATIO * runUsual * recentLines;
    }

    /**
     * Adds one window to the recent and pooled counts only, without testing for a rise: during the
     * detector's warm-up, so the pooled usual rate is already an average of many windows when the
     * CUSUM starts (the detector's per-window baseline, a clipped EWM, underestimates a sparse
     * rate — mostly 0, now and then one error in a few lines — by half or more, and a CUSUM whose
     * reference is half the true rate drifts up until it reports a rise that is not there).
     *
     * @param errors error lines in the window
     * @param lines  lines in the window (0: nothing changes)
     */
    public void observe(long errors, long lines) {
        if (lines <= 0) {
            return;
        }
        learnDispersion(pearson(errors, lines));
        learnClusters(errors, lines);
        double weight = addCounts(errors, lines);
        routine().add(weight * errors, weight * lines, pooledStep());
    }

    /**
     * One window into {@link #clusters}, against the pooled usual rate before it (nothing before
     * any window was pooled).
     */
    void learnClusters(long errors, long lines) {
        learnClusters(errors, lines, pooledRate(), false);
    }

    /**
     * One window into {@link #clusters} against {@code pooledRate} (NaN: nothing pooled yet, not
     * learned); {@code hold}: as a window of the current run, counted when the run ends as noise.
     */
    private void learnClusters(long errors, long lines, double pooledRate, boolean hold) {
        if (Double.isNaN(pooledRate)) {
            return;
        }
        if (clusters == null) {
            clusters = new ErrorClusters();
        }
        if (hold) {
            clusters.hold(errors, lines, pooledRate);
        } else {
            clusters.learn(errors, lines, pooledRate);
        }
    }

    /**
     * The clean (non-error) lines of a window of about the last 5 (the recent counts, before the
     * window being judged); 0 before any. Recent, not pooled: a daily peak's end or the night's
     * ramp must not read as missing lines.
     */
    double recentClean() {
        return Math.max(0, recentLines - recentErrors);
    }

    /** The dispersion of the source's error counts for a test: the larger of the two lower bounds. */
    double dispersionForTests() {
        return Math.max(overdispersion(), clusterDispersionLower());
    }

    /** {@link ErrorClusters#dispersionLower}; 1 before it is known. */
    double clusterDispersionLower() {
        return clusters == null ? 1 : clusters.dispersionLower();
    }

    /** Error lines per failure of the source ({@link ErrorClusters#dispersion}); 1 before it is known. */
    double clusterDispersion() {
        return clusters == null ? 1 : clusters.dispersion();
    }

    /** Adds a window to the recent and pooled counts; returns its weight in the pooled ones (at most 1). */
    private double addCounts(long errors, long lines) {
        recentErrors += RECENT * (errors - recentErrors);
        recentLines += RECENT * (lines - recentLines);
        // The usual rate from pooled counts over about the last 100 windows: a sparse rate's
        // per-window EWM (1 error in 60 lines, or none) is too rough a reference.
        // A window counts as at most MAX_WEIGHT usual windows' clean lines: pooled by lines, a surge of clean
        // lines (a warning flood of 5× the traffic for 14 minutes) diluted a 4.7% usual rate to
        // 3%, and a run begun then took the usual rate after it for a lasting rise.
        // Of clean lines: a sparse window swollen by one failure's error lines is not a surge, and
        // weighing it down would bias the usual rate low.
        double clean = lines - errors;
        double usualClean = usualLines - usualErrors;
        double weight =
                seen > 0 && usualClean > 0 && clean > MAX_WEIGHT * usualClean ? MAX_WEIGHT * usualClean / clean : 1;
        seen++;
        double longRate = Math.max(LONG, 1.0 / seen);
        usualErrors += longRate * (weight * errors - usualErrors);
        usualLines += longRate * (weight * lines - usualLines);
        return weight;
    }

    /** The pooled counts' EWM step for the window just added: 1/windows seen, at least {@link #LONG}. */
    private double pooledStep() {
        return Math.max(LONG, 1.0 / seen);
    }

    /** {@link #routine}, created for state written before it existed. */
    private HeldBackMeans routine() {
        if (routine == null) {
            routine = new HeldBackMeans(0, 0);
        }
        return routine;
    }

    /**
     * The window's Pearson statistic {@code (e − n·p)²/(n·p·(1−p))} against the pooled usual rate
     * (at least 0.1%, as the CUSUM's reference), at most {@value #MAX_PEARSON}; NaN before any
     * window. 1 on average for binomial errors, about k for errors in clusters of k lines.
     */
    double pearson(long errors, long lines) {
        if (usualLines <= 0) {
            return Double.NaN;
        }
        double p = Math.min(0.5, Math.max(0.001, usualErrors / usualLines));
        double expected = lines * p;
        double d = errors - expected;
        return Math.min(MAX_PEARSON, d * d / (expected * (1 - p)));
    }

    /**
     * The dispersion the likelihood ratio is divided by: {@link #pearson}'s mean less two standard
     * errors of its estimate (from the Pearson statistics' own spread over the ~100 windows it
     * averages), at least 1. A sparse binomial rate's estimate strays above 1 by chance (a service
     * of 20 lines a window at 0.5% errors: a standard error of about 0.25), and that alone would
     * slow a real rise; errors in clusters of 3 or more lines stand well clear of it.
     */
    double overdispersion() {
        double dispersion = pearson.x;
        double variance = Math.max(0, pearson.y - dispersion * dispersion);
        double standardError = Math.sqrt(variance * LONG / (2 - LONG));
        return Math.max(1, dispersion - 2 * standardError);
    }

    /**
     * The dispersion's upper bound: {@link #pearson}'s mean plus two standard errors of its
     * estimate, at least 1 — for the test that a rise is over, where an underestimated dispersion
     * makes clean windows between clusters of errors look like the end.
     */
    double overdispersionUpper() {
        double dispersion = pearson.x;
        double variance = Math.max(0, pearson.y - dispersion * dispersion);
        return Math.max(1, dispersion + 2 * Math.sqrt(variance * LONG / (2 - LONG)));
    }

    /** One window's Pearson statistic into the dispersion (EWM over about the last 100 windows). */
    private void learnDispersion(double pearson) {
        if (!Double.isNaN(pearson)) {
            this.pearson.add(pearson, pearson * pearson, LONG);
        }
    }

    /**
     * The run is over: its windows join the dispersion, as if one by one, only if its CUSUM never
     * became certain — a rise held back by the effect size is a change, not the errors' usual
     * burstiness — and it did not outlive {@value #MAX_RUN_WINDOWS} windows.
     */
    private void endRun() {
        pearson.endRun(!reported && !runCertain, LONG);
        routine().endRun(!reported && !runCertain, LONG);
        if (clusters != null) {
            clusters.endRun(!reported && !runCertain);
        }
        runCertain = false;
        reportedRate = 0;
        recovery = 0;
        reportedErrors = reportedLines = 0;
        cusum = 0;
        cusumLarge = 0;
        largeErrors = largeLines = largeWindows = 0;
        errors = 0;
        lines = 0;
        windows = 0;
        reported = false;
    }

    /**
     * The pooled usual rate raised by one standard error of its estimate (Poisson, over the
     * windows it pools): a CUSUM is only as honest as its reference, and one a fifth below the
     * true rate, which a pooled count of a sparse rate (a service with 20 errors in its memory) is
     * often, turns e¹⁶ odds into about e⁸ per excursion. Going one error too high costs little:
     * a real rise is several times the usual rate.
     */
    double pooledUpperRate() {
        double windows = Math.min(seen, (2 - LONG) / LONG);
        double pooledErrors = usualErrors * windows;
        return pooledRate() * (1 + 1 / Math.sqrt(Math.max(1, pooledErrors)));
    }

    /** The pooled usual rate of about the last 100 windows (error lines over lines); NaN before any window. */
    double pooledRate() {
        return usualLines > 0 ? usualErrors / usualLines : Double.NaN;
    }

    /**
     * The pooled usual rate of the routine windows of about the last 100 ({@link #routine}: no
     * spike's, no reported or certain run's); {@link #pooledRate} while it has none (state
     * written before it existed, or only spikes and runs since). NaN before any window.
     */
    double routineRate() {
        return routine != null && routine.y > 0 ? routine.x / routine.y : pooledRate();
    }

    /**
     * Adds a window a spike was reported for: its run, if the rate stays up, is that spike's, not
     * a new rise to report.
     */
    public void spiked(long errors, long lines, double usualRate, DetectorSettings s) {
        update(errors, lines, usualRate, s, Long.MIN_VALUE, true);
        if (inRun()) {
            if (!reported) { // else the update counted this window since the report
                reportedErrors = errors;
                reportedLines = lines;
            }
            reported = true;
            reportedRate = Math.max(reportedRate, recentErrors / recentLines);
            recovery = 0;
        }
    }
}
