package dev.logai.flink.anomaly;

import dev.logai.common.contract.Metric;
import dev.logai.flink.window.TemplateCount;
import dev.logai.flink.window.WindowMetrics;
import java.util.List;
import java.util.Locale;

/**
 * Templates the miner saw for the first time: any new template with error lines, or a burst of at
 * least {@value #NEW_TEMPLATE_BURST} new ones and more than twice the usual plus that. The usual
 * count per window ({@link SourceBaselines#newTemplateRate}) is an EWM (rate 0.05) of clipped
 * counts, so a deploy's burst does not make the next deploy's look usual. The score is
 * {@code x²/(x²+1)} of the new templates (error ones counted twice) over the usual plus one; there
 * is no z-score (NaN).
 */
final class NewTemplatesDetector implements WindowDetector {
    static final int NEW_TEMPLATE_BURST = 3;

    @Override
    public List<Anomaly> judge(WindowMetrics m, Baselines baselines) {
        SourceBaselines b = baselines.source;
        int newErrorTemplates = 0;
        for (TemplateCount t : m.templates.values()) {
            if (t.isNew && t.errors > 0) {
                newErrorTemplates++;
            }
        }
        List<Anomaly> found = List.of();
        if (newErrorTemplates > 0
                || (m.newTemplates >= NEW_TEMPLATE_BURST
                        && m.newTemplates > 2 * b.newTemplateRate + NEW_TEMPLATE_BURST)) {
            double x = (m.newTemplates + newErrorTemplates) / (b.newTemplateRate + 1);
            String reason = m.newTemplates + " new template" + (m.newTemplates == 1 ? "" : "s")
                    + (newErrorTemplates > 0 ? ", " + newErrorTemplates + " with errors" : "")
                    + String.format(Locale.ROOT, " vs usually %.1f per window", b.newTemplateRate);
            found = List.of(Anomaly.of(
                    m,
                    Metric.NEW_TEMPLATES,
                    "",
                    "",
                    m.newTemplates,
                    b.newTemplateRate,
                    Double.NaN,
                    x * x / (x * x + 1),
                    "new",
                    baselines.why.of(Explanations.Focus.NEW, reason)));
        }
        b.newTemplateRate +=
                0.05 * (Math.min(m.newTemplates, 2 * b.newTemplateRate + NEW_TEMPLATE_BURST) - b.newTemplateRate);
        return found;
    }
}
