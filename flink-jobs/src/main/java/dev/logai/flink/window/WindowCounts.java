package dev.logai.flink.window;

import dev.logai.flink.parse.Level;
import dev.logai.flink.parse.LogRecord;

/** Running totals of one (org, source, window); kept in window state, so O(1) per line. */
public class WindowCounts {
    public long lines;
    public long trace;
    public long debug;
    public long info;
    public long warn;
    public long error;
    public long fatal;
    public long unknown;
    public long firstTs = Long.MAX_VALUE;
    public long lastTs = Long.MIN_VALUE;

    public WindowCounts() {}

    public void add(LogRecord record) {
        lines++;
        count(record.level, 1);
        firstTs = Math.min(firstTs, record.ts);
        lastTs = Math.max(lastTs, record.ts);
    }

    private void count(Level level, long n) {
        switch (level) {
            case TRACE -> trace += n;
            case DEBUG -> debug += n;
            case INFO -> info += n;
            case WARN -> warn += n;
            case ERROR -> error += n;
            case FATAL -> fatal += n;
            default -> unknown += n;
        }
    }

    /** Adds the totals of an emitted window, e.g. to sum a source's windows in a report. */
    public WindowCounts add(WindowStats w) {
        WindowCounts c = new WindowCounts();
        c.lines = w.lines;
        c.trace = w.trace;
        c.debug = w.debug;
        c.info = w.info;
        c.warn = w.warn;
        c.error = w.error;
        c.fatal = w.fatal;
        c.unknown = w.unknown;
        c.firstTs = w.firstTs;
        c.lastTs = w.lastTs;
        return merge(c);
    }

    public WindowCounts merge(WindowCounts other) {
        lines += other.lines;
        trace += other.trace;
        debug += other.debug;
        info += other.info;
        warn += other.warn;
        error += other.error;
        fatal += other.fatal;
        unknown += other.unknown;
        firstTs = Math.min(firstTs, other.firstTs);
        lastTs = Math.max(lastTs, other.lastTs);
        return this;
    }
}
