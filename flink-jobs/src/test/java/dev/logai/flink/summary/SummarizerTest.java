package dev.logai.flink.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.logai.flink.anomaly.Anomaly;
import dev.logai.flink.parse.Level;
import dev.logai.flink.parse.LogRecord;
import dev.logai.flink.summary.llm.OpenAiCompatibleClient;
import dev.logai.flink.summary.store.MemorySummaryStore;
import dev.logai.flink.support.FakeOpenAiServer;
import dev.logai.flink.support.FakeOpenAiServer.Answer;
import dev.logai.flink.support.FakeOpenAiServer.Hang;
import dev.logai.flink.support.FakeOpenAiServer.Status;
import dev.logai.flink.window.WindowMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The summarizer against a local OpenAI-compatible server over real HTTP, through langchain4j's
 * OpenAI client: what leaves the job (no planted PII, within the token budget), retries with
 * Retry-After, outages, hangs and malformed answers ending in a summary, the cache, cost and budget.
 */
class SummarizerTest {
    static final List<String> PLANTED = List.of(
            "alice.smith@example.com",
            "bob@corp.example.org",
            "203.0.113.77",
            "2001:db8:85a3::8a2e:370:7334",
            "4111111111111111",
            "AKIAIOSFODNN7EXAMPLE",
            "hunter2-Secret!",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
            "+44 20 7946 0958",
            "s3cr3tTokenValue123456");

    FakeOpenAiServer llm;
    String org;

    @BeforeEach
    void start() throws Exception {
        llm = new FakeOpenAiServer();
        org = "org-" + UUID.randomUUID(); // the in-memory cache is per process: each test its own org
    }

    @AfterEach
    void stop() {
        llm.close();
    }

    Summarizer summarizer(int maxAttempts, Duration requestTimeout, double budgetUsd) {
        LlmSettings settings = new LlmSettings(
                llm.baseUrl(),
                FakeOpenAiServer.API_KEY,
                "gpt-4.1-mini",
                requestTimeout,
                Duration.ofSeconds(30),
                4,
                maxAttempts,
                PriceTable.DEFAULT,
                Map.of(),
                null,
                6000,
                null,
                "",
                dev.logai.flink.runtime.JobTracing.Settings.OFF);
        return new Summarizer(
                settings,
                new OpenAiCompatibleClient(settings.baseUrl(), settings.apiKey(), settings.model(), requestTimeout),
                new MemorySummaryStore(budgetUsd));
    }

    static long inSeconds(int s) {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(s);
    }

    @Test
    void aValidAnswerIsStoredWithItsTokensAndCostAndThePromptCarriesNoPii() {
        llm.script(new Answer(FakeOpenAiServer.VALID_ANSWER));
        Summary s = summarizer(3, Duration.ofSeconds(5), 10).summarize(incident(org, 2_000), inSeconds(20));

        assertThat(s.partial).isFalse();
        assertThat(s.llmModel).isEqualTo("gpt-4.1-mini");
        assertThat(s.title).isEqualTo("Payment gateway timeouts after deploy");
        assertThat(s.severity).isEqualTo("high");
        assertThat(s.bullets).hasSize(3);
        assertThat(s.nextSteps).contains("Roll back the deploy");
        assertThat(s.promptVersion).isEqualTo(SummaryPrompt.VERSION);
        assertThat(s.tokensIn).isPositive();
        assertThat(s.tokensOut).isPositive();
        // gpt-4.1-mini: $0.40 per million input tokens, $1.60 per million output tokens.
        assertThat(s.costUsd).isCloseTo((s.tokensIn * 0.40 + s.tokensOut * 1.60) / 1e6, within(1e-12));

        assertThat(llm.received()).hasSize(1);
        String sent = llm.received().get(0).text();
        for (String pii : PLANTED) {
            assertThat(sent).as("prompt must not contain %s", pii).doesNotContain(pii);
        }
        assertThat(sent).contains("<EMAIL_1>", "<IP_1>", "<CARD_1>", "PaymentGatewayTimeoutException");
        assertThat(Tokens.count(sent)).isLessThanOrEqualTo(6000);
        assertThat(llm.received().get(0).body()).contains("\"response_format\"").contains("json_object");
    }

    @Test
    void thePromptStaysWithinItsTokenBudgetHoweverBigTheWindow() {
        SummaryRequest huge = incident(org, 20_000);
        SummaryPrompt.Built p = SummaryPrompt.build(huge, "gpt-4.1-mini", 6000);
        assertThat(p.tokens()).isLessThanOrEqualTo(6000);
        assertThat(p.lines()).isNotEmpty();
        SummaryPrompt.Built small = SummaryPrompt.build(huge, "gpt-4.1-mini", 1500);
        assertThat(small.tokens()).isLessThanOrEqualTo(1500);
        assertThat(small.lines().size()).isLessThan(p.lines().size());
        // Errors first: the first representative line is an error of the anomalous template.
        assertThat(p.lines().get(0)).contains("PaymentGatewayTimeoutException");
    }

