package dev.logai.flink.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.anomaly.Anomaly;
import dev.logai.flink.window.WindowStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's own rules: what the text shows of a long run, and that the JSON keeps everything. */
class AnalysisReportTest {
    @Test
    void aLongRunKeepsEveryAnomalyInJsonAndTheHighestScoredInText() throws Exception {
        List<WindowStats> windows = new ArrayList<>();
        List<Anomaly> anomalies = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            Anomaly a = new Anomaly();
            a.orgId = "local";
            a.sourceId = "app.log";
            a.windowStart = 60_000L * i;
            a.windowEnd = a.windowStart + 60_000L;
            a.metric = "volume";
            a.label = "spike";
            a.score = i == 40 ? 0.99 : 0.5 + i / 1000.0;
            a.explanation = "{\"reason\":\"spike " + i + "\"}";
            a.onset = i == 40 ? a.windowStart - 6 * 60_000L : a.windowStart;
            anomalies.add(a);
            WindowStats w = new WindowStats();
            w.orgId = "local";
            w.sourceId = "app.log";
            w.windowStart = a.windowStart;
            w.windowEnd = a.windowEnd;
            w.lines = 1;
            w.info = 1;
            if (i < 10) {
                w.latencyCount = 3;
                w.latencyP50Ms = 50 + i;
                w.latencyP95Ms = 100 + i;
            }
            w.complete = true;
            windows.add(w);
        }
        AnalysisReport report = AnalysisReport.of(
                List.of("app.log"),
                Map.of("app.log", "text"),
                Map.of("app.log", 45L),
                Map.of(),
                Map.of(),
                windows,
                List.of(),
                List.of(),
                anomalies,
                List.of(),
                Duration.ofMinutes(1));
        assertThat(report.sources().get(0).anomalies()).hasSize(45);
        String text = report.toText();
        assertThat(text)
                .contains("the 20 highest scored of 45: 25 not shown (--max-anomalies 0 prints all, --json has all)")
                .contains("spike 40");
        // the highest scored are shown, the lowest are not
        assertThat(text).doesNotContain("spike 0\n").contains("spike 44");
        String all = report.toText(0);
        assertThat(all).doesNotContain("not shown").contains("spike 0\n", "spike 44");
        assertThat(report.toText(50)).isEqualTo(all);
        assertThat(text).contains("  latency     30 events carried a duration; a window's p95 from 100 to 109 ms\n");
        // a lasting change says since when, in text and JSON; the others do not
        assertThat(text).contains("spike 40\n        building since 1970-01-01T00:34:00Z");
        assertThat(text.split("building since", -1)).hasSize(2);
        com.fasterxml.jackson.databind.JsonNode json =
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(report.toJson());
        com.fasterxml.jackson.databind.JsonNode first = json.at("/sources/0/anomalies/0");
        com.fasterxml.jackson.databind.JsonNode lasting = json.at("/sources/0/anomalies/40");
        assertThat(first.path("onset").asText())
                .isEqualTo(first.path("windowStart").asText());
        assertThat(lasting.path("windowStart").asText()).isEqualTo("1970-01-01T00:40:00Z");
        assertThat(lasting.path("onset").asText()).isEqualTo("1970-01-01T00:34:00Z");
        assertThat(json.at("/sources/0/windows/0/latencyP95Ms").asDouble()).isEqualTo(100);
        assertThat(json.at("/sources/0/windows/20/latencyP95Ms").isNull()).isTrue();
    }

    @Test
    void mergedTemplatesCountUnderTheLiveOneUntilTheirTextComesBack() {
        java.util.function.BiFunction<String, Long, dev.logai.flink.window.PatternWindow> window = (id, start) -> {
            dev.logai.flink.window.PatternWindow w = new dev.logai.flink.window.PatternWindow();
            w.sourceId = "app.log";
            w.templateId = id;
            w.template = id;
            w.windowStart = start;
            w.lines = 2;
            w.firstTs = start;
            return w;
        };
        dev.logai.flink.template.TemplateMerge aToB = new dev.logai.flink.template.TemplateMerge();
        aToB.sourceId = "app.log";
        aToB.fromId = "a";
        aToB.intoId = "b";
        aToB.intoText = "b";
        dev.logai.flink.template.TemplateMerge bToC = new dev.logai.flink.template.TemplateMerge();
        bToC.sourceId = "app.log";
        bToC.fromId = "b";
        bToC.intoId = "c";
        bToC.intoText = "c";
        List<dev.logai.flink.window.PatternWindow> windows =
                List.of(window.apply("a", 0L), window.apply("b", 60_000L), window.apply("c", 120_000L));
        assertThat(AnalysisReport.patternsBySource(windows, List.of(aToB, bToC)).get("app.log"))
                .containsOnlyKeys("c")
                .hasEntrySatisfying("c", p -> assertThat(p.lines()).isEqualTo(6));
        dev.logai.flink.template.TemplateMerge aBack = new dev.logai.flink.template.TemplateMerge();
        aBack.sourceId = "app.log";
        aBack.fromId = "a";
        assertThat(AnalysisReport.patternsBySource(windows, List.of(aToB, bToC, aBack))
                        .get("app.log"))
                .containsOnlyKeys("a", "c");
    }
}
