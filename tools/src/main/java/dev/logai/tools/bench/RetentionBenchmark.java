package dev.logai.tools.bench;

import dev.logai.localstack.EmbeddedS3;
import dev.logai.localstack.LocalStack;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code ./logai bench retention [--rows N] [--objects N]}: the query API's retention job from its
 * jar against the local stack (Postgres and the S3-protocol store in-process). An org on the Free
 * plan (7 days) gets N window rows, 1,000 patterns with N pattern-window rows, N/5 anomalies and N/20 summaries written
 * ten days ago, the same again written an hour ago, and N/100 archive objects whose files are dated
 * ten days back. The API starts with its first retention run after 1 s; the run's own record
 * ({@code retention_run}) gives the rows and objects deleted and its duration. Reported: rows/s,
 * objects/s, and that every recent row and nothing old is left. Last line: {@code average
 * retention_rows_per_s=… objects_per_s=…}.
 */
public final class RetentionBenchmark {
    private RetentionBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rows = 100_000;
        int objects = -1;
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--rows")) rows = Integer.parseInt(args[i + 1]);
            else if (args[i].equals("--objects")) objects = Integer.parseInt(args[i + 1]);
            else throw new IllegalArgumentException("usage: ./logai bench retention [--rows N] [--objects N]");
        }
        if (objects < 0) objects = Math.max(10, rows / 100);
        Path dir = BenchDirectory.create("logai-bench-retention");
        try (LocalStack stack = LocalStack.start(
                dir.resolve("stack"),
                LocalStack.Ports.any(),
                "bench-app-password",
                LocalStack.randomPassword(),
                true)) {
            LocalStack.Tenant t = stack.createTenant("bench-retention", "app");
            Instant old = Instant.now().minus(Duration.ofDays(10));
            Instant recent = Instant.now().minus(Duration.ofHours(1));
            long started = System.nanoTime();
            try (Connection c = stack.ownerConnection()) {
                c.setAutoCommit(false);
                exec(c, "update org set plan = 'free' where id = ?", t.orgId());
                // Fixture rows only: no per-row triggers (pattern totals, key checks) while filling
                exec(c, "set local session_replication_role = replica");
                for (Instant written : new Instant[] {old, recent}) {
                    long base = written == old ? 0 : rows;
                    exec(
                            c,
                            "insert into window_stats (org_id, source_id, window_start, window_end, line_count,"
                                    + " info_count, error_rate, first_ts, last_ts, is_final, updated_at)"
                                    + " select ?, ?, to_timestamp(60 * (g + ?)), to_timestamp(60 * (g + ? + 1)), 10, 10,"
                                    + " 0, to_timestamp(60 * (g + ?)), to_timestamp(60 * (g + ?) + 59), true, ?::timestamptz"
                                    + " from generate_series(1, ?) g",
                            t.orgId(),
                            t.sourceId(),
                            base,
                            base,
                            base,
                            base,
                            written.toString(),
                            rows);
                    // 1,000 templates a class: the pattern row's line count is kept by a trigger per
                    // window row, so spreading the windows keeps the setup fast
                    long templateBase = written == old ? 0 : 1_000_000;
                    exec(
                            c,
                            "insert into pattern (org_id, source_id, template_id, template, first_seen, last_seen,"
                                    + " updated_at) select ?, ?, lpad(to_hex(g + ?), 16, '0'), 'x <*> ' || g, now(),"
                                    + " now(), ?::timestamptz from generate_series(0, 999) g",
                            t.orgId(),
                            t.sourceId(),
                            templateBase,
                            written.toString());
                    exec(
                            c,
                            "insert into pattern_window (org_id, source_id, template_id, window_start, window_end,"
                                    + " line_count, updated_at) select ?, ?, lpad(to_hex(g % 1000 + ?), 16, '0'),"
                                    + " to_timestamp(60 * g), to_timestamp(60 * (g + 1)), 5, ?::timestamptz"
                                    + " from generate_series(1, ?) g",
                            t.orgId(),
                            t.sourceId(),
                            templateBase,
                            written.toString(),
                            rows);
                    exec(
                            c,
                            "insert into anomaly (id, org_id, source_id, ts_window, metric, observed, baseline,"
                                    + " label, updated_at) select 'an_' || ? || '_' || g, ?, ?, to_timestamp(60 * g),"
                                    + " 'volume', 10, 1, 'spike', ?::timestamptz from generate_series(1, ?) g",
                            base,
                            t.orgId(),
                            t.sourceId(),
                            written.toString(),
                            rows / 5);
                    exec(
                            c,
                            "insert into summary (id, org_id, source_id, severity, title, bullets, llm_model,"
                                    + " updated_at) select 'sum_' || ? || '_' || g, ?, ?, 'high', 't', '{a,b,c}',"
                                    + " 'extractive', ?::timestamptz from generate_series(1, ?) g",
                            base,
                            t.orgId(),
                            t.sourceId(),
                            written.toString(),
                            rows / 20);
                }
                c.commit();
            }
            S3Client s3 = S3Client.builder()
                    .endpointOverride(URI.create(stack.s3.endpoint()))
                    .region(Region.US_EAST_1)
                    .forcePathStyle(true)
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY)))
                    .build();
            for (int i = 0; i < objects; i++) {
                String key = t.orgId() + "/" + t.sourceId() + "/2026/01/01/part-" + i + ".gz";
                s3.putObject(b -> b.bucket(LocalStack.RAW_BUCKET).key(key), RequestBody.fromString("line\n"));
            }
            // the store keeps objects as files: dating them back is writing them ten days ago
            try (Stream<Path> files = Files.walk(dir.resolve("stack"))) {
                files.filter(Files::isRegularFile)
                        .filter(p -> p.toString().contains(t.orgId()))
                        .forEach(p -> {
                            try {
                                Files.setLastModifiedTime(p, FileTime.from(old));
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        });
            }
            s3.putObject(
                    b -> b.bucket(LocalStack.RAW_BUCKET).key(t.orgId() + "/" + t.sourceId() + "/recent.gz"),
                    RequestBody.fromString("line\n"));
            System.out.printf(
                    Locale.ROOT,
                    "retention benchmark: Free plan (7 days); %d window, %d pattern-window, %d anomaly, %d summary"
                            + " rows and %d objects written 10 days ago, as many rows and 1 object recent"
                            + " (prepared in %.0f s)%n",
                    rows,
                    rows,
                    rows / 5,
                    rows / 20,
                    objects,
                    (System.nanoTime() - started) / 1e9);

            Map<String, String> env = AlertBenchmark.serviceEnv(stack);
            env.put("LOGAI_RETENTION_INITIAL_DELAY", "1s");
            env.put("LOGAI_RETENTION_INTERVAL", "1h");
            int apiPort = AlertBenchmark.freePort();
            Process api = AlertBenchmark.service("logai.query-api.jar", "LOGAI_API_PORT", apiPort, env, dir);
            try {
                long[] run = awaitRun(stack, Duration.ofMinutes(20));
                double seconds = run[2] / 1000.0;
                System.out.printf(
                        Locale.ROOT,
                        "retention run: %d orgs, %d rows and %d objects deleted in %.1f s: %.0f rows/s, %.0f"
                                + " objects/s%n",
                        run[3],
                        run[0],
                        run[1],
                        seconds,
                        run[0] / Math.max(0.001, seconds),
                        run[1] / Math.max(0.001, seconds));
                try (Connection c = stack.ownerConnection()) {
                    System.out.printf(
                            Locale.ROOT,
                            "left: %d window rows (expected %d), %d pattern-window (expected %d), %d anomalies"
                                    + " (expected %d), %d summaries (expected %d), %d objects (expected 1)%n",
                            count(c, "window_stats", t.orgId()),
                            rows,
                            count(c, "pattern_window", t.orgId()),
                            rows,
                            count(c, "anomaly", t.orgId()),
                            rows / 5,
                            count(c, "summary", t.orgId()),
                            rows / 20,
                            s3.listObjectsV2(
                                            b -> b.bucket(LocalStack.RAW_BUCKET).prefix(t.orgId() + "/"))
                                    .keyCount());
                }
                System.out.printf(
                        Locale.ROOT,
                        "average retention_rows_per_s=%.0f objects_per_s=%.0f%n",
                        run[0] / Math.max(0.001, seconds),
                        run[1] / Math.max(0.001, seconds));
            } finally {
                api.destroy();
                api.waitFor();
            }
        }
    }

    /** The first finished retention run: rows, objects, milliseconds, orgs. */
    private static long[] awaitRun(LocalStack stack, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection c = stack.ownerConnection();
                    PreparedStatement ps = c.prepareStatement("select rows_deleted, objects_deleted,"
                            + " extract(epoch from finished_at - started_at) * 1000, orgs, error from retention_run"
                            + " where finished_at is not null order by id limit 1");
                    ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    if (rs.getString(5) != null) {
                        System.out.println("retention run error: " + rs.getString(5));
                    }
                    return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
                }
            } catch (java.sql.SQLException notYet) {
                // the API has not migrated the schema yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("No retention run finished in " + timeout);
    }

    private static long count(Connection c, String table, String orgId) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from " + table + " where org_id = ?")) {
            ps.setString(1, orgId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void exec(Connection c, String sql, Object... params) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        }
    }
}
