package dev.logai.flink.anomaly;

import dev.logai.common.contract.Metric;
import dev.logai.flink.window.TemplateCount;
import dev.logai.flink.window.WindowMetrics;
import java.util.List;
import java.util.Locale;

/**
 * Templates the miner saw for the first time: new templates with error lines when that many would
 * rarely come by chance, or a burst of at least {@value #NEW_TEMPLATE_BURST} new ones and more than
 * twice the usual plus that.
 *
 * <p>"By chance" is the source's own discovery rate of error templates ({@link ErrorDiscovery}: new
 * error templates per error line that could have been one, over about the last 1,000 windows), the
 * Good-Turing view of how often the next line is of a kind never seen: a source in its first hours
 * still meets its rare errors for the first time, a mature one almost never does. The window's
 * new error templates are news when P(Poisson(rate × chances) ≥ k) is under {@value
 * #DISCOVERY_SURPRISE}; in a mature source that is the first one. A new error template with at
 * least {@value #NEW_ERROR_ERUPTION} lines in its first window is not a rare kind met by chance but
 * a new failure: always news. The usual
 * count per window ({@link SourceBaselines#newTemplateRate}) is an EWM (rate 0.05) of clipped
 * counts, so a deploy's burst does not make the next deploy's look usual. The score is
 * {@code x²/(x²+1)} of the new templates (error ones counted twice) over the usual plus one; there
 * is no z-score (NaN).
 */
final class NewTemplatesDetector implements WindowDetector {
    static final int NEW_TEMPLATE_BURST = 3;
    /** A new error template with this many error lines in its first window is news however young the source. */
    static final int NEW_ERROR_ERUPTION = 5;
    /** A window's new error templates are news when at least that many would come by chance less often than this. */
    static final double DISCOVERY_SURPRISE = 0.01;

    /** P(X ≥ k) for X ~ Poisson(λ), k ≥ 1. */
    static double poissonTail(double lambda, int k) {
        double term = Math.exp(-lambda);
        double below = 0;
        for (int i = 0; i < k; i++) {
            below += term;
            term *= lambda / (i + 1);
        }
        return Math.max(0, 1 - below);
    }

    @Override
    public List<Anomaly> judge(WindowMetrics m, Baselines baselines) {
        SourceBaselines b = baselines.source;
        int newErrorTemplates = 0;
        boolean erupting = false;
        long knownErrorLines = 0;
        for (TemplateCount t : m.templates.values()) {
            if (t.isNew && t.errors > 0) {
                newErrorTemplates++;
                erupting |= t.errors >= NEW_ERROR_ERUPTION;
            } else if (!t.isNew) {
                knownErrorLines += t.errors;
            }
        }
        // Error lines that could have been a discovery: those of known templates and the first of
        // each new one (its later lines are the same discovery).
        long chances = knownErrorLines + newErrorTemplates;
        double expectedDiscoveries = chances * b.errorDiscovery.rate();
        b.errorDiscovery.learn(newErrorTemplates, chances);
        boolean surprisingErrors = erupting
                || (newErrorTemplates > 0 && poissonTail(expectedDiscoveries, newErrorTemplates) < DISCOVERY_SURPRISE);
        List<Anomaly> found = List.of();
        if (surprisingErrors
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
