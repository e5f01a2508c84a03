package dev.logai.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.common.tenancy.OrgProvisioning;
import dev.logai.common.tenancy.OrgScope;
import dev.logai.localstack.LocalStack;
import dev.logai.localstack.SharedLocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The real query API over the real Postgres, as two orgs that must never see each other. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class QueryApiITCase {
    static final LocalStack stack = SharedLocalStack.get(false);
    static LocalStack.Tenant a;
    static LocalStack.Tenant b;
    static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");
    static final String RULES_TOPIC = "it-alert-rules-" + java.util.UUID.randomUUID();
    static final String SENSITIVITY_TOPIC = "it-anomaly-settings-" + java.util.UUID.randomUUID();

    @Value("${local.server.port}")
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TestApis.onStack(registry, stack, RULES_TOPIC);
        registry.add("logai.kafka.anomaly-settings-topic", () -> SENSITIVITY_TOPIC);
        // Offline tests: a documentation address (TEST-NET-3) stands in for Slack's public host.
        registry.add("logai.alerts.slack-hosts", () -> "hooks.slack.com,203.0.113.10");
    }

    @BeforeAll
    static void data() throws Exception {
        a = stack.createTenant("org-a", "api");
        b = stack.createTenant("org-b", "api");
        try (Connection c = stack.ownerConnection()) {
            c.setAutoCommit(false);
            insertWindow(c, a, T0, 10, 1);
            insertWindow(c, a, T0.plusSeconds(60), 20, 4);
            try (PreparedStatement ps = c.prepareStatement("update window_stats set latency_count = 18,"
                    + " latency_p50_ms = 42.5, latency_p95_ms = 250 where org_id = ? and window_start = ?")) {
                ps.setString(1, a.orgId());
                ps.setTimestamp(2, Timestamp.from(T0.plusSeconds(60)));
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            insertWindow(c, a, T0.plusSeconds(120), 5, 0);
            insertWindow(c, b, T0, 99, 99);
            insertPattern(c, a, "00000000000000a1", "Failed password for <*> from <*>");
            insertPattern(c, a, "00000000000000a2", "Accepted password for <*>");
            insertPatternWindow(c, a, "00000000000000a1", T0, 3, false);
            insertPatternWindow(c, a, "00000000000000a1", T0.plusSeconds(60), 7, false);
            insertPatternWindow(c, a, "00000000000000a2", T0.plusSeconds(60), 2, true);
            // A window rewritten with its grown total (an early firing, then the final one).
            insertPatternWindow(c, a, "00000000000000a1", T0.plusSeconds(60), 9, false);
            // generalised later: its lines (2 in the first window) now count under a1
            insertPattern(c, a, "00000000000000a3", "Failed password for root from <*>");
            insertPatternWindow(c, a, "00000000000000a3", T0, 2, true);
            insertMerge(c, a, "00000000000000a3", "00000000000000a1");
            insertPattern(c, b, "00000000000000b1", "Secret of org b <*>");
            insertPatternWindow(c, b, "00000000000000b1", T0, 50, false);
            c.commit();
        }
    }

    static void insertWindow(Connection c, LocalStack.Tenant t, Instant start, long lines, long errors)
            throws Exception {
        OrgScope.enter(c, t.orgId());
        try (PreparedStatement ps = c.prepareStatement("insert into window_stats (org_id, source_id, window_start,"
                + " window_end, line_count, info_count, error_count, error_rate, first_ts, last_ts, is_final)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, true)")) {
            ps.setString(1, t.orgId());
            ps.setString(2, t.sourceId());
            ps.setTimestamp(3, Timestamp.from(start));
            ps.setTimestamp(4, Timestamp.from(start.plusSeconds(60)));
            ps.setLong(5, lines);
            ps.setLong(6, lines - errors);
            ps.setLong(7, errors);
            ps.setDouble(8, (double) errors / lines);
            ps.setTimestamp(9, Timestamp.from(start.plusSeconds(1)));
            ps.setTimestamp(10, Timestamp.from(start.plusSeconds(59)));
            ps.executeUpdate();
        }
    }

    static void insertPattern(Connection c, LocalStack.Tenant t, String id, String text) throws Exception {
        OrgScope.enter(c, t.orgId());
        try (PreparedStatement ps = c.prepareStatement("insert into pattern (org_id, source_id, template_id, template,"
                + " first_seen, last_seen) values (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, t.orgId());
            ps.setString(2, t.sourceId());
            ps.setString(3, id);
            ps.setString(4, text);
            ps.setTimestamp(5, Timestamp.from(T0));
            ps.setTimestamp(6, Timestamp.from(T0.plusSeconds(119)));
            ps.executeUpdate();
        }
    }

    static void insertMerge(Connection c, LocalStack.Tenant t, String from, String into) throws Exception {
        OrgScope.enter(c, t.orgId());
        try (PreparedStatement ps = c.prepareStatement(
                "insert into pattern_merge (org_id, source_id, from_id, into_id) values (?, ?, ?, ?)")) {
            ps.setString(1, t.orgId());
            ps.setString(2, t.sourceId());
            ps.setString(3, from);
            ps.setString(4, into);
            ps.executeUpdate();
        }
    }

    static void insertPatternWindow(
            Connection c, LocalStack.Tenant t, String id, Instant start, long lines, boolean isNew) throws Exception {
        OrgScope.enter(c, t.orgId());
        try (PreparedStatement ps = c.prepareStatement(
                "insert into pattern_window (org_id, source_id, template_id,"
                        + " window_start, window_end, line_count, is_new) values (?, ?, ?, ?, ?, ?, ?)"
                        + " on conflict (org_id, source_id, window_start, template_id) do update set line_count = excluded.line_count")) {
            ps.setString(1, t.orgId());
            ps.setString(2, t.sourceId());
            ps.setString(3, id);
            ps.setTimestamp(4, Timestamp.from(start));
            ps.setTimestamp(5, Timestamp.from(start.plusSeconds(60)));
            ps.setLong(6, lines);
            ps.setBoolean(7, isNew);
            ps.executeUpdate();
        }
    }

    @Test
    void patternsAreRankedByLinesInRangeWithWindowCountsAndScopedToTheOrg() throws Exception {
        HttpResponse<String> all = get(a.apiKey(), "/v1/patterns?source_id=" + a.sourceId());
        assertThat(all.statusCode()).isEqualTo(200);
        String body = all.body();
        // Totals follow rewritten windows (3 + 9, not 3 + 7 + 9) and the generalised template's
        // lines (2), most lines first; the old id is listed as merged, not as a pattern of its own.
        assertThat(body)
                .contains("\"total_count\":14")
                .contains("\"count\":14")
                .contains("\"merged_from\":[\"00000000000000a3\"]")
                .contains("{\"window_start\":\"2024-03-01T10:00:00Z\",\"count\":5,\"error_count\":0}")
                .contains("{\"window_start\":\"2024-03-01T10:01:00Z\",\"count\":9,\"error_count\":0}")
                .doesNotContain("Failed password for root")
                .doesNotContain("Secret of org b");
        assertThat(body.indexOf("00000000000000a1")).isLessThan(body.indexOf("00000000000000a2"));

        HttpResponse<String> ranged = get(
                a.apiKey(),
                "/v1/patterns?source_id=" + a.sourceId() + "&since=2024-03-01T10:01:00Z&until=2024-03-01T10:02:00Z");
        assertThat(ranged.body())
                .contains("\"count\":9")
                .contains("\"total_count\":14")
                .contains("\"is_new\":true")
                .doesNotContain("\"count\":3");

        assertThat(get(a.apiKey(), "/v1/patterns").body()).doesNotContain("00000000000000b1");
        assertThat(get(a.apiKey(), "/v1/patterns?source_id=" + b.sourceId()).statusCode())
                .isEqualTo(404);
        assertThat(get(b.apiKey(), "/v1/patterns").body())
                .contains("00000000000000b1")
                .doesNotContain("00000000000000a1");
        assertThat(get(null, "/v1/patterns").statusCode()).isEqualTo(401);

        // an old id (as an older anomaly names it) resolves to the pattern it lives in now
        HttpResponse<String> old = get(a.apiKey(), "/v1/patterns/00000000000000a3?source_id=" + a.sourceId());
        assertThat(old.statusCode()).isEqualTo(200);
        assertThat(old.body())
                .contains("\"template_id\":\"00000000000000a1\"")
                .contains("\"merged_into\":\"00000000000000a1\"")
                .contains("\"total_count\":14");
        assertThat(get(a.apiKey(), "/v1/patterns/00000000000000a1?source_id=" + a.sourceId())
                        .body())
                .contains("\"merged_into\":null");
        assertThat(get(a.apiKey(), "/v1/patterns/00000000000000ff?source_id=" + a.sourceId())
                        .statusCode())
                .isEqualTo(404);
        assertThat(get(a.apiKey(), "/v1/patterns/00000000000000a3").statusCode())
                .isEqualTo(400);
        assertThat(get(a.apiKey(), "/v1/patterns/nothex?source_id=" + a.sourceId())
                        .statusCode())
                .isEqualTo(400);
        assertThat(get(b.apiKey(), "/v1/patterns/00000000000000a3?source_id=" + a.sourceId())
                        .statusCode())
                .isEqualTo(404);
        assertThat(get(a.apiKey(), "/v1/patterns?until=soon").statusCode()).isEqualTo(400);
    }

    HttpResponse<String> get(String key, String path) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .GET();
        if (key != null) r.header("Authorization", "Bearer " + key);
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String key, String path, String json) throws Exception {
        return TestApis.postJson(http, port, key, path, json);
    }

    @Test
    void eachOrgListsOnlyItsOwnSources() throws Exception {
        HttpResponse<String> listA = get(a.apiKey(), "/v1/sources");
        assertThat(listA.statusCode()).isEqualTo(200);
        assertThat(listA.body()).contains(a.sourceId()).doesNotContain(b.sourceId());
        assertThat(get(a.apiKey(), "/v1/sources/" + a.sourceId()).statusCode()).isEqualTo(200);
        HttpResponse<String> foreign = get(a.apiKey(), "/v1/sources/" + b.sourceId());
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(foreign.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(get(null, "/v1/sources").statusCode()).isEqualTo(401);
    }

    @Test
    void createsSourcesWithValidationDuplicatesAndPlanQuota() throws Exception {
        LocalStack.Tenant t = stack.createTenant("creator", "first");
        HttpResponse<String> created = post(
                t.apiKey(),
                "/v1/sources",
                "{\"name\":\"checkout\",\"env\":\"staging\",\"parser_hint\":\"%{COMBINEDAPACHELOG}\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body())
                .contains("\"name\":\"checkout\"")
                .contains("\"env\":\"staging\"")
                .contains("\"parser_hint\":\"%{COMBINEDAPACHELOG}\"");
        assertThat(created.headers().firstValue("Location"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("/v1/sources/src_"));
        assertThat(post(t.apiKey(), "/v1/sources", "{\"name\":\"checkout\"}").statusCode())
                .isEqualTo(409);
        assertThat(post(t.apiKey(), "/v1/sources", "{\"name\":\"\"}").statusCode())
                .isEqualTo(400);
        assertThat(post(t.apiKey(), "/v1/sources", "{not json").statusCode()).isEqualTo(400);
        assertThat(get(t.apiKey(), "/v1/sources").body()).contains("checkout").contains("first");

        String freeKey;
        try (Connection c = stack.ownerConnection()) {
            c.setAutoCommit(false);
            String org = OrgProvisioning.createOrg(c, "free-org", "free");
            OrgProvisioning.createSource(c, org, "only", "production");
            freeKey = OrgProvisioning.createApiKey(c, org, "k").plaintext();
            c.commit();
        }
        HttpResponse<String> overQuota = post(freeKey, "/v1/sources", "{\"name\":\"second\"}");
        assertThat(overQuota.statusCode()).isEqualTo(403);
        assertThat(overQuota.body()).contains("'free' plan allows 1 source").contains("Upgrade");
    }

    @Test
    void windowsAreNewestFirstFilteredAndScopedToTheOrg() throws Exception {
        HttpResponse<String> all = get(a.apiKey(), "/v1/windows?source_id=" + a.sourceId());
        assertThat(all.statusCode()).isEqualTo(200);
        String body = all.body();
        assertThat(body.indexOf("\"window_start\":\"2024-03-01T10:02:00Z\""))
                .isLessThan(body.indexOf("\"window_start\":\"2024-03-01T10:01:00Z\""));
        assertThat(body)
                .contains("\"line_count\":20")
                .contains("\"error\":4")
                .contains("\"error_rate\":0.2")
                .contains("\"latency_count\":18,\"latency_p50_ms\":42.5,\"latency_p95_ms\":250.0")
                .contains("\"latency_p95_ms\":null")
                .doesNotContain("\"line_count\":99");

        HttpResponse<String> ranged = get(
                a.apiKey(),
                "/v1/windows?source_id=" + a.sourceId()
                        + "&since=2024-03-01T10:01:00Z&until=2024-03-01T10:02:00Z&limit=10");
        assertThat(ranged.body())
                .contains("\"line_count\":20")
                .doesNotContain("\"line_count\":10")
                .doesNotContain("\"line_count\":5,");

        HttpResponse<String> orgWide = get(a.apiKey(), "/v1/windows");
        assertThat(orgWide.body()).doesNotContain(b.sourceId()).contains(a.sourceId());

        assertThat(get(a.apiKey(), "/v1/windows?source_id=" + b.sourceId()).statusCode())
                .isEqualTo(404);
        HttpResponse<String> badSince = get(a.apiKey(), "/v1/windows?since=yesterday");
        assertThat(badSince.statusCode()).isEqualTo(400);
        assertThat(badSince.body()).contains("ISO-8601");
        assertThat(get(a.apiKey(), "/v1/windows?limit=0").statusCode()).isEqualTo(400);
    }

    @Test
    void summariesAreListedPerIncidentAndScopedToTheOrg() throws Exception {
        try (Connection c = stack.ownerConnection()) {
            c.setAutoCommit(false);
            insertSummary(c, a, "sum-a-1", T0, T0.plusSeconds(300), "Payment timeouts after deploy");
            insertSummary(c, b, "sum-b-1", T0, T0.plusSeconds(60), "Secret incident of org b");
            c.commit();
        }
        HttpResponse<String> r = get(
                a.apiKey(),
                "/v1/summaries?source_id=" + a.sourceId() + "&since=2024-03-01T10:04:00Z&until=2024-03-01T11:00:00Z");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body())
                .contains(
                        "\"title\":\"Payment timeouts after deploy\"",
                        "\"bullets\":[\"b1\",\"b2\",\"b3\"]",
                        "\"next_steps\":[\"roll back\"]",
                        "\"windows\":5",
                        "\"partial\":true",
                        "\"llm_model\":\"extractive\"",
                        "\"fallback_reason\":\"no_llm\"",
                        "\"window_end\":\"2024-03-01T10:05:00Z\"")
                .doesNotContain("org b");
        // An incident that ended before the range is not listed.
        assertThat(get(a.apiKey(), "/v1/summaries?since=2024-03-01T10:06:00Z").body())
                .doesNotContain("sum-a-1");
        assertThat(get(a.apiKey(), "/v1/summaries?source_id=" + b.sourceId()).statusCode())
                .isEqualTo(404);
        assertThat(get(null, "/v1/summaries").statusCode()).isEqualTo(401);
    }

    @Test
    void anOrgSetsItsMonthlyAiBudgetAndSeesItsSpend() throws Exception {
        LocalStack.Tenant t = stack.createTenant("budgeted", "api");
        HttpResponse<String> before = get(t.apiKey(), "/v1/ai/usage");
        assertThat(before.statusCode()).isEqualTo(200);
        assertThat(before.body())
                .contains("\"plan\":\"team\"", "\"budget_usd\":200", "\"budget_source\":\"plan\"", "\"spent_usd\":0");

        HttpResponse<String> set = put(t.apiKey(), "/v1/ai/budget", "{\"monthly_usd\": 12.5, \"share_cache\": true}");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(set.body()).contains("\"budget_usd\":12.5", "\"budget_source\":\"org\"", "\"share_cache\":true");
        HttpResponse<String> negative = put(t.apiKey(), "/v1/ai/budget", "{\"monthly_usd\": -1}");
        assertThat(negative.statusCode()).isEqualTo(400);
        assertThat(negative.body()).contains("monthly_usd must be between 0 and 1000000");
        assertThat(get(a.apiKey(), "/v1/ai/usage").body()).contains("\"budget_source\":\"plan\"");
        assertThat(put(t.apiKey(), "/v1/ai/budget", "{\"monthly_usd\": null}").body())
                .contains("\"budget_usd\":200");
    }

    HttpResponse<String> put(String key, String path, String json) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static void insertSummary(Connection c, LocalStack.Tenant t, String id, Instant start, Instant end, String title)
            throws Exception {
        OrgScope.enter(c, t.orgId());
        try (PreparedStatement ps = c.prepareStatement("insert into summary (id, org_id, source_id, severity, title,"
                + " bullets, llm_model, window_start, window_end, windows, next_steps, partial, fallback_reason)"
                + " values (?, ?, ?, 'high', ?, '{b1,b2,b3}', 'extractive', ?, ?, 5, '{roll back}', true, 'no_llm')")) {
            ps.setString(1, id);
            ps.setString(2, t.orgId());
            ps.setString(3, t.sourceId());
            ps.setString(4, title);
            ps.setTimestamp(5, Timestamp.from(start));
            ps.setTimestamp(6, Timestamp.from(end));
            ps.executeUpdate();
        }
    }

    static final String RULE = """
            {"name": "API errors", "condition": {"metric": "error_rate", "op": ">", "threshold": 0.02, "window": "5m",
             "service": "api"}, "channels": {"slack": ["https://203.0.113.10/services/T0/B0/x"],
             "email": ["oncall@example.com"], "webhook": ["https://198.51.100.7/hooks/logai"]}}""";

    @Test
    void alertRulesAreCreatedValidatedChangedAndDeletedWithinTheOrg() throws Exception {
        HttpResponse<String> created = post(a.apiKey(), "/v1/alert-rules", RULE);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body())
                .contains(
                        "\"signing_secret\":\"whsec_",
                        "\"sustained\":1",
                        "\"resolve_after\":3",
                        "\"window\":\"5m\"",
                        "\"is_active\":true",
                        "\"page_max_age\":\"1h\"",
                        "\"version\":1");
        String id = created.headers().firstValue("Location").orElseThrow().replace("/v1/alert-rules/", "");

        HttpResponse<String> got = get(a.apiKey(), "/v1/alert-rules/" + id);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).contains("\"signing_secret_hint\":\"whsec_…").doesNotContain("\"signing_secret\":");
        assertThat(get(b.apiKey(), "/v1/alert-rules/" + id).statusCode())
                .as("another org")
                .isEqualTo(404);
        assertThat(get(b.apiKey(), "/v1/alert-rules").body()).doesNotContain(id);

        HttpResponse<String> patched = patch(
                a.apiKey(),
                "/v1/alert-rules/" + id,
                "{\"condition\": {\"anomaly\": {\"min_score\": 0.8, \"metric\": \"error_rate\"}}, \"is_active\": false,"
                        + " \"page_max_age\": \"off\"}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(patched.body())
                .contains(
                        "\"min_score\":0.8",
                        "\"version\":2",
                        "\"is_active\":false",
                        "\"page_max_age\":\"off\"",
                        "oncall@example.com");
        HttpResponse<String> aged = patch(a.apiKey(), "/v1/alert-rules/" + id, "{\"page_max_age\": \"1440m\"}");
        assertThat(aged.body())
                .as("kept as is: off is a value, an absent field no change")
                .contains("\"page_max_age\":\"1d\"", "\"version\":3", "\"min_score\":0.8");
        HttpResponse<String> tooOld = patch(a.apiKey(), "/v1/alert-rules/" + id, "{\"page_max_age\": \"31d\"}");
        assertThat(tooOld.statusCode()).isEqualTo(400);
        assertThat(tooOld.body()).contains("'page_max_age' must be a duration from 1m to 30d");
        assertThat(patch(b.apiKey(), "/v1/alert-rules/" + id, "{\"is_active\": true}")
                        .statusCode())
                .isEqualTo(404);

        assertThat(delete(b.apiKey(), "/v1/alert-rules/" + id).statusCode()).isEqualTo(404);
        assertThat(delete(a.apiKey(), "/v1/alert-rules/" + id).statusCode()).isEqualTo(204);
        assertThat(get(a.apiKey(), "/v1/alert-rules/" + id).statusCode()).isEqualTo(404);

        // Every change went to the pipeline's compacted rules topic, in order: v1, v2, v3, tombstone.
        List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> changes = rulesTopic(id, 4);
        assertThat(changes)
                .extracting(org.apache.kafka.clients.consumer.ConsumerRecord::key)
                .containsOnly(id);
        assertThat(changes.get(0).value())
                .contains(
                        "\"org_id\":\"" + a.orgId() + "\"",
                        "\"version\":1",
                        "\"signing_secret\":\"whsec_",
                        "\"threshold\":0.02",
                        "\"page_max_age\":\"1h\"");
        assertThat(changes.get(1).value())
                .contains("\"version\":2", "\"min_score\":0.8", "\"is_active\":false", "\"page_max_age\":\"off\"");
        assertThat(changes.get(2).value()).contains("\"version\":3", "\"page_max_age\":\"1d\"");
        assertThat(changes.get(3).value()).isNull();
    }

    /** The records of one rule on the rules topic, waiting up to 10 s for {@code expected} of them. */
    static List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> rulesTopic(
            String ruleId, int expected) {
        return topicRecords(RULES_TOPIC, ruleId, expected);
    }

    /** The records of one key on {@code topic}, waiting up to 10 s for {@code expected} of them. */
    static List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> topicRecords(
            String topic, String key, int expected) {
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", stack.kafka.bootstrapServers());
        p.put("group.id", "it-" + java.util.UUID.randomUUID());
        p.put("auto.offset.reset", "earliest");
        List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> out = new java.util.ArrayList<>();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(
                p,
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 10_000;
            while (out.size() < expected && System.currentTimeMillis() < deadline) {
                consumer.poll(java.time.Duration.ofMillis(200)).forEach(r -> {
                    if (key.equals(r.key())) out.add(r);
                });
            }
        }
        return out;
    }

    @Test
    void anomalySensitivityIsSetPerOrgAndSourceStoredAndPublishedToThePipeline() throws Exception {
        HttpResponse<String> initial = get(a.apiKey(), "/v1/anomaly-settings");
        assertThat(initial.statusCode()).isEqualTo(200);
        assertThat(initial.body()).startsWith("{\"sensitivity\":null").contains("\"source_id\":\"" + a.sourceId());

        HttpResponse<String> org = put(a.apiKey(), "/v1/anomaly-settings", "{\"sensitivity\": \"high\"}");
        assertThat(org.statusCode()).as(org.body()).isEqualTo(200);
        assertThat(org.body()).startsWith("{\"sensitivity\":\"high\"");
        HttpResponse<String> source =
                put(a.apiKey(), "/v1/sources/" + a.sourceId() + "/anomaly-settings", "{\"sensitivity\": \"low\"}");
        assertThat(source.statusCode()).as(source.body()).isEqualTo(200);
        assertThat(get(a.apiKey(), "/v1/anomaly-settings").body())
                .contains("\"source_id\":\"" + a.sourceId() + "\",\"name\":\"api\",\"sensitivity\":\"low\"");
        // another org neither sees nor changes them
        assertThat(get(b.apiKey(), "/v1/anomaly-settings").body())
                .startsWith("{\"sensitivity\":null")
                .doesNotContain(a.sourceId());
        assertThat(put(b.apiKey(), "/v1/sources/" + a.sourceId() + "/anomaly-settings", "{\"sensitivity\": \"high\"}")
                        .statusCode())
                .isEqualTo(404);
        // bad values are refused with the accepted ones named, nothing changed
        for (String bad : List.of(
                "{\"sensitivity\": \"loud\"}",
                "{\"sensitivity\": 3}",
                "{}",
                "{\"sensitivity\": \"low\", \"sensitivty\": \"low\"}")) {
            HttpResponse<String> refused = put(a.apiKey(), "/v1/anomaly-settings", bad);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
            assertThat(refused.body()).as(bad).contains("low").contains("high");
        }
        assertThat(put(a.apiKey(), "/v1/anomaly-settings", "[1]").statusCode()).isEqualTo(400);
        HttpResponse<String> misspelt = put(a.apiKey(), "/v1/anomaly-settings", "{\"sensitivty\": \"low\"}");
        assertThat(misspelt.statusCode()).isEqualTo(400);
        assertThat(misspelt.body()).as("the unknown field is named").contains("'sensitivty'");
        assertThat(get(a.apiKey(), "/v1/anomaly-settings").body()).startsWith("{\"sensitivity\":\"high\"");

        // the pipeline's topic: the org's value under its id, the source's under org/source, a
        // tombstone when cleared
        HttpResponse<String> cleared =
                put(a.apiKey(), "/v1/sources/" + a.sourceId() + "/anomaly-settings", "{\"sensitivity\": null}");
        assertThat(cleared.statusCode()).isEqualTo(200);
        var orgRecords = topicRecords(SENSITIVITY_TOPIC, a.orgId(), 1);
        assertThat(orgRecords).hasSize(1);
        assertThat(orgRecords.get(0).value()).isEqualTo("{\"org_id\":\"" + a.orgId() + "\",\"sensitivity\":\"high\"}");
        var sourceRecords = topicRecords(SENSITIVITY_TOPIC, a.orgId() + "/" + a.sourceId(), 2);
        assertThat(sourceRecords).hasSize(2);
        assertThat(sourceRecords.get(0).value())
                .isEqualTo("{\"org_id\":\"" + a.orgId() + "\",\"source_id\":\"" + a.sourceId()
                        + "\",\"sensitivity\":\"low\"}");
        assertThat(sourceRecords.get(1).value()).isNull();
        put(a.apiKey(), "/v1/anomaly-settings", "{\"sensitivity\": null}");
    }

    @Test
    void alertsAreListedWithTheirDeliveriesAndScopedToTheOrg() throws Exception {
        String ruleA = post(a.apiKey(), "/v1/alert-rules", RULE)
                .headers()
                .firstValue("Location")
                .orElseThrow()
                .replace("/v1/alert-rules/", "");
        String ruleB = post(b.apiKey(), "/v1/alert-rules", RULE)
                .headers()
                .firstValue("Location")
                .orElseThrow()
                .replace("/v1/alert-rules/", "");
        try (Connection c = stack.ownerConnection()) {
            c.setAutoCommit(false);
            insertAlert(
                    c,
                    a,
                    ruleA,
                    "alert-a-1",
                    "firing",
                    T0,
                    "{\"title\": \"API errors — payment timeouts\","
                            + " \"deliveries\": [{\"channel\": \"webhook\", \"delivered\": false, \"error\": \"HTTP 500\"}]}");
            insertAlert(
                    c,
                    a,
                    ruleA,
                    "alert-a-0",
                    "resolved",
                    T0.minusSeconds(3_600),
                    "{\"title\": \"Resolved: API errors\"}");
            insertAlert(c, b, ruleB, "alert-b-1", "firing", T0, "{\"title\": \"Secret alert of org b\"}");
            insertAlert(
                    c,
                    a,
                    ruleA,
                    "alert-a-old",
                    "firing",
                    T0.minusSeconds(7_200),
                    "{\"title\": \"API errors — backfill\", \"notification_state\": \"not_sent_old_data\","
                            + " \"notification_reason\": \"Not sent: the data was 3h 0m old\", \"deliveries\": []}");
            c.commit();
        }
        HttpResponse<String> r = get(a.apiKey(), "/v1/alerts?status=firing&source_id=" + a.sourceId());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body())
                .contains(
                        "\"id\":\"alert-a-1\"",
                        "\"rule_name\":\"API errors\"",
                        "\"status\":\"firing\"",
                        "\"count\":4",
                        "\"error\":\"HTTP 500\"",
                        "\"first_seen\":\"2024-03-01T10:00:00Z\"")
                .doesNotContain("alert-a-0", "org b");
        assertThat(get(a.apiKey(), "/v1/alerts?rule_id=" + ruleA).body())
                .contains(
                        "alert-a-1",
                        "alert-a-0",
                        "\"id\":\"alert-a-old\",\"rule_id\":\"" + ruleA + "\"",
                        "\"notification_state\":\"not_sent_old_data\","
                                + "\"notification_reason\":\"Not sent: the data was 3h 0m old\"");
        assertThat(get(a.apiKey(), "/v1/alerts?since=2024-03-01T09:30:00Z").body())
                .doesNotContain("alert-a-0");
        HttpResponse<String> foreignRule = get(a.apiKey(), "/v1/alerts?rule_id=" + ruleB);
        assertThat(foreignRule.statusCode())
                .as("another org's rule is unknown here, as another org's source is")
                .isEqualTo(404);
        assertThat(foreignRule.body()).doesNotContain("alert-b-1").contains("Unknown alert rule");
        HttpResponse<String> bad = get(a.apiKey(), "/v1/alerts?status=open");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("'status' must be one of firing, escalated, resolved, triggered");
        assertThat(get(null, "/v1/alerts").statusCode()).isEqualTo(401);
    }

    static void insertAlert(
            Connection c,
            LocalStack.Tenant t,
            String ruleId,
            String id,
            String status,
            Instant firstSeen,
            String payload)
            throws Exception {
        OrgScope.enter(c, t.orgId());
        try (PreparedStatement ps =
                c.prepareStatement("insert into alert_event (id, org_id, rule_id, source_id, status,"
                        + " first_seen, last_sent, count, payload_json) values (?, ?, ?, ?, ?, ?, ?, 4, ?::jsonb)")) {
            ps.setString(1, id);
            ps.setString(2, t.orgId());
            ps.setString(3, ruleId);
            ps.setString(4, t.sourceId());
            ps.setString(5, status);
            ps.setTimestamp(6, Timestamp.from(firstSeen));
            ps.setTimestamp(7, Timestamp.from(firstSeen.plusSeconds(60)));
            ps.setString(8, payload);
            ps.executeUpdate();
        }
    }

    @Test
    void alertRulesWithBadConditionsOrUnsafeTargetsAreRefusedWithAReason() throws Exception {
        String[][] cases = {
            {
                "{\"name\":\"x\",\"condition\":{\"metric\":\"cpu\",\"op\":\">\",\"threshold\":1},\"channels\":{\"email\":[\"a@example.com\"]}}",
                "'condition.metric' must be one of"
            },
            {
                "{\"name\":\"x\",\"condition\":{\"metric\":\"error_rate\",\"op\":\"=\",\"threshold\":1},\"channels\":{\"email\":[\"a@example.com\"]}}",
                "'condition.op' must be one of"
            },
            {
                "{\"name\":\"x\",\"condition\":{\"metric\":\"error_rate\",\"op\":\">\",\"threshold\":1,\"window\":\"2d\"},\"channels\":{\"email\":[\"a@example.com\"]}}",
                "'condition.window' must be a duration"
            },
            {
                "{\"name\":\"x\",\"condition\":{\"metric\":\"error_rate\",\"op\":\">\",\"threshold\":1},\"channels\":{}}",
                "at least one"
            },
            {
                "{\"name\":\"x\",\"condition\":{\"metric\":\"error_rate\",\"op\":\">\",\"threshold\":1},\"channels\":{\"email\":[\"not-an-address\"]}}",
                "is not an email address"
            },
            {"{\"name\":\"\",\"condition\":{},\"channels\":{}}", "'name' is required"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = post(a.apiKey(), "/v1/alert-rules", c[0]);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
            assertThat(r.body()).as(c[0]).contains(c[1]);
        }
        for (String url : new String[] {
            "http://127.0.0.1:9000/x",
            "http://[::1]/x",
            "http://169.254.169.254/latest/meta-data/",
            "http://10.1.2.3/x",
            "http://localhost/x",
            "file:///etc/passwd",
            "https://user:pw@198.51.100.7/x"
        }) {
            HttpResponse<String> r = post(
                    a.apiKey(),
                    "/v1/alert-rules",
                    "{\"name\":\"x\",\"condition\":{\"metric\":"
                            + "\"error_rate\",\"op\":\">\",\"threshold\":1},\"channels\":{\"webhook\":[\"" + url
                            + "\"]}}");
            assertThat(r.statusCode()).as(url).isEqualTo(400);
            assertThat(r.body()).as(url).contains("channels.webhook");
        }
        HttpResponse<String> notSlack = post(
                a.apiKey(),
                "/v1/alert-rules",
                "{\"name\":\"x\",\"condition\":{\"metric\":"
                        + "\"error_rate\",\"op\":\">\",\"threshold\":1},\"channels\":{\"slack\":[\"https://198.51.100.7/services/x\"]}}");
        assertThat(notSlack.statusCode()).isEqualTo(400);
        assertThat(notSlack.body()).contains("must be on");
        assertThat(get(a.apiKey(), "/v1/alert-rules").body()).doesNotContain("\"name\":\"x\"");
    }

    HttpResponse<String> patch(String key, String path, String json) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> delete(String key, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + key)
                        .DELETE()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
