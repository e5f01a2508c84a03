package dev.logai.flink.window;

/**
 * Statistics of one event-time window of one (org, source): the row upserted into
 * {@code window_stats}. Each emission carries the window's full totals so far, never a delta, so
 * writing it again (a replay after failure, a late update) overwrites rather than adds.
 */
public class WindowStats {
    public String orgId;
    public String sourceId;
    public long windowStart;
    public long windowEnd;
    public long lines;
    public long trace;
    public long debug;
    public long info;
    public long warn;
    public long error;
    public long fatal;
    public long unknown;
    /** (error + fatal) / lines. */
    public double errorRate;

    public long firstTs;
    public long lastTs;
    /** True once the watermark passed the window end; early (partial) emissions are false. */
    public boolean complete;
    /** Lines of the window that carried a duration; 0: none, and the quantiles are NaN. */
    public long latencyCount;
    /** The durations' median and 95th percentile, in milliseconds (within ±5%: {@link LatencySketch}). */
    public double latencyP50Ms = Double.NaN;

    public double latencyP95Ms = Double.NaN;

    public WindowStats() {}

    public static WindowStats of(
            String orgId, String sourceId, long start, long end, WindowCounts c, boolean complete) {
        WindowStats s = new WindowStats();
        s.orgId = orgId;
        s.sourceId = sourceId;
        s.windowStart = start;
        s.windowEnd = end;
        s.lines = c.lines;
        s.trace = c.trace;
        s.debug = c.debug;
        s.info = c.info;
        s.warn = c.warn;
        s.error = c.error;
        s.fatal = c.fatal;
        s.unknown = c.unknown;
        s.errorRate = c.lines == 0 ? 0 : (double) (c.error + c.fatal) / c.lines;
        s.firstTs = c.firstTs;
        s.lastTs = c.lastTs;
        s.complete = complete;
        return s;
    }

    /** The row of window {@code m}: its counts and, when its lines carried durations, its latency. */
    public static WindowStats of(WindowMetrics m) {
        WindowStats s = of(m.orgId, m.sourceId, m.windowStart, m.windowEnd, m.counts, m.complete);
        if (m.latency != null && m.latency.count > 0) {
            s.latencyCount = m.latency.count;
            s.latencyP50Ms = m.latency.quantile(0.5);
            s.latencyP95Ms = m.latency.quantile(0.95);
        }
        return s;
    }

    @Override
    public String toString() {
        return "WindowStats{" + orgId + "/" + sourceId + " [" + windowStart + "," + windowEnd + ") lines=" + lines
                + " error=" + error + " fatal=" + fatal + " complete=" + complete + "}";
    }
}
