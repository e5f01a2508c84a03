package dev.logai.flink.window;

/**
 * Lines of one template in one event-time window of one (org, source): a row of
 * {@code pattern_window}, and through it the template's row in {@code pattern}. Like
 * {@link WindowStats}, every emission carries the window's full totals, so a replay overwrites.
 */
public class PatternWindow {
    public String orgId;
    public String sourceId;
    public String templateId;
    public String template;
    public long windowStart;
    public long windowEnd;
    public long lines;
    public long errors;
    public long firstTs;
    public long lastTs;
    /** The template first appeared (after the source's warm-up) in this window. */
    public boolean isNew;

    public boolean complete;

    public PatternWindow() {}

    public static PatternWindow of(WindowMetrics m, String templateId, TemplateCount c) {
        PatternWindow w = new PatternWindow();
        w.orgId = m.orgId;
        w.sourceId = m.sourceId;
        w.templateId = templateId;
        w.template = c.template;
        w.windowStart = m.windowStart;
        w.windowEnd = m.windowEnd;
        w.lines = c.lines;
        w.errors = c.errors;
        w.firstTs = c.firstTs;
        w.lastTs = c.lastTs;
        w.isNew = c.isNew;
        w.complete = m.complete;
        return w;
    }

    @Override
    public String toString() {
        return "PatternWindow{" + orgId + "/" + sourceId + " " + templateId + " [" + windowStart + "] lines=" + lines
                + (isNew ? " new" : "") + " " + template + "}";
    }
}
