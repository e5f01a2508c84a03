package dev.logai.flink.window;

/** One template's lines in one window, with one example line for explanations. */
public class TemplateCount {
    public String template;
    public long lines;
    public long errors;
    public long firstTs = Long.MAX_VALUE;
    public long lastTs = Long.MIN_VALUE;
    /** The template first appeared (after the source's warm-up) in this window. */
    public boolean isNew;
    /** The first line of the template in the window; the first error line if it has errors. */
    public String example;
    public boolean exampleIsError;

    public TemplateCount() {}

    public TemplateCount merge(TemplateCount o) {
        if (template == null) {
            template = o.template;
        }
        lines += o.lines;
        errors += o.errors;
        firstTs = Math.min(firstTs, o.firstTs);
        lastTs = Math.max(lastTs, o.lastTs);
        isNew |= o.isNew;
        if (example == null || (!exampleIsError && o.exampleIsError)) {
            example = o.example;
            exampleIsError = o.exampleIsError;
        }
        return this;
    }
}
