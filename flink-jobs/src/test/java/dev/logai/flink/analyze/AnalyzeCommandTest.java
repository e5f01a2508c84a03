package dev.logai.flink.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.PipelineOptions;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bounded run over files: the pipeline's parsing and windowing on Flink's runtime. */
class AnalyzeCommandTest {
    static final String LOG = String.join(
            "\n",
            "2024-05-01T10:00:05Z INFO started",
            "2024-05-01T10:00:30Z ERROR payment failed",
            "{\"time\":\"2024-05-01T10:00:40Z\",\"level\":\"error\",\"msg\":\"db timeout\"}",
            "2024-05-01T10:01:10Z WARN slow",
            "2024-05-01T10:01:20Z INFO ok",
            "",
            "2024-05-01T10:02:00Z FATAL out of memory\r");

    @Test
    void joinsStackTracesAndReportsEachSourcesFormat(@TempDir Path dir) throws Exception {
        Path json = Files.writeString(
                dir.resolve("api.json"),
                String.join(
                        "\n",
                        "{\"ts\":1714557600.5,\"level\":\"info\",\"msg\":\"up\"}",
                        "{\"ts\":1714557601.5,\"level\":\"error\",\"msg\":\"down\"}"));
        Path java = Files.writeString(
                dir.resolve("worker.log"),
                String.join(
                        "\n",
                        "2024-05-01 10:00:00,000 INFO [main] c.a.Worker: start",
                        "2024-05-01 10:00:01,000 ERROR [main] c.a.Worker: failed",
                        "java.lang.IllegalStateException: boom",
                        "\tat c.a.Worker.run(Worker.java:1)",
                        "2024-05-01 10:00:02,000 INFO [main] c.a.Worker: retry ok"));
        AnalysisReport report = AnalyzeCommand.analyze(List.of(json, java), PipelineOptions.fromEnvironment(Map.of()));
        assertThat(report.sources())
                .extracting(AnalysisReport.SourceReport::format)
                .containsExactly("json", "text [ts(Y-M-DTh:i:sfz) level bracket tag]");
        assertThat(report.sources())
                .extracting(AnalysisReport.SourceReport::events)
                .containsExactly(2L, 3L);
        assertThat(report.sources().get(1).levels().error()).isEqualTo(1);
    }

    @Test
    void reportsTimeRangeLevelsAndWorstWindowsPerFile(@TempDir Path dir) throws Exception {
        Path plain = Files.writeString(dir.resolve("app.log"), LOG);
        Path gz = dir.resolve("app2.log.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(LOG.getBytes(StandardCharsets.UTF_8));
        }
        AnalysisReport report = AnalyzeCommand.analyze(List.of(plain, gz), PipelineOptions.fromEnvironment(Map.of()));

        assertThat(report.sources()).hasSize(2);
        for (AnalysisReport.SourceReport source : report.sources()) {
            assertThat(source.events()).isEqualTo(6);
            assertThat(source.from()).isEqualTo(Instant.parse("2024-05-01T10:00:05Z"));
            assertThat(source.to()).isEqualTo(Instant.parse("2024-05-01T10:02:00Z"));
            assertThat(source.levels()).isEqualTo(new AnalysisReport.LevelCounts(0, 0, 2, 1, 2, 1, 0));
            assertThat(source.highestErrorRateWindows())
                    .extracting(AnalysisReport.WindowSummary::start)
                    .containsExactly(Instant.parse("2024-05-01T10:02:00Z"), Instant.parse("2024-05-01T10:00:00Z"));
            assertThat(source.highestErrorRateWindows().get(1).errorRate()).isEqualTo(2.0 / 3);
        }
        assertThat(report.sources())
                .extracting(AnalysisReport.SourceReport::source)
                .containsExactly("app.log", "app2.log.gz");
        assertThat(report.sources()).allMatch(s -> s.format().startsWith("text [ts(Y-M-DTh:i:sfz) level]"));
        assertThat(report.toText())
                .contains(
                        "== app.log",
                        "format      text [",
                        "events      6",
                        "read        6 lines",
                        "latency     no event carried a duration",
                        "100.0%  1 of 1 lines");
        assertThat(report.toJson()).contains("\"source\" : \"app2.log.gz\"", "\"from\" : \"2024-05-01T10:00:05Z\"");
    }

    @Test
    void filesWithTheSameNameStayTwoSources(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        Path first = Files.writeString(dir.resolve("a/app.log"), "2024-05-01T10:00:00Z INFO one\n");
        Path second = Files.writeString(
                dir.resolve("b/app.log"), "2024-05-01T10:00:00Z INFO one\n2024-05-01T10:00:01Z INFO two\n");
        AnalysisReport report =
                AnalyzeCommand.analyze(List.of(first, second), PipelineOptions.fromEnvironment(Map.of()));
        assertThat(report.sources())
                .extracting(
                        AnalysisReport.SourceReport::source,
                        AnalysisReport.SourceReport::lines,
                        AnalysisReport.SourceReport::events)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(first.toString(), 1L, 1L),
                        org.assertj.core.groups.Tuple.tuple(second.toString(), 2L, 2L));
    }
}
