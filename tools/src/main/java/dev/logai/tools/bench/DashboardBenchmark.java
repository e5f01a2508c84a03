package dev.logai.tools.bench;

import dev.logai.common.tenancy.OrgScope;
import dev.logai.localstack.LocalStack;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./logai bench dashboard}: the query API reads behind each dashboard view, for a 24-hour
 * range on a source with 30 days of one-minute windows (43,200 windows, 20 active patterns a
 * minute: 864,000 pattern windows, an anomaly an hour, a summary every six hours, alerts), in an
 * org with four more such sources' windows. The API runs from its jar against the local stack's
 * Postgres; each read is sent 30 times to warm up, then 300 times one after another; prints P50,
 * P95 and P99 in milliseconds and whether P95 meets the goal (50 ms).
 */
public final class DashboardBenchmark {
    static final double GOAL_P95_MS = 50;
    static final int DAYS = 30;
    static final int WARM_UP = 30;
    static final int MEASURED = 300;

    private DashboardBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path dir = BenchDirectory.create("logai-bench-dashboard");
        LocalStack stack = LocalStack.start(
                dir.resolve("stack"), LocalStack.Ports.any(), "bench-app-password", LocalStack.randomPassword(), false);
        Process api = null;
        try {
            LocalStack.Tenant tenant = stack.createTenant("bench", "checkout");
            Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
            long seeded = System.nanoTime();
            List<String> others = seed(stack, tenant, now);
            System.out.printf(
                    Locale.ROOT,
                    "dashboard benchmark: 1 source with %d days of 1-minute windows (%d windows, %d pattern windows),"
                            + " %d more sources with windows; seeded in %.1f s%n",
                    DAYS,
                    DAYS * 1440,
                    DAYS * 1440 * 20,
                    others.size(),
                    (System.nanoTime() - seeded) / 1e9);

            Map<String, String> env = new HashMap<>();
            env.put("LOGAI_KAFKA_BOOTSTRAP", stack.kafka.bootstrapServers());
            env.put("LOGAI_DB_URL", stack.postgres.jdbcUrl());
            env.put("LOGAI_DB_USER", LocalStack.APP_ROLE);
            env.put("LOGAI_DB_PASSWORD", stack.appPassword);
            env.put("LOGAI_BIND_ADDRESS", "127.0.0.1");
            int port = AlertBenchmark.freePort();
            api = AlertBenchmark.service("logai.query-api.jar", "LOGAI_API_PORT", port, env, dir);
            String base = "http://127.0.0.1:" + port;
            AlertBenchmark.awaitHealthy(base);

            String src = tenant.sourceId();
            Instant since = now.minus(Duration.ofHours(24));
            String range = "since=" + since + "&until=" + now.plusSeconds(60);
            String summaryId = "sum_bench_" + (DAYS * 4 - 2);
            Map<String, Request> reads = new LinkedHashMap<>();
            reads.put("overview: sources + sparklines", get("/v1/overview?" + range + "&buckets=48"));
            reads.put("source: detail", get("/v1/sources/" + src));
            reads.put(
                    "source: histogram by level",
                    get("/v1/windows/histogram?source_id=" + src + "&" + range + "&buckets=120"));
            reads.put(
                    "source: pattern trends (24h)",
                    get("/v1/patterns/trends?source_id=" + src + "&" + range + "&limit=500&buckets=40"));
            reads.put(
                    "incidents: list (7d)", get("/v1/summaries?since=" + now.minus(Duration.ofDays(7)) + "&limit=200"));
            reads.put("incident: summary", get("/v1/summaries/" + summaryId));
            reads.put(
                    "incident: windows (2.5 h)",
                    get("/v1/windows?source_id=" + src + "&since=" + now.minus(Duration.ofMinutes(150)) + "&until="
                            + now.plusSeconds(60) + "&limit=1000"));
            reads.put(
                    "anomalies: histogram (360 buckets)",
                    get("/v1/windows/histogram?source_id=" + src + "&" + range + "&buckets=360"));
            reads.put("anomalies: list", get("/v1/anomalies?source_id=" + src + "&" + range + "&limit=500"));
            reads.put("alerts: raised", get("/v1/alerts?limit=100"));
            reads.put(
                    "alerts: rule preview (7d)",
                    post(
                            "/v1/alert-rules/preview",
                            "{\"source_id\":\"" + src + "\",\"condition\":{\"metric\":\"error_rate\",\"op\":\">\","
                                    + "\"threshold\":0.2,\"window\":\"5m\"}}"));
            reads.put("uploads: list", get("/v1/uploads?limit=100"));
            reads.put(
                    "search: 'gateway timeout'",
                    get("/v1/search?q=" + URLEncoder.encode("gateway timeout", StandardCharsets.UTF_8)));
            reads.put("shell: /v1/me", get("/v1/me"));

            HttpClient http = HttpClient.newHttpClient();
            System.out.printf(
                    Locale.ROOT,
                    "%-32s %8s %8s %8s %9s  %s%n",
                    "read",
                    "p50 ms",
                    "p95 ms",
                    "p99 ms",
                    "bytes",
                    "goal p95<=50ms");
            int missed = 0;
            for (Map.Entry<String, Request> read : reads.entrySet()) {
                HttpRequest request = read.getValue().build(base, tenant.apiKey());
                int bytes = 0;
                for (int i = 0; i < WARM_UP; i++) {
                    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException(
                                read.getKey() + " answered " + r.statusCode() + ": " + r.body());
                    }
                    bytes = r.body().length();
                }
                double[] ms = new double[MEASURED];
                for (int i = 0; i < MEASURED; i++) {
                    long t = System.nanoTime();
                    http.send(request, HttpResponse.BodyHandlers.ofString());
                    ms[i] = (System.nanoTime() - t) / 1e6;
                }
                Arrays.sort(ms);
                double p95 = ms[(int) Math.ceil(MEASURED * 0.95) - 1];
                boolean ok = p95 <= GOAL_P95_MS;
                missed += ok ? 0 : 1;
                System.out.printf(
                        Locale.ROOT,
                        "%-32s %8.1f %8.1f %8.1f %9d  %s%n",
                        read.getKey(),
                        ms[MEASURED / 2],
                        p95,
                        ms[(int) Math.ceil(MEASURED * 0.99) - 1],
                        bytes,
                        ok ? "ok" : "MISSED");
            }
            System.out.println(missed == 0 ? "all reads meet the goal" : missed + " reads miss the goal");
        } finally {
            if (api != null) {
                api.destroy();
                api.waitFor();
            }
            stack.close();
        }
    }

    /** 30 days of windows, patterns, anomalies, summaries and alerts, generated in Postgres itself. */
    static List<String> seed(LocalStack stack, LocalStack.Tenant t, Instant now) throws Exception {
        Instant from = now.minus(Duration.ofDays(DAYS));
        List<String> others = new ArrayList<>();
        try (Connection c = stack.ownerConnection()) {
            c.setAutoCommit(false);
            OrgScope.enter(c, t.orgId());
            try (Statement s = c.createStatement()) {
                for (int i = 1; i <= 4; i++) {
                    String id = "src_benchother" + i;
                    s.executeUpdate("insert into source (id, org_id, name) values ('" + id + "', '" + t.orgId()
                            + "', 'other-" + i + "')");
                    others.add(id);
                }
            }
            List<String> all = new ArrayList<>(others);
            all.add(t.sourceId());
            for (String source : all) {
                try (PreparedStatement ps =
                        c.prepareStatement("insert into window_stats (org_id, source_id, window_start,"
                                + " window_end, line_count, info_count, warn_count, error_count, error_rate, first_ts, last_ts, is_final)"
                                + " select ?, ?, w, w + interval '1 minute', 1000 + (extract(epoch from w)::bigint % 300),"
                                + " 900, 60, 40 + (extract(epoch from w)::bigint % 7), 0.04, w + interval '1 second',"
                                + " w + interval '59 seconds', true"
                                + " from generate_series(?::timestamptz, ?::timestamptz, interval '1 minute') as w")) {
                    ps.setString(1, t.orgId());
                    ps.setString(2, source);
                    ps.setTimestamp(3, Timestamp.from(from));
                    ps.setTimestamp(4, Timestamp.from(now));
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps =
                    c.prepareStatement("insert into pattern (org_id, source_id, template_id, template,"
                            + " first_seen, last_seen) select ?, ?, lpad(to_hex(n), 16, '0'),"
                            + " 'checkout step ' || n || ' gateway timeout after <*> ms order=<*>', ?, ?"
                            + " from generate_series(1, 20) as n")) {
                ps.setString(1, t.orgId());
                ps.setString(2, t.sourceId());
                ps.setTimestamp(3, Timestamp.from(from));
                ps.setTimestamp(4, Timestamp.from(now));
                ps.executeUpdate();
            }
            // The per-row trigger that keeps pattern.line_count would update 20 rows 864,000 times:
            // seed with it off (the owner may) and set the totals once.
            try (Statement s = c.createStatement()) {
                s.execute("alter table pattern_window disable trigger pattern_window_count");
            }
            try (PreparedStatement ps = c.prepareStatement("insert into pattern_window (org_id, source_id, template_id,"
                    + " window_start, window_end, line_count, error_count, is_final)"
                    + " select ?, ?, lpad(to_hex(n), 16, '0'), w, w + interval '1 minute', 50, n % 3, true"
                    + " from generate_series(?::timestamptz, ?::timestamptz, interval '1 minute') as w,"
                    + " generate_series(1, 20) as n")) {
                ps.setString(1, t.orgId());
                ps.setString(2, t.sourceId());
                ps.setTimestamp(3, Timestamp.from(from));
                ps.setTimestamp(4, Timestamp.from(now));
                ps.executeUpdate();
            }
            try (Statement s = c.createStatement()) {
                s.execute("alter table pattern_window enable trigger pattern_window_count");
                s.executeUpdate(
                        "update pattern p set line_count = (select sum(w.line_count) from pattern_window w"
                                + " where w.org_id = p.org_id and w.source_id = p.source_id and w.template_id = p.template_id)");
            }
            try (PreparedStatement ps = c.prepareStatement("insert into anomaly (id, org_id, source_id, ts_window,"
                    + " window_end, metric, observed, baseline, zscore, score, label, explanation)"
                    + " select 'an_bench_' || h, ?, ?, ?::timestamptz + make_interval(hours => h), ?::timestamptz + make_interval(hours => h, mins => 1),"
                    + " 'error_rate', 0.3, 0.04, 6.5, 0.9, 'spike', '{\"reason\":\"errors up: gateway timeout\"}'::jsonb"
                    + " from generate_series(0, ?) as h")) {
                ps.setString(1, t.orgId());
                ps.setString(2, t.sourceId());
                ps.setTimestamp(3, Timestamp.from(from));
                ps.setTimestamp(4, Timestamp.from(from));
                ps.setInt(5, DAYS * 24 - 1);
                ps.executeUpdate();
            }
            try (PreparedStatement ps =
                    c.prepareStatement("insert into summary (id, org_id, source_id, severity, title,"
                            + " bullets, evidence, next_steps, window_start, window_end, llm_model)"
                            + " select 'sum_bench_' || h, ?, ?, 'high', 'Checkout gateway timeouts #' || h,"
                            + " array['errors up', 'gateway timeouts'], array['ERROR gateway timeout'], array['check the gateway'],"
                            + " ?::timestamptz + make_interval(hours => 6 * h), ?::timestamptz + make_interval(hours => 6 * h, mins => 5), 'extractive'"
                            + " from generate_series(0, ?) as h")) {
                ps.setString(1, t.orgId());
                ps.setString(2, t.sourceId());
                ps.setTimestamp(3, Timestamp.from(from));
                ps.setTimestamp(4, Timestamp.from(from));
                ps.setInt(5, DAYS * 4 - 1);
                ps.executeUpdate();
            }
            c.commit();
        }
        try (Connection c = stack.ownerConnection();
                Statement s = c.createStatement()) {
            s.execute("analyze");
        }
        return others;
    }

    interface Request {
        HttpRequest build(String base, String key);
    }

    static Request get(String path) {
        return (base, key) -> HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + key)
                .build();
    }

    static Request post(String path, String json) {
        return (base, key) -> HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }
}
