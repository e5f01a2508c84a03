package dev.logai.flink.window;

/**
 * One service's lines, error lines and latencies in one window. The latencies are kept as the
 * count, sum and sum of squares of their natural logs (ms): enough for the service's typical
 * latency (the geometric mean) and its spread, in three numbers however many requests there were;
 * and the service's slowest line with its template, the evidence of a latency anomaly of that
 * service (the window's examples may all be other services' lines), and its first error line.
 */
public class ServiceCount {
    public long lines;
    public long errors;
    /** Lines of the service that carried a duration. */
    public long durations;
    /** Σ ln(ms) and Σ ln(ms)² over those lines (a duration under 1 ms counts as 1 ms). */
    public double logDurationSum;

    public double logDurationSquares;
    /** The longest duration of the window's lines (ms; -1: none), that line and its template id. */
    public double slowestMs = -1;

    public String slowestExample;
    public String slowestTemplateId;
    /** The service's first error line of the window (null: none) and its template id. */
    public String errorExample;

    public String errorTemplateId;

    public ServiceCount() {}

    public ServiceCount merge(ServiceCount o) {
        lines += o.lines;
        errors += o.errors;
        durations += o.durations;
        logDurationSum += o.logDurationSum;
        logDurationSquares += o.logDurationSquares;
        if (errorExample == null) {
            errorExample = o.errorExample;
            errorTemplateId = o.errorTemplateId;
        }
        if (o.slowestMs > slowestMs) {
            slowestMs = o.slowestMs;
            slowestExample = o.slowestExample;
            slowestTemplateId = o.slowestTemplateId;
        }
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

    /**
     * As {@link #addDuration(double)}, keeping the line as the slowest when it is.
     *
     * @param line       the line (its example text is taken only when it is the slowest)
     * @param templateId its template's id
     */
    void addDuration(double ms, dev.logai.flink.parse.LogRecord line, String templateId) {
        addDuration(ms);
        if (ms > slowestMs && Double.isFinite(ms)) {
            slowestMs = ms;
            slowestExample = WindowMetrics.exampleOf(line);
            slowestTemplateId = templateId;
        }
    }

    public double errorRate() {
        return lines == 0 ? 0 : (double) errors / lines;
    }
}
