package dev.logai.flink.anomaly;

import dev.logai.common.contract.Metric;
import dev.logai.flink.window.TemplateCount;
import dev.logai.flink.window.WindowMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Each template's lines in the window against its usual count ({@link TemplateRate#usual}: its
 * average, or its usual lines when it appears, for an intermittent template), for
 * templates past the warm-up: at least {@value #MIN_TEMPLATE_LINES} lines, {@value #MIN_TEMPLATE_RATIO}×
 * the usual, and a z of twice the threshold, where counts are taken as Poisson with 10% extra
 * spread for the burstiness of real traffic. At most {@value #MAX_TEMPLATE_ANOMALIES} per window,
 * the largest z first, so one noisy deploy does not flood the anomaly list.
 *
 * <p>A quiet source's surge (a warning at 7 lines a minute where it usually logs one an hour)
 * never has {@value #MIN_TEMPLATE_LINES} lines in one window. So for a template past its warm-up
 * whose usual is under a fourth of those lines, the windows in a row from one with {@value
 * #MIN_TEMPLATE_RATIO}× its usual lines, while it keeps above that usual (at most {@value
 * TemplateRate#MAX_RUN_WINDOWS}: {@link TemplateRate#extendRun}), are judged together by the same
 * gates, their lines and usual lines summed: a run that passes is reported once, in its first
 * window that does (and not again by the run; a window that passes on its own still is).
 *
 * <p>Level-aware for templates still in their warm-up: a template that appeared after its source's
 * own warm-up and surges with mostly WARN-or-worse lines (a new "retrying connection" warning at 40
 * lines a minute, with no error-rate change) is a spike under the same gates; a young template of
 * INFO lines is not (a deploy's new request templates), and a young error template is the new-
 * templates detector's.
 */
final class TemplateRateDetector implements WindowDetector {
    static final long MIN_TEMPLATE_LINES = 20;
    static final double MIN_TEMPLATE_RATIO = 4;
    static final int MAX_TEMPLATE_ANOMALIES = 3;

    /** Whether at least half of a template's lines in the window are WARN or worse. */
    static boolean mostlyWarnings(TemplateCount t) {
        return 2 * (t.warnings + t.errors) >= t.lines;
    }

    /**
     * Whether a new template is this detector's to judge as a warning surge rather than the
     * new-templates detector's: mostly warnings and at least {@value #MIN_TEMPLATE_LINES} lines.
     */
    static boolean isWarningSurgeSized(TemplateCount t) {
        return t.lines >= MIN_TEMPLATE_LINES && mostlyWarnings(t);
    }

    /**
     * The z of {@code lines} against {@code usual} lines: Poisson, with 10% extra spread for the
     * burstiness of real traffic.
     */
    static double surgeZ(double lines, double usual) {
        return (lines - usual) / Math.sqrt(usual + 0.01 * usual * usual + 1);
    }

    /**
     * Whether {@code lines} against {@code usual} (one window's, or a run's summed) pass the gates:
     * at least {@value #MIN_TEMPLATE_LINES} lines, {@value #MIN_TEMPLATE_RATIO}× the usual, and a
     * {@link #surgeZ} of twice the threshold.
     */
    static boolean isSurge(double lines, double usual, DetectorSettings s) {
        return lines >= MIN_TEMPLATE_LINES
                && lines >= MIN_TEMPLATE_RATIO * usual
                && surgeZ(lines, usual) >= 2 * s.threshold();
    }

    @Override
    public List<Anomaly> judge(WindowMetrics m, Baselines baselines) {
        DetectorSettings s = baselines.settings;
        long window = baselines.window;
        List<Anomaly> spikes = new ArrayList<>();
        for (Map.Entry<String, TemplateCount> e : m.templates.entrySet()) {
            TemplateRate r = baselines.templates.get(e.getKey());
            double expected = r.usual(window);
            double lines = e.getValue().lines;
            double z = surgeZ(lines, expected);
            boolean warm = r.age(window) >= s.warmup();
            boolean newWarningSurge =
                    !warm && baselines.source.windows > s.warmup() + r.age(window) && mostlyWarnings(e.getValue());
            boolean inRun = r.extendRun(window, lines, expected, MIN_TEMPLATE_RATIO);
            boolean alone = isSurge(lines, expected, s);
            // A quiet template's surge is judged over its run of surging windows too: the same
            // gates on the run's lines and usual lines summed, reported once per run. Only for a
            // template past its warm-up (a young one's usual is 0, against which any run passes: a
            // new warning is the new-templates detector's until it has a surge's lines in one
            // window) whose usual is too small for a ×4 window to hold the lines one window needs.
            boolean byRun = inRun
                    && warm
                    && r.runBase * MIN_TEMPLATE_RATIO < MIN_TEMPLATE_LINES
                    && !r.runReported
                    && isSurge(r.runLines, r.runUsual, s);
            if ((warm || newWarningSurge) && inRun && (alone || byRun)) {
                boolean overRun = !alone;
                if (overRun) {
                    z = surgeZ(r.runLines, r.runUsual);
                }
                double x = z / (2 * s.threshold());
                Anomaly spike = Anomaly.of(
                        m,
                        Metric.TEMPLATE_RATE,
                        "",
                        e.getKey(),
                        lines,
                        expected,
                        z,
                        x * x / (x * x + 1),
                        "spike",
                        baselines.why.ofTemplate(
                                e.getKey(),
                                String.format(
                                                Locale.ROOT,
                                                newWarningSurge
                                                        ? "new template %s, mostly WARN or worse: %.0f lines vs usually %.1f"
                                                        : "template %s: %.0f lines vs usually %.1f",
                                                e.getKey(),
                                                lines,
                                                expected)
                                        + (overRun
                                                ? String.format(
                                                        Locale.ROOT,
                                                        ", %.0f over the last %d windows vs usually %.1f",
                                                        r.runLines,
                                                        window - r.runFrom + 1,
                                                        r.runUsual)
                                                : "")));
                spikes.add(overRun ? spike.lastingFor(window - r.runFrom + 1) : spike);
            }
            r.update(window, lines);
        }
        spikes.sort((x, y) -> Double.compare(y.zscore, x.zscore));
        List<Anomaly> reported = spikes.subList(0, Math.min(MAX_TEMPLATE_ANOMALIES, spikes.size()));
        for (Anomaly a : reported) {
            // only a run actually reported is done: one cut by the top-3 may pass in a later window
            baselines.templates.get(a.templateId).runReported = true;
        }
        return reported;
    }
}
