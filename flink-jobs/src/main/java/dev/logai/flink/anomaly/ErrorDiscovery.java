package dev.logai.flink.anomaly;

/**
 * A source's discovery rate of error templates (one instance; another serves its warning lines):
 * new templates per line of the level that could have been one, as exponentially weighted sums over windows (about the last {@code 1 / RATE}
 * windows: 17 hours of one-minute windows). Good-Turing's estimate of the chance that the next line
 * is of an unseen kind is the share of kinds seen once; counting discoveries as they happen is the
 * streaming form of it. Starts at one discovery in {@value #PRIOR_LINES} lines. A Flink POJO in
 * keyed state.
 */
public class ErrorDiscovery {
    /** Weight of each window (≈ the last 1,000 windows). */
    static final double RATE = 0.001;
    /** The prior: as if one discovery had been seen in this many error lines. */
    static final double PRIOR_LINES = 100;

    public double discoveries = 1;
    public double lines = PRIOR_LINES;

    public ErrorDiscovery() {}

    /** New error templates per error line that could have been one. */
    public double rate() {
        return discoveries / Math.max(1, lines);
    }

    /**
     * @param found new error templates in the window
     * @param chances error lines of known templates plus the first line of each new one
     */
    public void learn(int found, long chances) {
        discoveries = (1 - RATE) * discoveries + found;
        lines = (1 - RATE) * lines + chances;
    }
}
