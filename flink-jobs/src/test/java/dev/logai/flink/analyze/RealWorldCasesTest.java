package dev.logai.flink.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logai.flink.PipelineOptions;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real-world cases under {@code src/test/resources/cases/} (inputs that broke other log tools
 * in public bug reports: CRI partial lines, a Go panic inside CRI, German month names, a BOM'd
 * .NET NDJSON file, Docker json-file Java traces), each checked against every fact of its
 * {@code expect.json} (the layout of {@code ../shared/cases/README.md}: events, levels, error +
 * fatal, time range ±1 s, pattern count) through the same analysis {@code ./logai analyze} runs.
 * All cases run as the files of one analysis, each its own source.
 */
class RealWorldCasesTest {
    @Test
    void everyCaseYieldsExactlyTheFactsItExpects(@TempDir Path dir) throws Exception {
        Map<String, JsonNode> expectations = new LinkedHashMap<>();
        Map<String, Path> inputs = new LinkedHashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (Path caseDir : caseDirs()) {
            JsonNode expect = json.readTree(caseDir.resolve("expect.json").toFile());
            String name = caseDir.getFileName().toString();
            // one folder per case keeps each input's own name; analyze names clashing files by path
            Path input = Files.createDirectories(dir.resolve(name))
                    .resolve(expect.get("input").asText());
            Files.copy(caseDir.resolve(expect.get("input").asText()), input);
            Files.setLastModifiedTime(
                    input, FileTime.from(Instant.parse(expect.get("mtime").asText())));
            expectations.put(name, expect);
            inputs.put(name, input);
        }
        Map<Path, String> sourceNames = AnalyzeCommand.sourceNames(new ArrayList<>(inputs.values()));
        Map<String, JsonNode> bySource = new LinkedHashMap<>();
        inputs.forEach((name, input) -> bySource.put(sourceNames.get(input), expectations.get(name)));
        assertThat(expectations).hasSizeGreaterThanOrEqualTo(5);

        AnalysisReport report =
                AnalyzeCommand.analyze(new ArrayList<>(inputs.values()), PipelineOptions.fromEnvironment(Map.of()));

        SoftAssertions softly = new SoftAssertions();
        for (AnalysisReport.SourceReport source : report.sources()) {
            JsonNode e = bySource.get(source.source());
            assertThat(e).as("a report for %s", source.source()).isNotNull();
            String as = source.source();
            if (e.has("events"))
                softly.assertThat(source.events())
                        .as(as + " events")
                        .isEqualTo(e.get("events").asLong());
            if (e.has("events_min")) {
                softly.assertThat(source.events())
                        .as(as + " events")
                        .isBetween(
                                e.get("events_min").asLong(),
                                e.get("events_max").asLong());
            }
            Map<String, Long> levels = levels(source.levels());
            e.path("levels")
                    .fields()
                    .forEachRemaining(l -> softly.assertThat(levels.get(l.getKey()))
                            .as(as + " " + l.getKey())
                            .isEqualTo(l.getValue().asLong()));
            if (e.has("errfatal")) {
                softly.assertThat(levels.get("error") + levels.get("fatal"))
                        .as(as + " error+fatal")
                        .isEqualTo(e.get("errfatal").asLong());
            }
            for (String k : List.of("from", "to")) {
                if (!e.has(k)) continue;
                Instant got = k.equals("from") ? source.from() : source.to();
                Instant want = Instant.parse(e.get(k).asText());
                softly.assertThat(got).as(as + " " + k).isNotNull();
                if (got != null) {
                    softly.assertThat(Duration.between(want, got).abs())
                            .as(as + " " + k + " " + got + " vs " + want)
                            .isLessThanOrEqualTo(Duration.ofSeconds(1));
                }
            }
            if (e.has("patterns")) {
                softly.assertThat(source.patternCount())
                        .as(as + " patterns")
                        .isEqualTo(e.get("patterns").asInt());
            }
            if (e.has("patterns_max")) {
                softly.assertThat(source.patternCount())
                        .as(as + " patterns")
                        .isLessThanOrEqualTo(e.get("patterns_max").asInt());
            }
        }
        softly.assertThat(report.sources()).hasSize(expectations.size());
        softly.assertAll();
    }

    private static Map<String, Long> levels(AnalysisReport.LevelCounts l) {
        return Map.of(
                "trace",
                l.trace(),
                "debug",
                l.debug(),
                "info",
                l.info(),
                "warn",
                l.warn(),
                "error",
                l.error(),
                "fatal",
                l.fatal(),
                "unknown",
                l.unknown());
    }

    private static List<Path> caseDirs() throws IOException, URISyntaxException {
        Path root = Path.of(RealWorldCasesTest.class.getResource("/cases").toURI());
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).sorted().toList();
        }
    }
}
