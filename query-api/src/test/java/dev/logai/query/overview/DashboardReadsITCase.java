package dev.logai.query.overview;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard's reads on the real API over the real Postgres: overview and histogram buckets,
 * search (trigram indexes, row-level security), the rule preview and /v1/me, as two orgs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DashboardReadsITCase {
    static final LocalStack stack = SharedLocalStack.get(false);
    static final JsonMapper JSON = JsonMapper.builder().build();
    static LocalStack.Tenant a;
    static LocalStack.Tenant b;
    /** An hour ago, on a minute: 30 windows of org a from here, every fifth one all errors. */
    static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minusSeconds(3600);

    @Value("${local.server.port}")
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", stack.postgres::jdbcUrl);
        registry.add("spring.datasource.username", () -> LocalStack.APP_ROLE);
        registry.add("spring.datasource.password", () -> stack.appPassword);
        registry.add("logai.kafka.bootstrap", stack.kafka::bootstrapServers);
        registry.add("logai.kafka.alert-rules-topic", () -> "it-dash-rules-" + java.util.UUID.randomUUID());
    }

    @BeforeAll
    static void data() throws Exception {
        a = stack.createTenant("dash-a", "web");
        b = stack.createTenant("dash-b", "web");
        try (Connection c = stack.ownerConnection()) {
            c.setAutoCommit(false);
            for (int i = 0; i < 30; i++) {
                window(c, a, T0.plusSeconds(60L * i), 10, i % 5 == 4 ? 10 : 0);
            }
            window(c, b, T0, 99, 99);
            // latency: windows 0–9 carry none (as before it was stored), 10–29 a p95 of 100 ms, and
            // 800 ms in windows 15, 16 and 25
            OrgScope.enter(c, a.orgId());
            try (PreparedStatement ps = c.prepareStatement("update window_stats set latency_count = 10,"
                    + " latency_p50_ms = 40, latency_p95_ms = ? where org_id = ? and window_start = ?")) {
                for (int i = 10; i < 30; i++) {
                    ps.setDouble(1, i == 15 || i == 16 || i == 25 ? 800 : 100);
                    ps.setString(2, a.orgId());
                    ps.setTimestamp(3, Timestamp.from(T0.plusSeconds(60L * i)));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            OrgScope.enter(c, a.orgId());
            exec(
                    c,
                    "insert into pattern (org_id, source_id, template_id, template, first_seen, last_seen)"
                            + " values (?, ?, '00000000000000d1', 'Payment gateway timeout after <*> ms', ?, ?)",
                    a,
                    T0);
            exec(
                    c,
                    "insert into summary (id, org_id, source_id, severity, title, window_start, window_end)"
                            + " values ('sum_dash_a', ?, ?, 'high', 'Checkout errors: payment gateway timeouts', ?, ?)",
                    a,
                    T0);
            OrgScope.enter(c, b.orgId());
            exec(
                    c,
                    "insert into pattern (org_id, source_id, template_id, template, first_seen, last_seen)"
                            + " values (?, ?, '00000000000000d2', 'Payment secret of org b <*>', ?, ?)",
                    b,
                    T0);
            c.commit();
        }
    }

    static void window(Connection c, LocalStack.Tenant t, Instant start, long lines, long errors) throws Exception {
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

    static void exec(Connection c, String sql, LocalStack.Tenant t, Instant at) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, t.orgId());
            ps.setString(2, t.sourceId());
            ps.setTimestamp(3, Timestamp.from(at));
            ps.setTimestamp(4, Timestamp.from(at.plusSeconds(600)));
            ps.executeUpdate();
        }
    }

    @Test
    void histogramSumsWindowsPerBucketAndLevel() throws Exception {
        JsonNode h = ok(
                a,
                "/v1/windows/histogram?source_id=" + a.sourceId() + "&since=" + T0 + "&until=" + T0.plusSeconds(1800)
                        + "&buckets=3");
        assertThat(h.get("step_seconds").asLong()).isEqualTo(600);
        assertThat(h.get("buckets")).hasSize(3);
        for (JsonNode bucket : h.get("buckets")) {
            assertThat(bucket.get("lines").asLong()).isEqualTo(100);
            assertThat(bucket.get("errors").asLong()).isEqualTo(20);
            assertThat(bucket.get("levels").get("error").asLong()).isEqualTo(20);
            assertThat(bucket.get("levels").get("info").asLong()).isEqualTo(80);
        }
        assertThat(get(b, "/v1/windows/histogram?source_id=" + a.sourceId()).statusCode())
                .isEqualTo(404);
        assertThat(get(a, "/v1/windows/histogram?source_id=" + a.sourceId() + "&buckets=0")
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void overviewShowsOnlyTheOrgsSourcesWithTotalsAndIncidents() throws Exception {
        JsonNode o = ok(a, "/v1/overview?since=" + T0 + "&until=" + T0.plusSeconds(1800) + "&buckets=30");
        assertThat(o.get("sources")).hasSize(1);
        JsonNode s = o.get("sources").get(0);
        assertThat(s.get("id").asString()).isEqualTo(a.sourceId());
        assertThat(s.get("lines").asLong()).isEqualTo(300);
        assertThat(s.get("errors").asLong()).isEqualTo(60);
        assertThat(s.get("error_rate").asDouble()).isEqualTo(0.2);
        assertThat(s.get("incidents").asLong()).isEqualTo(1);
        assertThat(s.get("volume")).hasSize(30);
        assertThat(s.get("last_line_at").asString())
                .isEqualTo(T0.plusSeconds(29 * 60 + 59).toString());
    }

    @Test
    void searchFindsEveryWordAcrossKindsWithinTheOrgOnly() throws Exception {
        JsonNode hits = ok(a, "/v1/search?q=payment+TIMEOUT").get("items");
        assertThat(hits).hasSize(2);
        assertThat(hits.toString()).contains("\"kind\":\"pattern\"", "\"kind\":\"summary\"", "sum_dash_a");
        assertThat(ok(a, "/v1/search?q=secret").get("items")).isEmpty();
        assertThat(ok(b, "/v1/search?q=payment").get("items").toString())
                .contains("00000000000000d2")
                .doesNotContain("00000000000000d1");
        // LIKE's wildcards are literals
        assertThat(ok(a, "/v1/search?q=%25%25").get("items")).isEmpty();
        assertThat(get(a, "/v1/search?q=x").statusCode()).isEqualTo(400);
    }

    @Test
    void previewReplaysAThresholdRuleOverTheStoredWindows() throws Exception {
        HttpResponse<String> r = post(
                a,
                "/v1/alert-rules/preview",
                "{\"source_id\":\"" + a.sourceId() + "\",\"condition\":{\"metric\":\"error_rate\",\"op\":\">\","
                        + "\"threshold\":0.5,\"resolve_after\":1}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode p = JSON.readTree(r.body());
        // every fifth window is all errors, resolved by the clean one after it: 6 firings in 30 windows
        assertThat(p.get("fired").asLong()).isEqualTo(6);
        assertThat(p.get("evaluated").asLong()).isEqualTo(30);
        assertThat(p.get("firings")).hasSize(6);

        // a latency rule on the stored p95s: two runs (15–16 and 25), windows without durations never breach
        JsonNode latency = JSON.readTree(post(
                        a,
                        "/v1/alert-rules/preview",
                        "{\"source_id\":\"" + a.sourceId() + "\",\"condition\":{\"metric\":\"latency_p95\","
                                + "\"op\":\">\",\"threshold\":500,\"resolve_after\":1}}")
                .body());
        assertThat(latency.get("fired").asLong()).as(latency.toString()).isEqualTo(2);
        assertThat(latency.get("firings").get(0).get("value").asDouble()).isEqualTo(800);
        assertThat(latency.get("series"))
                .allSatisfy(point -> assertThat(point.get("value").isNumber()).isTrue());
        assertThat(post(a, "/v1/alert-rules/preview", "{\"condition\":{\"metric\":\"nope\"}}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(post(
                                b,
                                "/v1/alert-rules/preview",
                                "{\"source_id\":\"" + a.sourceId()
                                        + "\",\"condition\":{\"metric\":\"error_rate\",\"op\":\">\",\"threshold\":0.5}}")
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void patternTrendsSumWindowsIntoBuckets() throws Exception {
        try (Connection c = stack.ownerConnection()) {
            c.setAutoCommit(false);
            OrgScope.enter(c, a.orgId());
            for (int i = 0; i < 6; i++) {
                try (PreparedStatement ps = c.prepareStatement("insert into pattern_window (org_id, source_id,"
                        + " template_id, window_start, window_end, line_count, error_count) values (?, ?,"
                        + " '00000000000000d1', ?, ?, 5, 1)")) {
                    ps.setString(1, a.orgId());
                    ps.setString(2, a.sourceId());
                    ps.setTimestamp(3, Timestamp.from(T0.plusSeconds(60L * i)));
                    ps.setTimestamp(4, Timestamp.from(T0.plusSeconds(60L * i + 60)));
                    ps.executeUpdate();
                }
            }
            c.commit();
        }
        JsonNode t = ok(
                a,
                "/v1/patterns/trends?source_id=" + a.sourceId() + "&since=" + T0 + "&until=" + T0.plusSeconds(360)
                        + "&buckets=2");
        JsonNode p = t.get("items").get(0);
        assertThat(p.get("template_id").asString()).isEqualTo("00000000000000d1");
        assertThat(p.get("count").asLong()).isEqualTo(30);
        assertThat(p.get("windows")).hasSize(2);
        assertThat(p.get("windows").get(0).get("count").asLong()).isEqualTo(15);
        assertThat(p.get("windows").get(1).get("error_count").asLong()).isEqualTo(3);
        assertThat(get(a, "/v1/patterns/trends?source_id=" + a.sourceId()).statusCode())
                .isEqualTo(400);
        assertThat(get(
                                b,
                                "/v1/patterns/trends?source_id=" + a.sourceId() + "&since=" + T0 + "&until="
                                        + T0.plusSeconds(360))
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void oneSummaryByIdIsTheOrgsOnly() throws Exception {
        JsonNode s = ok(a, "/v1/summaries/sum_dash_a");
        assertThat(s.get("title").asString()).isEqualTo("Checkout errors: payment gateway timeouts");
        assertThat(s.get("severity").asString()).isEqualTo("high");
        assertThat(get(b, "/v1/summaries/sum_dash_a").statusCode()).isEqualTo(404);
    }

    @Test
    void meNamesTheKeysOrgAndPermissions() throws Exception {
        JsonNode me = ok(a, "/v1/me");
        assertThat(me.get("kind").asString()).isEqualTo("api_key");
        assertThat(me.get("org_id").asString()).isEqualTo(a.orgId());
        assertThat(me.get("org_name").asString()).isEqualTo("dash-a");
        assertThat(me.get("permissions").toString()).contains("read");
    }

    JsonNode ok(LocalStack.Tenant t, String path) throws Exception {
        HttpResponse<String> r = get(t, path);
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    HttpResponse<String> get(LocalStack.Tenant t, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + t.apiKey())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(LocalStack.Tenant t, String path, String json) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + t.apiKey())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
