package dev.logai.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logai.flink.summary.SummaryPrompt;
import dev.logai.flink.summary.Tokens;
import dev.logai.flink.support.FakeOpenAiServer;
import dev.logai.flink.support.FakeOpenAiServer.Answer;
import dev.logai.flink.support.FakeOpenAiServer.Hang;
import dev.logai.flink.support.FakeOpenAiServer.Status;
import dev.logai.flink.support.IncidentLogs;
import dev.logai.flink.support.PipelineHarness;
import dev.logai.flink.support.ServiceProcess;
import dev.logai.localstack.LocalStack;
import dev.logai.localstack.SharedLocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Summaries end to end against a local OpenAI-compatible server: four sources, each with an
 * incident after an hour of clean traffic, each meeting a different LLM failure — a 429 with
 * Retry-After, a server that only answers 500, one that hangs past the timeout, one that first
 * answers malformed JSON. Every incident must end in a stored summary (the LLM's or the extractive
 * fallback) without the job ever failing; no prompt may contain the planted personal data or
 * exceed the token budget; a replay of the same input must be answered from the cache at no cost.
 */
class SummaryPipelineITCase {
    static final LocalStack stack = SharedLocalStack.get(true);
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern SOURCE_LINE = Pattern.compile("^Source: (\\S+)", Pattern.MULTILINE);
    static final Pattern PLANTED_IP = Pattern.compile("\\b10\\.0\\.\\d{1,3}\\.\\d{1,3}\\b");
    static final Pattern PLANTED_EMAIL = Pattern.compile("[a-z]+@example\\.com");

    @RegisterExtension
    static final MiniClusterExtension FLINK = PipelineHarness.miniCluster();

    static PipelineHarness harness;
    static ServiceProcess queryApi;
    static FakeOpenAiServer llm;

    @BeforeAll
    static void services() throws Exception {
        // Two raw partitions: the four sources' 6,000-line histories are posted as one burst, and one
        // Kafka reader may fall far behind the other; each source's lines are judged on its own clock.
        harness = new PipelineHarness(stack, 2);
        queryApi = ServiceProcess.start(
                "logai.query-api.jar", "LOGAI_API_PORT", PipelineHarness.serviceEnvironment(stack));
        llm = new FakeOpenAiServer();
    }

    @AfterAll
    static void stop() throws Exception {
        llm.close();
        queryApi.close();
        harness.close();
    }

    @Test
    void everyIncidentGetsAStoredSummaryWhateverTheLlmDoesAndAReplayCostsNothing(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        Map<String, LocalStack.Tenant> tenants = new LinkedHashMap<>();
        for (String lane : List.of("ratelimited", "down", "hanging", "malformed")) {
            tenants.put(lane, stack.createTenant("summaries-" + lane, "checkout"));
        }
        LocalStack.Tenant bystander = stack.createTenant("summaries-bystander", "checkout");
        Map<String, String> laneOfSource = new LinkedHashMap<>();
        tenants.forEach((lane, t) -> laneOfSource.put(t.sourceId(), lane));
        llm.lanes(prompt -> {
            Matcher m = SOURCE_LINE.matcher(prompt);
            return m.find() ? laneOfSource.getOrDefault(m.group(1), "unknown") : "unknown";
        });
        llm.script("ratelimited", new Status(429, 1), new Answer(FakeOpenAiServer.VALID_ANSWER));
        llm.script("down", new Status(500, null));
        llm.script("hanging", new Hang(Duration.ofSeconds(30)));
        llm.script(
                "malformed",
                new Answer("Here is what happened: payments timed out."),
                new Answer(FakeOpenAiServer.VALID_ANSWER));

        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(110));
        Instant incident = start.plus(Duration.ofMinutes(60));
        List<String> lines = new ArrayList<>(IncidentLogs.generate(7, start, 60, 5, 100));
        // 40 minutes later, past the 30-minute out-of-orderness below: closes the incident's windows.
        String heartbeat = IncidentLogs.line(incident.plus(Duration.ofMinutes(40)), "INFO  [api] heartbeat");

