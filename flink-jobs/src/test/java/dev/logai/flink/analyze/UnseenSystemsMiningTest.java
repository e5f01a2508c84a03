package dev.logai.flink.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.PipelineOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Parse and mining together, through {@code ./logai analyze}, on generated logs shaped like two
 * kinds of system the miner was not built against (fixtures in {@code src/test/resources/mining/},
 * made once by a seeded generator; never data from an evaluation set):
 *
 * <ul>
 *   <li>{@code openstack-like.log}: a file name, time, pid, level and logger, then a {@code [req-…]}
 *       block in two shapes (ids, or {@code - - - - -}) and often {@code [instance: uuid]} before the
 *       message; 8 event kinds, one of them "VM Started / Paused / Resumed / Stopped".</li>
 *   <li>{@code proxy-like.log}: {@code [MM.dd HH:mm:ss] program - host:port message}, twelve
 *       programs and eight hosts; 8 event kinds.</li>
 * </ul>
 */
class UnseenSystemsMiningTest {
    static final Path DIR = Path.of("src/test/resources/mining");

    @Test
    void requestPrefixesIdsAndHostsNeitherSplitNorJoinEvents() throws Exception {
        AnalysisReport report = AnalyzeCommand.analyze(
                List.of(DIR.resolve("openstack-like.log")), PipelineOptions.fromEnvironment(Map.of()));
        List<AnalysisReport.PatternSummary> patterns = report.sources().get(0).patterns();
        // 7 kinds, plus the lifecycle kind as its four states: counted apart, as an SRE needs
        assertThat(patterns).hasSize(11);
        assertThat(patterns)
                .extracting(AnalysisReport.PatternSummary::template)
                .contains(
                        "[instance: <*>] VM Stopped (Lifecycle Event)",
                        "[instance: <*>] Took <*> seconds to build instance.")
                .noneMatch(t -> t.matches(".*[0-9a-f]{8}-[0-9a-f]{4}.*"));
        assertThat(patterns.stream()
                        .mapToLong(AnalysisReport.PatternSummary::lines)
                        .sum())
                .isEqualTo(400);
    }

    @Test
    void programNamesAndHostPortsAreVariables() throws Exception {
        AnalysisReport report = AnalyzeCommand.analyze(
                List.of(DIR.resolve("proxy-like.log")), PipelineOptions.fromEnvironment(Map.of()));
        List<AnalysisReport.PatternSummary> patterns = report.sources().get(0).patterns();
        assertThat(patterns).hasSize(8);
        assertThat(patterns)
                .extracting(AnalysisReport.PatternSummary::template)
                .noneMatch(t -> t.contains("cuhk") || t.contains(".exe") || t.contains("google"));
        assertThat(patterns.stream()
                        .mapToLong(AnalysisReport.PatternSummary::lines)
                        .sum())
                .isEqualTo(600);
    }
}
