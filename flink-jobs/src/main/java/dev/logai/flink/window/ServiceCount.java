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

    /** Adds one line's duration in milliseconds (≥ 0). */
    public void addDuration(double ms) {
        double log = Math.log(Math.max(1.0, ms));
        durations++;
        logDurationSum += log;
        logDurationSquares += log * log;
    }

    public double errorRate() {
        return lines == 0 ? 0 : (double) errors / lines;
    }

    /** Mean of ln(ms) over the durations (the log of the geometric mean); NaN without any. */
    public double meanLogDuration() {
        return durations == 0 ? Double.NaN : logDurationSum / durations;
    }

    /** Sample variance of ln(ms) over the durations; 0 with fewer than two. */
    public double logDurationVariance() {
        if (durations < 2) {
            return 0;
        }
        double mean = logDurationSum / durations;
        return Math.max(0, (logDurationSquares - durations * mean * mean) / (durations - 1));
    }
}
