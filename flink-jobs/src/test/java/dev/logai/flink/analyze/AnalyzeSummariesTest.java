package dev.logai.flink.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.PipelineOptions;
import dev.logai.flink.summary.Tokens;
import dev.logai.flink.support.FakeOpenAiServer;
import dev.logai.flink.support.FakeOpenAiServer.Answer;
import dev.logai.flink.support.FakeOpenAiServer.Status;
import dev.logai.flink.support.IncidentLogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./logai analyze} writes summaries: extractive without an LLM, the model's with
 * {@code LOGAI_LLM_BASE_URL} pointing at an OpenAI-compatible server — where what was sent holds no
 * planted personal data and stays within budget, outages still end in a summary, and a second run
 * over the same file is answered from the cache.
 */
class AnalyzeSummariesTest {
    static final Pattern PLANTED = Pattern.compile("\\b10\\.0\\.\\d{1,3}\\.\\d{1,3}\\b|[a-z]+@example\\.com");

    static Path incidentFile(Path dir) throws Exception {
        Instant start = Instant.parse("2026-11-20T09:00:00Z");
        List<String> lines = IncidentLogs.generate(11, start, 45, 5, 150);
        return Files.write(dir.resolve("checkout.log"), lines);
    }

    @Test
    void withoutAnLlmTheIncidentGetsAnExtractiveSummary(@TempDir Path dir) throws Exception {
        AnalysisReport report =
                AnalyzeCommand.analyze(List.of(incidentFile(dir)), PipelineOptions.fromEnvironment(Map.of()));

        List<AnalysisReport.SummaryView> summaries = report.sources().get(0).summaries();
        assertThat(summaries).hasSize(1);
        AnalysisReport.SummaryView s = summaries.get(0);
        assertThat(s.windowStart()).isEqualTo(Instant.parse("2026-11-20T09:45:00Z"));
        assertThat(s.llmModel()).isEqualTo("extractive");
        assertThat(s.partial()).isTrue();
        assertThat(s.fallbackReason()).isEqualTo("no_llm");
        assertThat(s.title()).contains(IncidentLogs.INJECTED_EXCEPTION);
        assertThat(s.bullets().size()).isBetween(3, 7);
        assertThat(s.evidence()).isNotEmpty().noneMatch(e -> PLANTED.matcher(e).find());
        assertThat(report.toText()).contains("summaries:", "[" + s.severity() + "] ", "partial (no_llm)");
        assertThat(report.toJson()).contains("\"llmModel\" : \"extractive\"", "\"fallbackReason\" : \"no_llm\"");
    }

    @Test
    void withAnLlmTheModelWritesItAndAReplayIsAnsweredFromTheCache(@TempDir Path dir) throws Exception {
        try (FakeOpenAiServer llm = new FakeOpenAiServer()) {
            llm.script(new Status(503, 1), new Answer(FakeOpenAiServer.VALID_ANSWER));
            Map<String, String> env = Map.of(
                    "LOGAI_LLM_BASE_URL",
                    llm.baseUrl(),
                    "LOGAI_LLM_API_KEY",
                    FakeOpenAiServer.API_KEY,
                    "LOGAI_LLM_MODEL",
                    "gpt-4o-mini");
            Path file = incidentFile(dir);

            AnalysisReport report = AnalyzeCommand.analyze(List.of(file), PipelineOptions.fromEnvironment(env));
            AnalysisReport.SummaryView s = report.sources().get(0).summaries().get(0);
            assertThat(s.llmModel()).isEqualTo("gpt-4o-mini");
            assertThat(s.partial()).isFalse();
            assertThat(s.title()).isEqualTo("Payment gateway timeouts after deploy");
            assertThat(s.costUsd()).isPositive();
            assertThat(report.toText()).contains("gpt-4o-mini · $");
            int calls = llm.received().size();
            assertThat(calls).isGreaterThanOrEqualTo(2); // the 503, then the answer
            assertThat(Duration.ofNanos(llm.received().get(1).atNanos()
                            - llm.received().get(0).atNanos()))
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            for (FakeOpenAiServer.Received r : llm.received()) {
                assertThat(PLANTED.matcher(r.text()).find()).as(r.text()).isFalse();
                assertThat(Tokens.count(r.text())).isLessThanOrEqualTo(6000);
            }

            AnalysisReport again = AnalyzeCommand.analyze(List.of(file), PipelineOptions.fromEnvironment(env));
            AnalysisReport.SummaryView cached =
                    again.sources().get(0).summaries().get(0);
            assertThat(llm.received()).hasSize(calls);
            assertThat(cached.cacheHit()).isTrue();
            assertThat(cached.costUsd()).isZero();
            assertThat(cached.title()).isEqualTo(s.title());
        }
    }
}
