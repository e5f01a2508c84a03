package dev.logai.flink.window;

/**
 * Durations of one window as a log-bucketed histogram: bucket i holds values in
 * [0.01 ms·1.1^(i-1), 0.01 ms·1.1^i), so any percentile is known within ±5% (the relative error of
 * DDSketch-style sketches) from 0.01 ms to ~3 hours, in a fixed 1.7 KB that merges by addition.
 */
public class LatencySketch {
    static final int BUCKETS = 220;
    static final double MIN_MS = 0.01;
    static final double RATIO = 1.1;
    private static final double LOG_RATIO = Math.log(RATIO);

    public long count;
    public long[] buckets = new long[BUCKETS];

    public LatencySketch() {}

    public void add(double ms) {
        if (!(ms >= 0) || Double.isInfinite(ms)) {
            return;
        }
        int b = ms <= MIN_MS ? 0 : Math.min(BUCKETS - 1, 1 + (int) (Math.log(ms / MIN_MS) / LOG_RATIO));
        buckets[b]++;
        count++;
    }

    public LatencySketch merge(LatencySketch o) {
        for (int i = 0; i < BUCKETS; i++) {
            buckets[i] += o.buckets[i];
        }
        count += o.count;
        return this;
    }

    /** The {@code q} quantile (0..1) in milliseconds: the middle of its bucket. */
    public double quantile(double q) {
        if (count == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * count);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += buckets[i];
            if (seen >= Math.max(1, rank)) {
                return i == 0 ? MIN_MS : MIN_MS * Math.pow(RATIO, i - 0.5);
            }
        }
        return MIN_MS * Math.pow(RATIO, BUCKETS - 1);
    }

    /**
     * How many durations are above {@code ms}: the buckets whose middle is above it (so within the
     * sketch's ±5%).
     */
    public long countAbove(double ms) {
        long above = 0;
        for (int i = BUCKETS - 1; i > 0 && MIN_MS * Math.pow(RATIO, i - 0.5) > ms; i--) {
            above += buckets[i];
        }
        return above;
    }

    /**
     * The slowest {@code share} of the durations (at least one) as a {@link ServiceCount}: their
     * count and the sum and sum of squares of their ln(ms), each duration at its bucket's middle
     * (within ±5%) and at least 1 ms, as {@link ServiceCount#addDuration} counts it. The tail's
     * typical latency (its geometric mean) is what a p95 or p99 follows, from many more requests
     * than the one order statistic a quantile is.
     *
     * @param share in (0, 1]: 0.1 for the slowest tenth
     * @return the tail's counts, with no durations when the window has none
     */
    public ServiceCount slowest(double share) {
        ServiceCount tail = new ServiceCount();
        long wanted = Math.max(1, (long) Math.ceil(share * count));
        for (int i = BUCKETS - 1; i >= 0 && tail.durations < wanted; i--) {
            long take = Math.min(buckets[i], wanted - tail.durations);
            if (take == 0) {
                continue;
            }
            double log = Math.log(Math.max(1.0, i == 0 ? MIN_MS : MIN_MS * Math.pow(RATIO, i - 0.5)));
            tail.durations += take;
            tail.logDurationSum += take * log;
            tail.logDurationSquares += take * log * log;
        }
        return tail;
    }
}
