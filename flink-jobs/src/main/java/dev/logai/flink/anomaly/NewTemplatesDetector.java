package dev.logai.flink.anomaly;

import dev.logai.common.contract.Metric;
import dev.logai.flink.window.TemplateCount;
import dev.logai.flink.window.WindowMetrics;
import java.util.List;
import java.util.Locale;

/**
 * Templates the miner saw for the first time, judged by level: new templates with error lines when
 * that many would rarely come by chance or one erupts (at least {@value #NEW_ERROR_ERUPTION} error
 * lines in its first window: not a rare kind met by chance but a new failure, always news); new
 * templates with warning lines when that many would rarely come by chance — except one the size of a
 * surge, mostly warnings ({@link TemplateRateDetector#isWarningSurgeSized}), which is {@link
 * TemplateRateDetector}'s.
 *
 * <p>"By chance" is the source's own discovery rate of error templates, and separately of warning
 * templates ({@link ErrorDiscovery}: new templates per line of that level that could have been
 * one, over about the last 1,000 windows), the Good-Turing view of how often the next line is of a
 * kind never seen: a source in its first hours still meets its rare errors for the first time, a
 * mature one almost never does. The window's new templates of a level are news when
 * P(Poisson(rate × chances) ≥ k) is under {@value #DISCOVERY_SURPRISE}; in a mature source that is
 * the first one.
 *
 * <p>New templates at INFO and below (or of lines without a level), however many, are a change, not an incident: a deploy or a
 * restart logs its startup sequence once (six new templates of one line each), and a new release
 * its new request templates; an SRE is not paged for them. They stay in the window's statistics
 * ({@code new_templates} of the window, the patterns' first-seen). The usual count per window
 * ({@link SourceBaselines#newTemplateRate}, an EWM at rate 0.05 of counts clipped at twice it plus
 * {@value #USUAL_CLIP}) sizes the score: {@code x²/(x²+1)} of the new templates (error ones counted
 * twice) over the usual plus one; there is no z-score (NaN).
 */
final class NewTemplatesDetector implements WindowDetector {
    /** A window's new-template count enters the usual count clipped at twice the usual plus this. */
    static final int USUAL_CLIP = 3;
    /** A new error template with this many error lines in its first window is news however young the source. */
    static final int NEW_ERROR_ERUPTION = 5;
    /** A window's new templates of a level are news when at least that many would come by chance less often than this. */
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
        if (b.warningDiscovery == null) {
            b.warningDiscovery = new ErrorDiscovery();
        }
        int newErrorTemplates = 0;
        int newWarningTemplates = 0;
        boolean erupting = false;
        long knownErrorLines = 0;
        long knownWarningLines = 0;
        for (TemplateCount t : m.templates.values()) {
            if (!t.isNew) {
                knownErrorLines += t.errors;
                knownWarningLines += t.warnings;
            } else if (t.errors > 0) {
                newErrorTemplates++;
                erupting |= t.errors >= NEW_ERROR_ERUPTION;
            } else if (t.warnings > 0 && !TemplateRateDetector.isWarningSurgeSized(t)) {
                newWarningTemplates++;
            }
        }
        boolean surprising = erupting
                | discovered(b.errorDiscovery, newErrorTemplates, knownErrorLines)
                | discovered(b.warningDiscovery, newWarningTemplates, knownWarningLines);
        List<Anomaly> found = List.of();
        if (surprising) {
            double x = (m.newTemplates + newErrorTemplates) / (b.newTemplateRate + 1);
            String reason = m.newTemplates + " new template" + (m.newTemplates == 1 ? "" : "s")
                    + (newErrorTemplates > 0 ? ", " + newErrorTemplates + " with errors" : "")
                    + (newWarningTemplates > 0 ? ", " + newWarningTemplates + " with warnings" : "")
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
        b.newTemplateRate += 0.05 * (Math.min(m.newTemplates, 2 * b.newTemplateRate + USUAL_CLIP) - b.newTemplateRate);
        return found;
    }

    /**
     * Whether {@code found} new templates of a level are more than its discovery rate makes likely,
     * then teaches the rate this window.
     *
     * @param knownLines the window's lines of that level in known templates; with the first line of
     *     each new one, the lines that could have been a discovery (a new template's later lines
     *     are the same discovery)
     */
    private static boolean discovered(ErrorDiscovery discovery, int found, long knownLines) {
        long chances = knownLines + found;
        double expected = chances * discovery.rate();
        discovery.learn(found, chances);
        return found > 0 && poissonTail(expected, found) < DISCOVERY_SURPRISE;
    }
}
