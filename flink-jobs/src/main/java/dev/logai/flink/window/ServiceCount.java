package dev.logai.flink.window;

/**
 * One service's lines, error lines and latencies in one window. The latencies are kept as the
 * count, sum and sum of squares of their natural logs (ms): enough for the service's typical
 * latency (the geometric mean) and its spread, in three numbers however many requests there were.
 */
public class ServiceCount {
    public long lines;
    public long errors;
    /** Lines of the service that carried a duration. */
    public long durations;
    /** Σ ln(ms) and Σ ln(ms)² over those lines (a duration under 1 ms counts as 1 ms). */
    public double logDurationSum;

    public double logDurationSquares;

    public ServiceCount() {}

    public ServiceCount merge(ServiceCount o) {
        lines += o.lines;
        errors += o.errors;
        durations += o.durations;
        logDurationSum += o.logDurationSum;
        logDurationSquares += o.logDurationSquares;
        return this;
    }

    /** Adds one line's duration in milliseconds; a negative or non-finite one is ignored. */
    public void addDuration(double ms) {
        if (!(ms >= 0) || Double.isInfinite(ms)) {
            return;
        }
        double log = Math.log(Math.max(1.0, ms));
        durations++;
        logDurationSum += log;
        logDurationSquares += log * log;
    }

    public double errorRate() {
        return lines == 0 ? 0 : (double) errors / lines;
    }
}
