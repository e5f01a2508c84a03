package dev.logai.flink.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.window.TemplateCount;
import dev.logai.flink.window.WindowMetrics;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** New error templates are news by the source's own discovery rate (Good-Turing), or when they erupt. */
class NewTemplatesDetectorTest {
    final NewTemplatesDetector detector = new NewTemplatesDetector();
    final SourceBaselines source = new SourceBaselines();
    long window;

    /** A window with {@code knownErrors} error lines of a known template and new error templates of the given sizes. */
    List<Anomaly> judge(int knownErrors, int... newErrorTemplateLines) {
        List<TemplateCount> fresh = new java.util.ArrayList<>();
        for (int lines : newErrorTemplateLines) fresh.add(fresh("ERROR", lines));
        return judge(knownErrors, 0, fresh);
    }

    /** A new template of {@code lines} lines at {@code level} (ERROR, WARN or INFO). */
    static TemplateCount fresh(String level, int lines) {
        TemplateCount t = new TemplateCount();
        t.lines = lines;
        t.errors = level.equals("ERROR") ? lines : 0;
        t.warnings = level.equals("WARN") ? lines : 0;
        t.isNew = true;
        return t;
    }

    /** A window with known error and warning lines (and 50 known INFO lines) and the given new templates. */
    List<Anomaly> judge(int knownErrors, int knownWarnings, List<TemplateCount> newTemplates) {
        WindowMetrics m = WindowMetrics.empty("org", "src", window * 60_000, (window + 1) * 60_000);
        TemplateCount known = new TemplateCount();
        known.template = "known failure <*>";
        known.lines = knownErrors;
        known.errors = knownErrors;
        m.templates.put("known", known);
        TemplateCount warning = new TemplateCount();
        warning.template = "known warning <*>";
        warning.lines = knownWarnings;
        warning.warnings = knownWarnings;
        m.templates.put("warning", warning);
        TemplateCount info = new TemplateCount();
        info.template = "request <*> served";
        info.lines = 50;
        m.templates.put("info", info);
        for (int i = 0; i < newTemplates.size(); i++) {
            TemplateCount t = newTemplates.get(i);
            t.template = "new template " + window + " " + i;
            m.templates.put("new-" + window + "-" + i, t);
        }
        m.newTemplates = newTemplates.size();
        Baselines b = new Baselines(
                DetectorSettings.MEDIUM,
                window,
                Long.MIN_VALUE,
                source,
                new HashMap<>(),
                new HashMap<>(),
                new HashMap<>(),
                new Explanations(m, new HashMap<>()));
        window++;
        return detector.judge(m, b);
    }

    @Test
    void aYoungSourcesFirstSightingsOfRareErrorsAreNotNewsAMatureSourcesAre() {
        // the first hours: a rare error template met for the first time every half hour or so
        int flaggedYoung = 0;
        for (int i = 0; i < 6 * 60; i++) {
            if (!judge(2, i % 30 == 0 ? new int[] {1} : new int[0]).isEmpty()) flaggedYoung++;
        }
        assertThat(flaggedYoung)
                .as("first sightings while the source still discovers its errors")
                .isZero();
        // then two days without a new one
        for (int i = 0; i < 2 * 1440; i++) judge(2);
        assertThat(judge(2, 1))
                .as("a new error template in a source that has seen all its errors")
                .hasSize(1);
    }

    @Test
    void aNewErrorTemplateThatEruptsIsNewsEvenInAYoungSource() {
        for (int i = 0; i < 60; i++) judge(2, i % 10 == 0 ? new int[] {1} : new int[0]);
        assertThat(judge(2, NewTemplatesDetector.NEW_ERROR_ERUPTION))
                .singleElement()
                .satisfies(a -> assertThat(a.is(dev.logai.common.contract.Metric.NEW_TEMPLATES))
                        .isTrue());
    }

    @Test
    void aDeploysStartupLinesAreNotNews() {
        for (int i = 0; i < 2 * 1440; i++) judge(2, 3, List.of());
        List<TemplateCount> startup = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) startup.add(fresh("INFO", 1));
        assertThat(judge(2, 3, startup))
                .as("six new INFO templates of one line each: a restart's startup sequence")
                .isEmpty();
    }

    @Test
    void aNewWarningTemplateIsJudgedByTheSourcesWarningDiscoveryRate() {
        // the first hours: a new warning template now and then, as a young source meets its warnings
        int flaggedYoung = 0;
        for (int i = 0; i < 6 * 60; i++) {
            if (!judge(2, 3, i % 30 == 0 ? List.of(fresh("WARN", 1)) : List.of())
                    .isEmpty()) flaggedYoung++;
        }
        assertThat(flaggedYoung)
                .as("first sightings while the source still discovers its warnings")
                .isZero();
        for (int i = 0; i < 2 * 1440; i++) judge(2, 3, List.of());
        assertThat(judge(2, 3, List.of(fresh("WARN", 1))))
                .as("a new warning template in a source that has seen all its warnings")
                .singleElement()
                .satisfies(a -> assertThat(a.explanation).contains("1 with warnings"));
    }

    @Test
    void aBusyNewTemplateWithSomeWarningsIsJudgedHereNotLeftToTheSurgeDetector() {
        for (int i = 0; i < 2 * 1440; i++) judge(2, 3, List.of());
        TemplateCount mixed = fresh("INFO", 30);
        mixed.warnings = 10; // a third warnings: not "mostly WARN", so no template_rate surge
        assertThat(judge(2, 3, List.of(mixed))).hasSize(1);
    }

    @Test
    void poissonTailIsTheChanceOfAtLeastK() {
        assertThat(NewTemplatesDetector.poissonTail(0.01, 1))
                .isCloseTo(1 - Math.exp(-0.01), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(NewTemplatesDetector.poissonTail(2, 2))
                .isCloseTo(1 - 3 * Math.exp(-2), org.assertj.core.data.Offset.offset(1e-12));
    }
}