        JobClient job = harness.startJob(settings());
        try {
            // Interleaved, as concurrent sources arrive; each source is windowed on its own clock.
            for (int i = 0; i < lines.size(); i += 1_000) {
                for (LocalStack.Tenant t : tenants.values()) {
                    post(t, lines.subList(i, Math.min(lines.size(), i + 1_000)));
                }
            }
            for (LocalStack.Tenant t : tenants.values()) {
                post(t, List.of(heartbeat));
            }
            PipelineHarness.await(
                    "a summary for every incident",
                    Duration.ofSeconds(180),
                    () -> tenants.values().stream().allMatch(t -> !summaries(t).isEmpty()),
                    () -> state(tenants) + " job=" + job.getJobStatus().join());

            JsonNode ratelimited = only(summaries(tenants.get("ratelimited")));
            assertThat(ratelimited.get("partial").asBoolean()).isFalse();
            assertThat(ratelimited.get("llm_model").asText()).isEqualTo("gpt-4.1-mini");
            assertThat(ratelimited.get("title").asText()).isEqualTo("Payment gateway timeouts after deploy");
            assertThat(ratelimited.get("prompt_version").asText()).isEqualTo(SummaryPrompt.VERSION);
            assertThat(ratelimited.get("tokens_in").asInt()).isPositive();
            assertThat(ratelimited.get("cost_usd").asDouble()).isPositive();
            assertThat(Instant.parse(ratelimited.get("window_start").asText())).isEqualTo(incident);
            List<FakeOpenAiServer.Received> limited = llm.received("ratelimited");
            assertThat(Duration.ofNanos(
                            limited.get(1).atNanos() - limited.get(0).atNanos()))
                    .as("the retry waited for Retry-After")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(1));

            JsonNode down = only(summaries(tenants.get("down")));
            assertThat(down.get("partial").asBoolean()).isTrue();
            assertThat(down.get("llm_model").asText()).isEqualTo("extractive");
            assertThat(down.get("fallback_reason").asText()).isEqualTo("llm_unavailable: http_500");
            assertThat(down.get("title").asText()).contains(IncidentLogs.INJECTED_EXCEPTION);
            assertThat(down.get("bullets").size()).isBetween(3, 7);
            assertThat(llm.received("down")).hasSizeLessThanOrEqualTo(3 * refreshes(tenants.get("down")));

            JsonNode hanging = only(summaries(tenants.get("hanging")));
            assertThat(hanging.get("partial").asBoolean()).isTrue();
            assertThat(hanging.get("fallback_reason").asText()).isEqualTo("timeout");

            JsonNode malformed = only(summaries(tenants.get("malformed")));
            assertThat(malformed.get("partial").asBoolean()).isFalse();
            assertThat(llm.received("malformed").get(1).messages()).hasSize(4); // the repair request

