package dev.logai.flink.window;

/** One template's lines in one window, with example lines for explanations and summaries. */
public class TemplateCount {
    public String template;
    public long lines;
    public long errors;
    /** Lines at WARN level (errors are counted in {@link #errors}). */
    public long warnings;

    public long firstTs = Long.MAX_VALUE;
    public long lastTs = Long.MIN_VALUE;
    /** The template first appeared (after the source's warm-up) in this window. */
    public boolean isNew;
    /** The first line of the template in the window; the first error line if it has errors. */
    public String example;

    public boolean exampleIsError;
    /** Up to {@link #MORE_EXAMPLES} further distinct lines, so a summary can show more than one. */
    public String[] moreExamples = NONE;

    public static final int MORE_EXAMPLES = 2;
    private static final String[] NONE = new String[0];

    public TemplateCount() {}

    public TemplateCount merge(TemplateCount o) {
        if (template == null) {
            template = o.template;
        }
        lines += o.lines;
        errors += o.errors;
        warnings += o.warnings;
        firstTs = Math.min(firstTs, o.firstTs);
        lastTs = Math.max(lastTs, o.lastTs);
        isNew |= o.isNew;
        if (example == null || (!exampleIsError && o.exampleIsError)) {
            if (example != null) {
                addExample(example);
            }
            example = o.example;
            exampleIsError = o.exampleIsError;
        } else if (o.example != null) {
            addExample(o.example);
        }
        for (String line : o.moreExamples) {
            addExample(line);
        }
        return this;
    }

    /** Keeps {@code line} as a further example if there is room and it is not one already. */
    public void addExample(String line) {
        if (moreExamples.length >= MORE_EXAMPLES || line == null || line.equals(example)) {
            return;
        }
        for (String e : moreExamples) {
            if (e.equals(line)) return;
        }
        String[] grown = java.util.Arrays.copyOf(moreExamples, moreExamples.length + 1);
        grown[moreExamples.length] = line;
        moreExamples = grown;
    }
}