    @Test
    void aRateLimitIsRetriedAfterTheServersRetryAfter() {
        llm.script(new Status(429, 1), new Answer(FakeOpenAiServer.VALID_ANSWER));
        Summary s = summarizer(3, Duration.ofSeconds(5), 10).summarize(incident(org, 500), inSeconds(20));

        assertThat(s.partial).isFalse();
        assertThat(llm.received()).hasSize(2);
        long waited = llm.received().get(1).atNanos() - llm.received().get(0).atNanos();
        assertThat(Duration.ofNanos(waited)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void serverErrorsOnEveryAttemptEndInThePartialExtractiveSummary() {
        llm.script(new Status(500, null));
        Summary s = summarizer(3, Duration.ofSeconds(5), 10).summarize(incident(org, 500), inSeconds(20));

        assertThat(llm.received()).hasSize(3);
        assertThat(s.partial).isTrue();
        assertThat(s.llmModel).isEqualTo("extractive");
        assertThat(s.fallbackReason).isEqualTo("llm_unavailable: http_500");
        assertThat(s.title).contains("Error rate").contains("PaymentGatewayTimeoutException");
        assertThat(s.bullets.length).isBetween(3, 7);
        assertThat(s.evidence).isNotEmpty();
        assertThat(String.join("\n", s.evidence)).doesNotContain("alice.smith@example.com");
        assertThat(s.costUsd).isZero();
    }

    @Test
    void aHangingServerIsAbandonedAtTheRequestTimeoutAndRetried() {
        llm.script(new Hang(Duration.ofSeconds(10)), new Answer(FakeOpenAiServer.VALID_ANSWER));
        long start = System.nanoTime();
        Summary s = summarizer(3, Duration.ofSeconds(1), 10).summarize(incident(org, 500), inSeconds(20));

        assertThat(s.partial).isFalse();
        assertThat(llm.received()).hasSize(2);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
    }

    @Test
    void noRetryIsStartedThatWouldEndPastTheDeadline() {
        llm.script(new Status(429, 30));
        long start = System.nanoTime();
        Summary s = summarizer(3, Duration.ofSeconds(5), 10).summarize(incident(org, 500), inSeconds(5));

        assertThat(llm.received()).hasSize(1);
        assertThat(s.fallbackReason).isEqualTo("llm_unavailable: http_429");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void aMalformedAnswerGetsOneRepairRequestNamingTheProblem() {
        llm.script(
                new Answer("Sure! Here is the summary: the payment gateway timed out."),
                new Answer(FakeOpenAiServer.VALID_ANSWER));
        Summary s = summarizer(3, Duration.ofSeconds(5), 10).summarize(incident(org, 500), inSeconds(20));

        assertThat(s.partial).isFalse();
        assertThat(llm.received()).hasSize(2);
        List<com.fasterxml.jackson.databind.JsonNode> repair =
                llm.received().get(1).messages();
        assertThat(repair).hasSize(4);
        assertThat(repair.get(3).path("content").asText()).contains("not valid JSON");
        assertThat(s.tokensIn).isGreaterThan(llm.received().get(0).text().length() / 8); // both calls counted
    }

    @Test
    void twoMalformedAnswersEndInTheFallbackButTheirCostIsStillRecorded() {
        llm.script(new Answer("{\"title\": \"x\", \"severity\": \"apocalyptic\"}"));
        Summary s = summarizer(3, Duration.ofSeconds(5), 10).summarize(incident(org, 500), inSeconds(20));

        assertThat(llm.received()).hasSize(2);
        assertThat(s.partial).isTrue();
        assertThat(s.fallbackReason).startsWith("invalid_answer: \"severity\" must be one of");
        assertThat(s.costUsd).isPositive();
    }

    @Test
    void anIdenticalWindowIsAnsweredFromTheCacheAtNoCost() {
        Summarizer summarizer = summarizer(3, Duration.ofSeconds(5), 10);
        Summary first = summarizer.summarize(incident(org, 500), inSeconds(20));
        Summary replay = summarizer.summarize(incident(org, 500), inSeconds(20));

        assertThat(llm.received()).hasSize(1);
        assertThat(first.cacheHit).isFalse();
        assertThat(replay.cacheHit).isTrue();
        assertThat(replay.costUsd).isZero();
        assertThat(replay.title).isEqualTo(first.title);
        assertThat(replay.promptHash).isEqualTo(first.promptHash);

        // Another org with the same window does not see this org's cache.
        summarizer.summarize(incident("org-" + UUID.randomUUID(), 500), inSeconds(20));
        assertThat(llm.received()).hasSize(2);
    }

    @Test
    void aSpentBudgetMeansTheExtractiveSummaryAndNoCall() {
        Summary s = summarizer(3, Duration.ofSeconds(5), 0).summarize(incident(org, 500), inSeconds(20));

        assertThat(llm.received()).isEmpty();
        assertThat(s.partial).isTrue();
        assertThat(s.fallbackReason).isEqualTo("budget");
        assertThat(s.llmModel).isEqualTo("extractive");
    }

    @Test
    void aLastingChangesSummarySaysSinceWhenFromItsFirstWindow() {
        SummaryRequest r = incident("org_onset", 300);
        r.incidentStart = r.windowStart - 12 * 60_000; // a rise certain 13 windows after it began
        SummaryAnswer answer =
                ExtractiveSummarizer.summarize(r, SummaryPrompt.build(r, ExtractiveSummarizer.MODEL, 3000));
        assertThat(answer.bullets())
                .anySatisfy(b ->
                        assertThat(b).startsWith("Ongoing since 2026-09-21T").contains("(13 windows)"));
        assertThat(SummaryPrompt.build(r, "gpt-4.1-mini", 3000).user())
                .contains("Ongoing incident since 2026-09-21T")
                .contains("13 windows so far");
    }

    @Test
    void withoutAnLlmEverySummaryIsExtractive() {
        LlmSettings settings = new LlmSettings(
                null,
                "",
                "gpt-4.1-mini",
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                4,
                3,
                PriceTable.DEFAULT,
                Map.of(),
                null,
                6000,
                null,
                "",
                dev.logai.flink.runtime.JobTracing.Settings.OFF);
        Summary s =
                new Summarizer(settings, null, new MemorySummaryStore(10)).summarize(incident(org, 500), inSeconds(20));

        assertThat(s.partial).isTrue();
        assertThat(s.fallbackReason).isEqualTo("no_llm");
        assertThat(s.severity).isEqualTo("high");
        assertThat(s.nextSteps).isNotEmpty();
    }

    /**
     * A window of a checkout service: normal requests, and an incident's errors that mention
     * customers' emails, IPs, cards, keys and tokens.
     */
    static SummaryRequest incident(String orgId, int lines) {
        long start = 1_790_000_000_000L;
        WindowMetrics m = WindowMetrics.empty(orgId, "checkout", start, start + 60_000);
        m.complete = true;
        for (int i = 0; i < lines; i++) {
            boolean error = i % 3 == 0;
            LogRecord r = new LogRecord();
            r.orgId = orgId;
            r.sourceId = "checkout";
            r.ts = start + i * 60_000L / lines;
            r.level = error ? Level.ERROR : Level.INFO;
            r.service = error ? "api" : "web";
            // Free-standing kinds rotate; the key=value secret and the bearer token have their own places.
            String pii = PLANTED.get(new int[] {0, 1, 2, 3, 4, 5, 8}[i % 7]);
            if (error) {
                r.templateId = "aaaaaaaaaaaaaaa1";
                r.template = "PaymentGatewayTimeoutException: charge for <*> failed";
                r.templateNew = i == 0;
                r.raw = "2026-09-21 10:00:00 ERROR [api] PaymentGatewayTimeoutException: charge for " + pii
                        + " failed api_key=" + PLANTED.get(9) + " password=" + PLANTED.get(6) + " #" + i
                        + "\n\tat com.shop.Payments.charge(Payments.java:42)\n\tat com.shop.Api.handle(Api.java:7)"
                        + "\n\tat a.B.c(B.java:1)\n\tat d.E.f(E.java:2)\n\tat g.H.i(H.java:3)";
            } else {
                r.templateId = "bbbbbbbbbbbbbbb" + (i % 7);
                r.template = "GET /cart/<*> from <*> returned 200 variant " + (i % 7);
                r.raw = "2026-09-21 10:00:00 INFO [web] GET /cart/" + i + " from " + pii + " returned 200 variant "
                        + (i % 7) + " Authorization: Bearer " + PLANTED.get(7);
            }
            m.add(r);
        }
        Anomaly a = new Anomaly();
        a.id = "anomaly-1";
        a.orgId = orgId;
        a.sourceId = "checkout";
        a.windowStart = start;
        a.windowEnd = start + 60_000;
        a.metric = "error_rate";
        a.observed = m.errorRate();
        a.baseline = 0.01;
        a.zscore = 25;
        a.score = 0.97;
        a.label = "spike";
        a.explanation =
                "{\"reason\":\"error rate 33.4% vs usually 1.0%\",\"top_templates\":[{\"template_id\":\"aaaaaaaaaaaaaaa1\"}]}";

        SummaryRequest r = new SummaryRequest();
        r.id = "incident-1";
        r.orgId = orgId;
        r.sourceId = "checkout";
        r.incidentStart = start;
        r.windowStart = start;
        r.windowEnd = start + 60_000;
        r.trigger = "anomaly";
        r.signals = new String[] {"error_rate"};
        r.metrics = m;
        r.anomalies = new Anomaly[] {a};
        return r;
    }
}
