package dev.logai.flink.anomaly;

/**
 * The usual lines per window of one template: an EWM that counts the windows it was absent from
 * as zeros without visiting them (the decay for k absent windows is applied on the next visit), so
 * only templates present in a window cost anything; and its usual lines in the windows where it
 * appears at all, so an intermittent template (a batch job's burst every half hour) is judged
 * against its usual burst, not against an average diluted by the windows between bursts; and
 * the current surge run ({@link #extendRun}). Ten numbers per template.
 */
public class TemplateRate {
    static final double ALPHA = 0.05;

    public double rate;
    public long firstWindow;
    public long lastWindow;
    /** EWM of the lines in the windows where the template appeared. */
    public double presentRate;
    /** How many windows the template appeared in. */
    public long presentWindows;

    /**
     * The current surge run: windows in a row that began with at least {@link
     * TemplateRateDetector#MIN_TEMPLATE_RATIO}× the template's usual lines and go on while it has
     * more than that usual (held at the run's start: a surge must not become its own reference) —
     * the first window's number ({@link Long#MIN_VALUE}: none), the usual lines then, the run's lines
     * and its usual lines summed, and whether it was reported. A quiet source's surge (a warning at
     * 7 lines a minute where it usually logs one an hour) never has the lines a window that one
     * window's test needs, but has them in a few.
     */
    public long runFrom = Long.MIN_VALUE;

    public double runBase;
    public double runLines;
    public double runUsual;
    public boolean runReported;

    /** Appearances before {@link #usual} trusts {@link #presentRate}. */
    static final int MIN_APPEARANCES = 3;
    /** Rate of {@link #presentRate} per appearance. */
    static final double PRESENT_ALPHA = 0.1;

    public TemplateRate() {}

    public static TemplateRate startingAt(long window) {
        TemplateRate t = new TemplateRate();
        t.firstWindow = window;
        t.lastWindow = window - 1;
        return t;
    }

    /** The usual count for window number {@code window} (windows since the epoch). */
    public double expected(long window) {
        long absent = Math.max(0, window - lastWindow - 1);
        return rate * Math.pow(1 - ALPHA, absent);
    }

    /**
     * What the template usually has in window {@code window}: its average rate, or its usual lines
     * when it appears, once it appeared {@value #MIN_APPEARANCES} times, whichever is larger.
     */
    public double usual(long window) {
        double expected = expected(window);
        return presentWindows >= MIN_APPEARANCES ? Math.max(expected, presentRate) : expected;
    }

    /**
     * Adds window {@code window}'s {@code lines} against its {@code usual} lines to the surge run:
     * continues it when the window follows the run's last one with more lines than the run's
     * usual and the run has fewer than {@value #MAX_RUN_WINDOWS} windows, else starts a new one
     * when it has at least {@code ratio}× its usual, else ends it.
     * Call before {@link #update}, which moves {@link #lastWindow}.
     *
     * @return whether the window is in a run (then {@link #runLines} and {@link #runUsual} include it)
     */
    boolean extendRun(long window, double lines, double usual, double ratio) {
        boolean continues = runFrom != Long.MIN_VALUE
                && window == lastWindow + 1
                && window - runFrom < MAX_RUN_WINDOWS
                && lines > runBase;
        if (!continues) {
            if (!(lines > 0 && lines >= ratio * usual)) {
                runFrom = Long.MIN_VALUE;
                return false;
            }
            runFrom = window;
            runBase = usual;
            runLines = 0;
            runUsual = 0;
            runReported = false;
        }
        runLines += lines;
        runUsual += runBase;
        return true;
    }

    /** A surge run is judged over at most this many windows, then starts again. */
    static final int MAX_RUN_WINDOWS = 10;

    /** Windows of history, counting absent ones. */
    public long age(long window) {
        return window - firstWindow;
    }

    /** Adds this window's count, clipped so one burst cannot make the next burst look usual. */
    public void update(long window, double count) {
        double expected = expected(window);
        double clipped = Math.min(count, 4 * expected + 20);
        rate = expected + Math.max(ALPHA, 1.0 / (age(window) + 1)) * (clipped - expected);
        lastWindow = window;
        if (count > 0) {
            presentWindows++;
            double present = presentWindows == 1 ? count : Math.min(count, 4 * presentRate + 20);
            presentRate += Math.max(PRESENT_ALPHA, 1.0 / presentWindows) * (present - presentRate);
        }
    }
}
