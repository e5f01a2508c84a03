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

    @Override
    public List<Anomaly> judge(WindowMetrics m, Baselines baselines) {
        DetectorSettings s = baselines.settings;
        long window = baselines.window;
        List<Anomaly> spikes = new ArrayList<>();
        for (Map.Entry<String, TemplateCount> e : m.templates.entrySet()) {
            TemplateRate r = baselines.templates.get(e.getKey());
            double expected = r.usual(window);
            double lines = e.getValue().lines;
            double z = (lines - expected) / Math.sqrt(expected + 0.01 * expected * expected + 1);
            boolean warm = r.age(window) >= s.warmup();
            boolean newWarningSurge =
                    !warm && baselines.source.windows > s.warmup() + r.age(window) && mostlyWarnings(e.getValue());
            if ((warm || newWarningSurge)
                    && lines >= MIN_TEMPLATE_LINES
                    && lines >= MIN_TEMPLATE_RATIO * expected
                    && z >= 2 * s.threshold()) {
                double x = z / (2 * s.threshold());
                spikes.add(Anomaly.of(
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
                                        expected))));
            }
            r.update(window, lines);
        }
        spikes.sort((x, y) -> Double.compare(y.zscore, x.zscore));
        return spikes.subList(0, Math.min(MAX_TEMPLATE_ANOMALIES, spikes.size()));
    }
}
