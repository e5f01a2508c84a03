package dev.logai.flink.window;

/**
 * How many lines of one (org, source, window) came too late to count: later than their own
 * source's clock allowed ({@link SourceWindows}). A running total, so an upsert of it is
 * idempotent. A Flink POJO.
 */
public class WindowLateness {
    public String orgId;
    public String sourceId;
    /** The window the late lines belong to by their event time (epoch ms). */
    public long windowStart;

    public long windowEnd;
    /** Late lines of that window so far. */
    public long lateLines;

    public WindowLateness() {}

    public WindowLateness(String orgId, String sourceId, long windowStart, long windowEnd, long lateLines) {
        this.orgId = orgId;
        this.sourceId = sourceId;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.lateLines = lateLines;
    }

    @Override
    public String toString() {
        return orgId + "/" + sourceId + "@" + windowStart + " late=" + lateLines;
    }
}
