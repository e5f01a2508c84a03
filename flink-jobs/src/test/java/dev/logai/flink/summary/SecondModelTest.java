package dev.logai.flink.summary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.summary.llm.OpenAiCompatibleClient;
import dev.logai.flink.summary.store.MemorySummaryStore;
import dev.logai.flink.support.FakeOpenAiServer;
import dev.logai.flink.support.FakeOpenAiServer.Answer;
import dev.logai.flink.support.FakeOpenAiServer.Status;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The second model (a local OpenAI-compatible server such as vLLM or Ollama), over real HTTP: old
 * data goes to it first; live data goes to it when the first model fails or the budget is spent,
 * before the extractive summary; each summary says which model wrote it and why.
 */
class SecondModelTest {
    FakeOpenAiServer primary;
    FakeOpenAiServer local;
    String org;

    @BeforeEach
    void start() throws Exception {
        primary = new FakeOpenAiServer();
        local = new FakeOpenAiServer();
        org = "org-" + UUID.randomUUID();
    }

    @AfterEach
    void stop() {
        primary.close();
        local.close();
    }

    Summarizer summarizer(double budgetUsd) {
        Duration request = Duration.ofSeconds(5);
        LlmSettings settings = new LlmSettings(
                primary.baseUrl(),
                FakeOpenAiServer.API_KEY,
                "gpt-4.1-mini",
                request,
                Duration.ofSeconds(30),
                4,
                2,
                PriceTable.DEFAULT,
                Map.of(),
                null,
                6000,
                new LlmSettings.SecondModel(local.baseUrl(), FakeOpenAiServer.API_KEY, "llama3.1", Duration.ofHours(1)),
                "",
                dev.logai.flink.runtime.JobTracing.Settings.OFF);
        return new Summarizer(
                settings,
                new OpenAiCompatibleClient(settings.baseUrl(), settings.apiKey(), settings.model(), request),
                new OpenAiCompatibleClient(local.baseUrl(), FakeOpenAiServer.API_KEY, "llama3.1", request),
                new MemorySummaryStore(budgetUsd));
    }

    static long inSeconds(int s) {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(s);
    }

    static SummaryRequest live(String org) {
        SummaryRequest r = SummarizerTest.incident(org, 500);
        long now = System.currentTimeMillis();
        r.windowStart = now - 60_000;
        r.windowEnd = now;
        return r;
    }

    @Test
    void oldDataGoesToTheSecondModelAndNeverToTheFirst() {
        local.script(new Answer(FakeOpenAiServer.VALID_ANSWER));
        Summary s = summarizer(10).summarize(SummarizerTest.incident(org, 500), inSeconds(20));
        assertThat(s.partial).isFalse();
        assertThat(s.llmModel).isEqualTo("llama3.1");
        assertThat(s.modelReason).isEqualTo("second: non_urgent");
        assertThat(s.title).isEqualTo("Payment gateway timeouts after deploy");
        assertThat(primary.received()).isEmpty();
        assertThat(local.received()).hasSize(1);
    }

    @Test
    void liveDataGoesToTheFirstModel() {
        primary.script(new Answer(FakeOpenAiServer.VALID_ANSWER));
        Summary s = summarizer(10).summarize(live(org), inSeconds(20));
        assertThat(s.llmModel).isEqualTo("gpt-4.1-mini");
        assertThat(s.modelReason).isEqualTo("primary");
        assertThat(local.received()).isEmpty();
    }

    @Test
    void whenTheFirstModelFailsTheSecondWritesItBeforeTheExtractiveFallback() {
        primary.script(new Status(500, null));
        local.script(new Answer(FakeOpenAiServer.VALID_ANSWER));
        Summary s = summarizer(10).summarize(live(org), inSeconds(20));
        assertThat(s.partial).isFalse();
        assertThat(s.llmModel).isEqualTo("llama3.1");
        assertThat(s.modelReason).startsWith("second: llm_unavailable");
        assertThat(primary.received()).hasSize(2); // both attempts
    }

    @Test
    void whenTheBudgetIsSpentTheSecondWritesIt() {
        local.script(new Answer(FakeOpenAiServer.VALID_ANSWER));
        Summary s = summarizer(0).summarize(live(org), inSeconds(20));
        assertThat(s.llmModel).isEqualTo("llama3.1");
        assertThat(s.modelReason).isEqualTo("second: budget");
        assertThat(primary.received()).isEmpty();
    }

    @Test
    void whenBothFailTheSummaryIsExtractiveWithBothReasons() {
        primary.script(new Status(500, null));
        local.script(new Status(503, null));
        Summary s = summarizer(10).summarize(live(org), inSeconds(20));
        assertThat(s.partial).isTrue();
        assertThat(s.llmModel).isEqualTo(ExtractiveSummarizer.MODEL);
        assertThat(s.modelReason).isEqualTo("extractive");
        assertThat(s.fallbackReason).contains("llm_unavailable").contains("second model: llm_unavailable");
    }
}
