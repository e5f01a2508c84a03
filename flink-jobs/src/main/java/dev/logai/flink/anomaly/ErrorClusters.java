package dev.logai.flink.anomaly;

/**
 * How many error lines one failure of a source usually logs: the dispersion {@code φ} of its
 * error counts, {@code Var(e)/(E(e)·(1 − p))} for a window's error lines {@code e} at the
 * usual rate {@code p} (the quasi-binomial dispersion) — 1 for independent error lines, about
 * {@code E(k²)/E(k)} for failures logging {@code k} lines each (an error and its retries, a summary
 * line). A window of {@code n} lines adds {@code e·(e − n·p)/(1 − p)} and {@code e}: over error
 * lines, the mean excess of the window a line is in, whose expectation is that dispersion (for a
 * compound Poisson count, {@code E(e²) − E(e)·n·p = Var(e)}) — the per-line view, so a source with one failure every few hours learns its size
 * from its failures, where a per-window mean (RateShift's Pearson statistic) is dominated by the
 * windows without any.
 *
 * <p>A window's excess counts up to {@code 3·φ + 3·√(n·p·φ)} lines (three of the current size, or
 * three deviations of a busy window), and its weight up to that above its expected errors, so one
 * incident window moves the estimate by a bounded step while a cluster size recurring over a few failures is learned. The sums decay
 * with the error lines they take in, at most {@value #MIN_DECAY} a window: they remember the longer
 * of about the last {@value #MEMORY} error lines and about the last 100 windows that had errors
 * (a busy source's estimate is over many windows, a sparse one's over many failures), and start from a prior
 * of {@value #PRIOR} error lines at {@code φ = 1}, which never decays (one failure is no habit). A
 * Flink POJO inside {@link RateShift}; nine numbers.
 */
public class ErrorClusters {
    /** Error lines the sums remember (the decay per counted error line is 1/MEMORY). */
    static final double MEMORY = 200;
    /** The most the sums decay per window: any source remembers at least about 100 windows with errors. */
    static final double MIN_DECAY = 0.01;
    /** Error lines of the prior at φ = 1. */
    static final double PRIOR = 10;
    /** A window's excess counts up to this many current sizes (and deviations). */
    static final double CAP = 3;

    /** Decayed sums of {@code w·(e − n·p)} and {@code w} over windows with errors ({@code w} the capped errors). */
    public double excess;

    public double errors;
    /** Decayed sums of {@code w·(e − n·p)²} (the values' spread) and of the windows counted. */
    public double squares;

    public double windows;
    /**
     * The current CUSUM run's windows, held back until it ends ({@link #hold}, {@link #endRun}):
     * sums of {@code w·v}, {@code w}, {@code w·v²} and windows — so a rise's own windows, while it
     * builds up, do not widen the dispersion its evidence is divided by.
     */
    public double heldExcess;

    public double heldErrors;
    public double heldSquares;
    public double heldWindows;
    /** The decay the held windows would have applied one by one (a sum of their rates). */
    public double heldDecay;

    public ErrorClusters() {}

    /**
     * The dispersion of the source's error counts: error lines per failure, in the sense of
     * {@code Var(e)/(E(e)·(1 − p))}; at least 1.
     */
    double dispersion() {
        return Math.max(1, (excess + PRIOR) / (errors + PRIOR));
    }

    /**
     * {@link #dispersion} less two standard errors of its estimate (the spread of the values it
     * averages over the windows it remembers), at least 1: for a test whose evidence it divides,
     * where a chance estimate of 1.1 for independent error lines would only slow a real rise.
     */
    double dispersionLower() {
        double phi = dispersion();
        if (windows < 2) {
            return 1;
        }
        double spread = Math.max(0, squares / errors - (excess / errors) * (excess / errors));
        return Math.max(1, phi - 2 * Math.sqrt(spread / windows));
    }

    /**
     * Learns one window.
     *
     * @param errors    error lines in the window
     * @param lines     lines in the window
     * @param usualRate the usual error rate before the window, in [0, 1]
     */
    void learn(long errors, long lines, double usualRate) {
        if (errors <= 0 || lines <= 0) {
            return;
        }
        double[] counted = counted(errors, lines, usualRate);
        double decay = Math.min(MIN_DECAY, counted[0] / MEMORY);
        add(1 - decay, counted[0] * counted[1], counted[0], counted[0] * counted[1] * counted[1], 1);
    }

    /** As {@link #learn}, for a window of a run: counted when the run ends, if it was noise. */
    void hold(long errors, long lines, double usualRate) {
        if (errors <= 0 || lines <= 0) {
            return;
        }
        double[] counted = counted(errors, lines, usualRate);
        heldExcess += counted[0] * counted[1];
        heldErrors += counted[0];
        heldSquares += counted[0] * counted[1] * counted[1];
        heldWindows++;
        heldDecay += Math.min(MIN_DECAY, counted[0] / MEMORY);
    }

    /**
     * The run ended: its held windows are counted if {@code noise} (its CUSUM never became
     * certain), as if one by one (the sums decay as much as those windows would have decayed
     * them), and dropped if it was a change.
     */
    void endRun(boolean noise) {
        if (noise && heldWindows > 0) {
            add(Math.exp(-heldDecay), heldExcess, heldErrors, heldSquares, heldWindows);
        }
        heldExcess = heldErrors = heldSquares = heldWindows = heldDecay = 0;
    }

    private void add(double keep, double excess, double errors, double squares, double windows) {
        this.excess = keep * this.excess + excess;
        this.errors = keep * this.errors + errors;
        this.squares = keep * this.squares + squares;
        this.windows = keep * this.windows + windows;
    }

    /**
     * A window's weight {@code w} (its errors, at most {@code n·p} plus the cap) and value {@code v}
     * (its excess over {@code 1 − p}, at most the cap).
     */
    private double[] counted(long errors, long lines, double usualRate) {
        double phi = dispersion();
        double expected = lines * usualRate;
        double cap = CAP * phi + CAP * Math.sqrt(expected * phi);
        // capped above what is expected as well as by the size: a busy window's weight must stay its
        // error count, or the mean of e − n·p (about 0) is what is averaged, not its variance
        double weight = Math.min(errors, expected + cap);
        // over 1 − p, as the binomial variance n·p·(1 − p) the spike test divides: at 28% errors,
        // failures of 6 lines read as 4.4 without it
        double value = Math.min((errors - expected) / Math.max(0.1, 1 - usualRate), cap);
        return new double[] {weight, value};
    }
}