            for (FakeOpenAiServer.Received r : llm.received()) {
                String prompt = r.messages().get(0).path("content").asText()
                        + r.messages().get(1).path("content").asText();
                assertThat(PLANTED_IP.matcher(r.text()).find())
                        .as("an IP left the job: %s", r.text())
                        .isFalse();
                assertThat(PLANTED_EMAIL.matcher(r.text()).find())
                        .as("an email left the job: %s", r.text())
                        .isFalse();
                assertThat(Tokens.count(prompt)).isLessThanOrEqualTo(6000);
            }
            assertThat(summaries(bystander)).as("another org's view").isEmpty();
            assertThat(jobFailures(cluster, job.getJobID()))
                    .as("the job never failed")
                    .isNull();
            Map<String, Object> usage = usage(tenants.get("ratelimited"));
            assertThat((double) usage.get("cost_usd")).isPositive();
            assertThat((long) usage.get("llm_calls")).isPositive();
        } finally {
            job.cancel().get();
        }

        // The same input again (a new consumer group reads the topic from the start): same windows,
        // same prompts, so the answers come from the cache at no cost.
        int before =
                llm.received("ratelimited").size() + llm.received("malformed").size();
        double costBefore =
                summaries(tenants.get("ratelimited")).get(0).get("cost_usd").asDouble();
        JobClient replay = harness.startJob(settings());
        try {
            PipelineHarness.await(
                    "the replay's summaries come from the cache",
                    Duration.ofSeconds(180),
                    () -> (long) usage(tenants.get("ratelimited")).get("cache_hits") > 0
                            && (long) usage(tenants.get("malformed")).get("cache_hits") > 0
                            && storedFromCache(tenants.get("ratelimited"))
                            && storedFromCache(tenants.get("malformed")),
                    () -> "received "
                            + llm.received().stream()
                                    .map(FakeOpenAiServer.Received::lane)
                                    .toList() + "; first difference of the ratelimited prompts: "
                            + firstDifference(llm.received("ratelimited")));
            assertThat(llm.received("ratelimited").size()
                            + llm.received("malformed").size())
                    .isEqualTo(before);
            JsonNode again = only(summaries(tenants.get("ratelimited")));
            assertThat(again.get("cache_hit").asBoolean()).isTrue();
            assertThat(again.get("cost_usd").asDouble()).isEqualTo(costBefore);
        } finally {
            replay.cancel().get();
        }
    }

    /** Per lane: requests received and summaries stored, for a timeout's message. */
    private static String state(Map<String, LocalStack.Tenant> tenants) {
        StringBuilder sb = new StringBuilder();
        tenants.forEach((lane, t) -> sb.append(lane)
                .append(": received ")
                .append(llm.received(lane).size())
                .append(", ")
                .append(counts(t))
                .append(", summaries ")
                .append(summaries(t).size())
                .append("; "));
        return sb + "other lanes: "
                + llm.received().stream()
                        .map(FakeOpenAiServer.Received::lane)
                        .distinct()
                        .toList();
    }

    private Configuration settings() throws Exception {
        Configuration conf = harness.settings();
        conf.setString("logai.llm.base-url", llm.baseUrl());
        conf.setString("logai.llm.api-key", FakeOpenAiServer.API_KEY);
        conf.setString("logai.llm.request-timeout", "10s");
        // Long enough for the rate-limited lane's retry after Retry-After on a busy 2-core machine;
        // the hanging lane (30 s) still times out.
        conf.setString("logai.llm.timeout", "8s");
        conf.setString("logai.llm.max-attempts", "3");
        conf.setString("logai.window.out-of-orderness", "30min");
        return conf;
    }

    private static void post(LocalStack.Tenant t, List<String> lines) throws Exception {
        byte[] body = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        assertThat(harness.post(t, "text/plain", body, true).statusCode()).isEqualTo(202);
    }

    private static JsonNode only(List<JsonNode> summaries) {
        assertThat(summaries).as("one summary for the one incident").hasSize(1);
        return summaries.get(0);
    }

    /** How often the incident's summary was (re)written: its model calls are at most 3 per refresh. */
    private static int refreshes(LocalStack.Tenant t) throws Exception {
        try (Connection c = stack.ownerConnection();
                PreparedStatement ps = c.prepareStatement("select fallbacks from ai_usage where org_id = ?")) {
            ps.setString(1, t.orgId());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    /** Windows (final ones, last final window) and anomalies stored for the tenant. */
    private static String counts(LocalStack.Tenant t) {
        try (Connection c = stack.ownerConnection();
                PreparedStatement ps = c.prepareStatement("select (select count(*) from window_stats where org_id = ?),"
                        + " (select count(*) from window_stats where org_id = ? and is_final),"
                        + " (select max(window_start) from window_stats where org_id = ? and is_final),"
                        + " (select count(*) from anomaly where org_id = ?)")) {
            for (int i = 1; i <= 4; i++) {
                ps.setString(i, t.orgId());
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return "windows " + rs.getLong(1) + " final " + rs.getLong(2) + " up to " + rs.getTimestamp(3)
                        + " anomalies " + rs.getLong(4);
            }
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** The usage is recorded when the answer is made; the row follows with the sink's next flush. */
    private static boolean storedFromCache(LocalStack.Tenant t) {
        List<JsonNode> rows = summaries(t);
        return rows.size() == 1 && rows.get(0).get("cache_hit").asBoolean();
    }

    /** Where the last prompt of a lane differs from its first: what made a replay miss the cache. */
    private static String firstDifference(List<FakeOpenAiServer.Received> requests) {
        if (requests.size() < 2) {
            return "(fewer than two requests)";
        }
        String[] a = requests.get(0).messages().get(1).path("content").asText().split("\n");
        String[] b = requests.get(requests.size() - 1)
                .messages()
                .get(1)
                .path("content")
                .asText()
                .split("\n");
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            if (!a[i].equals(b[i])) {
                return "line " + i + ": '" + a[i] + "' vs '" + b[i] + "'";
            }
        }
        return a.length == b.length ? "(identical)" : "lengths " + a.length + " vs " + b.length;
    }

    private static String jobFailures(MiniCluster cluster, JobID job) throws Exception {
        var info = cluster.getExecutionGraph(job).get().getFailureInfo();
        return info == null ? null : info.getExceptionAsString();
    }

    private static List<JsonNode> summaries(LocalStack.Tenant tenant) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(queryApi.url() + "/v1/summaries?source_id="
                                            + tenant.sourceId() + "&limit=50"))
                                    .header("Authorization", "Bearer " + tenant.apiKey())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            List<JsonNode> out = new ArrayList<>();
            JSON.readTree(r.body()).get("items").forEach(out::add);
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The org's AI usage this month, through the query API. */
    private static Map<String, Object> usage(LocalStack.Tenant tenant) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(queryApi.url() + "/v1/ai/usage"))
                                    .header("Authorization", "Bearer " + tenant.apiKey())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode u = JSON.readTree(r.body());
            return Map.of(
                    "cost_usd",
                    u.get("spent_usd").asDouble(),
                    "llm_calls",
                    u.get("llm_calls").asLong(),
                    "cache_hits",
                    u.get("cache_hits").asLong(),
                    "budget_usd",
                    u.get("budget_usd").asDouble());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
