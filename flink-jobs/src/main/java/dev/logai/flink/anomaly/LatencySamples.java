package dev.logai.flink.anomaly;

/**
 * How many durations a source's windows usually have: an exponentially weighted mean of the counts
 * (about the last {@code 1 / RATE} windows with durations), the sample size at which the p95's
 * baseline variance was learned. A Flink POJO in keyed state.
 */
public class LatencySamples {
    /** Weight of the newest window (≈ the last 50 windows). */
    static final double RATE = 0.02;

    /** The mean count; 0 before the first window. */
    public double mean;

    public LatencySamples() {}

    /**
     * @param count the durations in this window
     * @return the usual count before this window (this window's own count for the first), then
     *     learns from it
     */
    public double usual(long count) {
        double before = mean == 0 ? count : mean;
        mean = before + RATE * (count - before);
        return before;
    }
}
