package dev.logai.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.common.tenancy.OrgProvisioning;
import dev.logai.common.tenancy.OrgScope;
import dev.logai.localstack.EmbeddedS3;
import dev.logai.localstack.EmbeddedS3Process;
import dev.logai.localstack.JwksIssuer;
import dev.logai.localstack.LocalStack;
import dev.logai.localstack.MutableClock;
import dev.logai.localstack.SharedLocalStack;
import dev.logai.query.retention.RetentionJob;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Plans through the real query API, Postgres and an S3-protocol store: {@code GET /v1/usage} shows
 * what was metered, an owner changes the plan (others may not), retention on an injected clock
 * deletes what is older than the plan's retention and keeps what is newer, in Postgres and the
 * bucket, and {@code DELETE /v1/org} leaves nothing of the org in any table or under its prefix.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PlansITCase {
    static final LocalStack stack = SharedLocalStack.get(false);
    static final JwksIssuer issuer = JwksIssuer.startForTests();
    static final EmbeddedS3Process s3 = startS3();
    static final MutableClock NOW = new MutableClock(Instant.now());

    @Value("${local.server.port}")
    int port;

    @Autowired
    RetentionJob retention;

    final HttpClient http = HttpClient.newHttpClient();
    final S3Client bucket = S3Client.builder()
            .endpointOverride(URI.create(s3.endpoint()))
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY)))
            .build();

    static EmbeddedS3Process startS3() {
        try {
            return EmbeddedS3Process.start(LocalStack.RAW_BUCKET);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @TestConfiguration
    static class Clocks {
        @Bean
        @Primary
        Clock testClock() {
            return NOW;
        }
    }

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TestApis.onStack(registry, stack, "it-plans-rules-" + UUID.randomUUID());
        registry.add("logai.archive.endpoint", s3::endpoint);
        registry.add("logai.archive.access-key", () -> EmbeddedS3.ACCESS_KEY);
        registry.add("logai.archive.secret-key", () -> EmbeddedS3.SECRET_KEY);
        registry.add("logai.retention.enabled", () -> "false");
        registry.add("logai.retention.batch-rows", () -> "2"); // several batches per table
        issuer.serviceSettings(Duration.ofSeconds(30)).forEach((k, v) -> registry.add(k, () -> v));
    }

    @AfterAll
    static void stop() throws Exception {
        issuer.close();
        s3.close();
    }

    @BeforeEach
    void now() {
        NOW.set(Instant.now());
    }

    String token(LocalStack.Tenant t, String role) throws Exception {
        return issuer.rs256(
                issuer.claims("auth0|" + role + "-" + t.orgId(), role + "@" + t.orgId() + ".example", t.orgId(), role)
                        .build());
    }

    HttpResponse<String> call(String method, String path, String bearer, String json) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + bearer)
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                json == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static void sql(String orgId, String statement, Object... params) throws Exception {
        try (Connection c = stack.ownerConnection()) {
            c.setAutoCommit(false);
            OrgScope.enter(c, orgId);
            try (PreparedStatement ps = c.prepareStatement(statement)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                ps.executeUpdate();
            }
            c.commit();
        }
    }

    static long count(String table, String orgId) throws Exception {
        try (Connection c = stack.ownerConnection();
                PreparedStatement ps = c.prepareStatement("select count(*) from " + table + " where "
                        + ("org".equals(table) ? "id" : "org_id") + " = ?")) {
            ps.setString(1, orgId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    void put(String key) {
        bucket.putObject(b -> b.bucket(LocalStack.RAW_BUCKET).key(key), RequestBody.fromString("line\n"));
    }

    List<String> keys(String prefix) {
        List<String> out = new ArrayList<>();
        bucket.listObjectsV2Paginator(b -> b.bucket(LocalStack.RAW_BUCKET).prefix(prefix))
                .contents()
                .forEach(o -> out.add(o.key()));
        return out;
    }

    @Test
    void usageShowsTheMonthItsDaysWarningsHistoryAndThePlan() throws Exception {
        LocalStack.Tenant t = stack.createTenant("plans-usage-" + UUID.randomUUID(), "app");
        sql(t.orgId(), "update org set plan = 'free' where id = ?", t.orgId());
        NOW.set(Instant.parse("2026-03-15T12:00:00Z"));
        String usage = "insert into usage_day (org_id, day, bytes, bytes_received, lines, requests, uploads)"
                + " values (?, ?::date, ?, ?, ?, ?, 0)";
        sql(t.orgId(), usage, t.orgId(), "2026-03-02", 30_000_000L, 9_000_000L, 300_000L, 40L);
        sql(t.orgId(), usage, t.orgId(), "2026-03-14", 11_000_000L, 3_000_000L, 110_000L, 10L);
        sql(
                t.orgId(),
                "insert into usage_month (org_id, month, bytes, bytes_received, lines, requests, uploads)"
                        + " values (?, '2026-03-01', 41000000, 12000000, 410000, 50, 0),"
                        + " (?, '2026-02-01', 5000000, 1000000, 50000, 7, 1)",
                t.orgId(),
                t.orgId());
        sql(
                t.orgId(),
                "insert into usage_warning (org_id, month, threshold_percent, used_bytes, quota_bytes,"
                        + " recorded_at) values (?, '2026-03-01', 80, 41000000, 50000000, '2026-03-14T10:00:00Z')",
                t.orgId());

        HttpResponse<String> r = call("GET", "/v1/usage", t.apiKey(), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body())
                .contains("\"plan\":{\"id\":\"free\",\"name\":\"Free\",\"bytes_per_month\":50000000,\"max_sources\":1,"
                        + "\"retention_days\":7")
                .contains("\"period\":{\"start\":\"2026-03-01T00:00:00Z\",\"end\":\"2026-04-01T00:00:00Z\"}")
                .contains("\"month\":{\"bytes\":41000000,\"bytes_received\":12000000,\"lines\":410000,\"requests\":50,"
                        + "\"uploads\":0,\"quota_bytes\":50000000,\"remaining_bytes\":9000000,\"percent_used\":82.0")
                .contains("{\"day\":\"2026-03-02\",\"bytes\":30000000", "{\"day\":\"2026-03-14\",\"bytes\":11000000")
                .contains("\"sources\":{\"used\":1,\"allowed\":1}", "\"retention_days\":7")
                .contains("\"warnings\":[{\"threshold_percent\":80,\"period_start\":\"2026-03-01T00:00:00Z\"")
                .contains("\"history\":[{\"month\":\"2026-02\",\"bytes\":5000000")
                .contains("\"ai\":{\"spend_usd\":0", "\"budget_usd\":1")
                .contains("\"upgrade\":{\"next_plan\":\"starter\"");

        LocalStack.Tenant other = stack.createTenant("plans-usage-other-" + UUID.randomUUID(), "app");
        HttpResponse<String> theirs = call("GET", "/v1/usage", other.apiKey(), null);
        assertThat(theirs.body()).contains("\"month\":{\"bytes\":0").doesNotContain("41000000");
    }

    @Test
    void anOwnerChangesThePlanAndNobodyElseMay() throws Exception {
        LocalStack.Tenant t = stack.createTenant("plans-change-" + UUID.randomUUID(), "app");
        sql(t.orgId(), "update org set plan = 'free' where id = ?", t.orgId());
        String owner = token(t, "owner");
        assertThat(call("PUT", "/v1/org/plan", token(t, "admin"), "{\"plan\":\"team\"}")
                        .statusCode())
                .isEqualTo(403);
        assertThat(call("PUT", "/v1/org/plan", t.apiKey(), "{\"plan\":\"team\"}")
                        .statusCode())
                .isEqualTo(403);
        assertThat(call("PUT", "/v1/org/plan", owner, "{\"plan\":\"platinum\"}").statusCode())
                .isEqualTo(400);

        HttpResponse<String> changed = call("PUT", "/v1/org/plan", owner, "{\"plan\":\"starter\"}");
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(changed.body()).contains("\"plan\":{\"id\":\"starter\"", "\"max_sources\":3");
        assertThat(call("GET", "/v1/usage", t.apiKey(), null).body())
                .contains("\"plan\":{\"id\":\"starter\"", "\"sources\":{\"used\":1,\"allowed\":3}");
        // the new limit applies at once: a second and third source may be created
        for (String name : List.of("two", "three")) {
            assertThat(call("POST", "/v1/sources", owner, "{\"name\":\"" + name + "\"}")
                            .statusCode())
                    .isEqualTo(201);
        }
        HttpResponse<String> downgrade = call("PUT", "/v1/org/plan", owner, "{\"plan\":\"free\"}");
        assertThat(downgrade.statusCode()).isEqualTo(409);
        assertThat(downgrade.body()).contains("has 3 sources", "allows 1");
        // the way out the answer names: delete sources (their rows and objects go with them)
        java.util.regex.Matcher ids = java.util.regex.Pattern.compile("\"id\":\"(src_[a-z0-9]+)\"")
                .matcher(call("GET", "/v1/sources", owner, null).body());
        List<String> sourceIds = new ArrayList<>();
        while (ids.find()) sourceIds.add(ids.group(1));
        for (String id : sourceIds) {
            if (!id.equals(t.sourceId())) {
                HttpResponse<String> gone = call("DELETE", "/v1/sources/" + id, owner, null);
                assertThat(gone.statusCode()).as(gone.body()).isEqualTo(200);
                assertThat(call("GET", "/v1/sources/" + id, owner, null).statusCode())
                        .isEqualTo(404);
            }
        }
        assertThat(call("DELETE", "/v1/sources/" + t.sourceId(), token(t, "member"), null)
                        .statusCode())
                .isEqualTo(403);
        assertThat(call("PUT", "/v1/org/plan", owner, "{\"plan\":\"free\"}").statusCode())
                .isEqualTo(200);
    }

    @Test
    void retentionDeletesWhatIsOlderThanThePlanKeepsWhatIsNewerAndIsSafeToRunTwice() throws Exception {
        LocalStack.Tenant free = stack.createTenant("plans-retention-" + UUID.randomUUID(), "app");
        LocalStack.Tenant team = stack.createTenant("plans-retention-team-" + UUID.randomUUID(), "app");
        sql(free.orgId(), "update org set plan = 'free' where id = ?", free.orgId());
        Instant now = NOW.instant();
        Instant old = now.minus(Duration.ofDays(8)); // past free's 7 days, within team's 90
        Instant recent = now.minus(Duration.ofDays(6));
        for (LocalStack.Tenant t : List.of(free, team)) {
            try (Connection c = stack.ownerConnection()) {
                c.setAutoCommit(false);
                for (int i = 0; i < 5; i++) {
                    QueryApiITCase.insertWindow(
                            c, t, Instant.parse("2025-01-01T00:00:00Z").plusSeconds(60L * i), 10, 1);
                }
                QueryApiITCase.insertPattern(c, t, "0123456789abcdef", "old <*>");
                QueryApiITCase.insertPattern(c, t, "fedcba9876543210", "new <*>");
                for (int i = 0; i < 3; i++) {
                    QueryApiITCase.insertPatternWindow(
                            c,
                            t,
                            "0123456789abcdef",
                            Instant.parse("2025-01-01T00:00:00Z").plusSeconds(60L * i),
                            5,
                            false);
                }
                QueryApiITCase.insertPatternWindow(
                        c, t, "fedcba9876543210", Instant.parse("2025-01-02T00:00:00Z"), 5, true);
                QueryApiITCase.insertSummary(c, t, "sum_old_" + t.orgId(), old, old.plusSeconds(60), "old");
                QueryApiITCase.insertSummary(c, t, "sum_new_" + t.orgId(), recent, recent.plusSeconds(60), "new");
                c.commit();
            }
            // ages: the windows 3 old and 2 recent; the old pattern and its windows old
            sql(
                    t.orgId(),
                    "update window_stats set updated_at = case when window_start < '2025-01-01T00:03:00Z'"
                            + " then ?::timestamptz else ?::timestamptz end where org_id = ?",
                    old.toString(),
                    recent.toString(),
                    t.orgId());
            sql(
                    t.orgId(),
                    "update pattern set updated_at = case when template_id = '0123456789abcdef' then ?::timestamptz"
                            + " else ?::timestamptz end where org_id = ?",
                    old.toString(),
                    recent.toString(),
                    t.orgId());
            sql(
                    t.orgId(),
                    "update pattern_window set updated_at = case when template_id = '0123456789abcdef'"
                            + " then ?::timestamptz else ?::timestamptz end where org_id = ?",
                    old.toString(),
                    recent.toString(),
                    t.orgId());
            sql(t.orgId(), "update summary set updated_at = window_start where org_id = ?", t.orgId());
            put(t.orgId() + "/" + t.sourceId() + "/2025/01/01/part-0.gz");
        }

        RetentionJob.Run run = retention.runOnce();
        assertThat(run.ran()).isTrue();
        assertThat(count("window_stats", free.orgId())).isEqualTo(2);
        assertThat(count("pattern", free.orgId())).isEqualTo(1);
        assertThat(count("pattern_window", free.orgId())).isEqualTo(1);
        assertThat(count("summary", free.orgId())).isEqualTo(1);
        assertThat(count("window_stats", team.orgId())).isEqualTo(5);
        assertThat(count("pattern_window", team.orgId())).isEqualTo(4);
        assertThat(count("summary", team.orgId())).isEqualTo(2);
        assertThat(run.rowsByTable().get("window_stats")).isGreaterThanOrEqualTo(3);

        RetentionJob.Run again = retention.runOnce(); // nothing left to delete for these orgs
        assertThat(count("window_stats", free.orgId())).isEqualTo(2);
        assertThat(count("summary", free.orgId())).isEqualTo(1);

        // six days later (injected clock): the objects, written now, are within free's 7 days
        NOW.set(now.plus(Duration.ofDays(6)));
        retention.runOnce();
        assertThat(keys(free.orgId() + "/")).hasSize(1);

        // eight days after the objects were written: free's are gone, team's stay
        NOW.set(now.plus(Duration.ofDays(8)));
        RetentionJob.Run later = retention.runOnce();
        assertThat(keys(free.orgId() + "/")).isEmpty();
        assertThat(keys(team.orgId() + "/")).hasSize(1);
        assertThat(later.objectsDeleted()).isGreaterThanOrEqualTo(1);
        System.out.printf(
                "retention: %d rows (%.0f/s), then %d objects (%.0f/s); a second run deleted %d rows%n",
                run.rowsDeleted(),
                run.rowsPerSecond(),
                later.objectsDeleted(),
                later.objectsPerSecond(),
                again.rowsDeleted());
    }

    @Test
    void deletingTheOrgLeavesNothingOfItInAnyTableOrUnderItsPrefix() throws Exception {
        LocalStack.Tenant t = stack.createTenant("plans-delete-" + UUID.randomUUID(), "app");
        LocalStack.Tenant keep = stack.createTenant("plans-keep-" + UUID.randomUUID(), "app");
        String owner = token(t, "owner");
        assertThat(call("GET", "/v1/org", owner, null).statusCode()).isEqualTo(200); // the owner's membership
        for (LocalStack.Tenant x : List.of(t, keep)) {
            try (Connection c = stack.ownerConnection()) {
                c.setAutoCommit(false);
                QueryApiITCase.insertWindow(c, x, Instant.parse("2025-01-01T00:00:00Z"), 10, 1);
                QueryApiITCase.insertPattern(c, x, "1111111111111111", "a <*>");
                QueryApiITCase.insertPatternWindow(
                        c, x, "1111111111111111", Instant.parse("2025-01-01T00:00:00Z"), 5, true);
                QueryApiITCase.insertMerge(c, x, "2222222222222222", "1111111111111111");
                QueryApiITCase.insertSummary(c, x, "sum_" + x.orgId(), Instant.now(), Instant.now(), "s");
                OrgProvisioning.createApiKey(c, x.orgId(), "second");
                c.commit();
            }
            sql(
                    x.orgId(),
                    "insert into anomaly (id, org_id, source_id, ts_window, metric, observed, baseline, label)"
                            + " values (?, ?, ?, now(), 'volume', 10, 1, 'spike')",
                    "an_" + x.orgId(),
                    x.orgId(),
                    x.sourceId());
            sql(
                    x.orgId(),
                    "insert into upload (id, org_id, source_id, object_key, size) values (?, ?, ?, ?, 5)",
                    "upl_" + x.orgId().substring(4),
                    x.orgId(),
                    x.sourceId(),
                    x.orgId() + "/" + x.sourceId() + "/u");
            sql(x.orgId(), "insert into usage_day (org_id, day, bytes) values (?, current_date, 5)", x.orgId());
            sql(
                    x.orgId(),
                    "insert into usage_month (org_id, month, bytes) values (?, date_trunc('month',"
                            + " current_date)::date, 5)",
                    x.orgId());
            put(x.orgId() + "/" + x.sourceId() + "/2025/01/01/part-0.gz");
            put(x.orgId() + "/" + x.sourceId() + "/2025/01/01/upload-upl_1.gz");
        }
        assertThat(call("DELETE", "/v1/org", token(t, "admin"), "{\"confirm\":\"x\"}")
                        .statusCode())
                .isEqualTo(403);
        HttpResponse<String> wrongName = call("DELETE", "/v1/org", owner, "{\"confirm\":\"not-the-name\"}");
        assertThat(wrongName.statusCode()).isEqualTo(409);
        assertThat(count("org", t.orgId())).isEqualTo(1);
        String name = call("GET", "/v1/org", owner, null)
                .body()
                .replaceFirst("^\\{\"id\":\"[^\"]+\",\"name\":\"([^\"]+)\".*", "$1");

        HttpResponse<String> deleted = call("DELETE", "/v1/org", owner, "{\"confirm\":\"" + name + "\"}");
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(deleted.body()).contains("\"deleted\":true", "\"objects_deleted\":2", "\"window_stats\":1");

        // every table with an org_id column, scanned as the owner role (no row-level security)
        List<String> tables = new ArrayList<>();
        try (Connection c = stack.ownerConnection();
                PreparedStatement ps = c.prepareStatement(
                        "select table_name from information_schema.columns"
                                + " where table_schema = 'public' and column_name = 'org_id' and table_name <> 'org_tombstone'");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) tables.add(rs.getString(1));
        }
        assertThat(tables).contains("window_stats", "api_key", "app_user", "usage_month", "pattern_merge");
        for (String table : tables) {
            assertThat(count(table, t.orgId())).as(table).isZero();
        }
        assertThat(count("org", t.orgId())).isZero();
        assertThat(keys(t.orgId() + "/")).isEmpty();
        // the other org is untouched
        assertThat(count("window_stats", keep.orgId())).isEqualTo(1);
        assertThat(count("api_key", keep.orgId())).isEqualTo(2);
        assertThat(keys(keep.orgId() + "/")).hasSize(2);
        // the org's credentials died with it, at once on this service
        assertThat(call("GET", "/v1/sources", t.apiKey(), null).statusCode()).isEqualTo(401);
        assertThat(call("GET", "/v1/sources", keep.apiKey(), null).statusCode()).isEqualTo(200);

        // an archive part written late (lines already in Kafka) is swept by the next retention run
        put(t.orgId() + "/" + t.sourceId() + "/2025/01/01/part-1.gz");
        retention.runOnce();
        assertThat(keys(t.orgId() + "/")).isEmpty();
    }
}
