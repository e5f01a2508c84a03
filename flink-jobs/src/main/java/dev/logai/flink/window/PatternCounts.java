package dev.logai.flink.window;

import dev.logai.flink.parse.LogRecord;

/** Running count of one template in one window; O(1) per line. */
public class PatternCounts {
    public long lines;
    public long errors;
    public long firstTs = Long.MAX_VALUE;
    public long lastTs = Long.MIN_VALUE;
    public String orgId;
    public String sourceId;
    public String templateId;
    public String template;
    public boolean sawNew;

    public PatternCounts() {}

    public void add(LogRecord r) {
        if (template == null) {
            orgId = r.orgId;
            sourceId = r.sourceId;
            templateId = r.templateId;
            template = r.template;
        }
        lines++;
        if (r.level == dev.logai.flink.parse.Level.ERROR || r.level == dev.logai.flink.parse.Level.FATAL) errors++;
        firstTs = Math.min(firstTs, r.ts);
        lastTs = Math.max(lastTs, r.ts);
        sawNew |= r.templateNew;
    }

    public PatternCounts merge(PatternCounts o) {
        if (template == null) {
            orgId = o.orgId;
            sourceId = o.sourceId;
            templateId = o.templateId;
            template = o.template;
        }
        lines += o.lines;
        errors += o.errors;
        firstTs = Math.min(firstTs, o.firstTs);
        lastTs = Math.max(lastTs, o.lastTs);
        sawNew |= o.sawNew;
        return this;
    }
}
