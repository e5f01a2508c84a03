package dev.logai.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.common.contract.RecordKeys;
import dev.logai.common.tenancy.OrgProvisioning;
import dev.logai.flink.support.PipelineHarness;
import dev.logai.flink.support.PipelineHarness.WindowRow;
import dev.logai.flink.support.ServiceProcess;
import dev.logai.localstack.LocalStack;
import dev.logai.localstack.SharedLocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.executiongraph.ErrorInfo;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three sources of one org whose batches share one Kafka partition (so, before per-source clocks,
 * one reader's event time): one live, one three days old, one that jumps two hours ahead, posted
 * interleaved in many small batches through the gateway, with a failover in the middle. Every
 * window of every source holds exactly its lines, in Postgres and through the query API; the only
 * lines not counted are those late against their own source, and they are counted as late.
 */
class PerSourceEventTimeITCase {
    static final LocalStack stack = SharedLocalStack.get(true);

    @RegisterExtension
    static final MiniClusterExtension FLINK = PipelineHarness.miniCluster();

    static PipelineHarness harness;
    static ServiceProcess queryApi;
    static final int PARTITIONS = 2;

    @BeforeAll
    static void services() throws Exception {
        harness = new PipelineHarness(stack, PARTITIONS);
        queryApi = ServiceProcess.start(
                "logai.query-api.jar", "LOGAI_API_PORT", PipelineHarness.serviceEnvironment(stack));
    }

    @AfterAll
    static void stop() throws Exception {
        queryApi.close();
        harness.close();
    }

    /** The raw topic's partition of a source's batches (Kafka's default partitioner on the record key). */
    static int partitionOf(String orgId, String sourceId) {
        return Utils.toPositive(Utils.murmur2(RecordKeys.of(orgId, sourceId).getBytes(StandardCharsets.UTF_8)))
                % PARTITIONS;
    }

    /** A new source of the tenant's org whose batches land in the same partition as the tenant's. */
    static LocalStack.Tenant sourceOnSamePartition(LocalStack.Tenant tenant, String name) throws Exception {
        try (Connection c = stack.ownerConnection()) {
            c.setAutoCommit(false);
            for (int i = 0; ; i++) {
                String id = OrgProvisioning.createSource(c, tenant.orgId(), name + "-" + i, "production");
                if (partitionOf(tenant.orgId(), id) == partitionOf(tenant.orgId(), tenant.sourceId())) {
                    c.commit();
                    return new LocalStack.Tenant(tenant.orgId(), id, tenant.apiKey());
                }
                c.rollback();
            }
        }
    }

    static String line(Instant at, int n) {
        return at + " "
                + (n % 10 == 0
                        ? "ERROR payment " + n + " failed"
                        : "INFO request " + n + " handled in " + (n % 7 + 1) + " ms"); // a duration in the text
    }

    static void setWritesAllowed(boolean allowed) throws Exception {
        try (Connection c = stack.ownerConnection();
                Statement s = c.createStatement()) {
            s.execute((allowed ? "grant" : "revoke") + " insert, update on window_stats " + (allowed ? "to " : "from ")
                    + LocalStack.APP_ROLE);
        }
    }

    @Test
    void everySourceCountsOnItsOwnClockExactlyThroughAFailover(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        LocalStack.Tenant live = stack.createTenant("per-source-clocks", "live");
        LocalStack.Tenant old = sourceOnSamePartition(live, "backfill");
        LocalStack.Tenant jump = sourceOnSamePartition(live, "clock-ahead");

        // "Live" is the reference the others are measured against, 2 h 10 min behind the wall clock so
        // that the source jumping 2 h ahead of it is still in the past (lines claiming to be ahead of
        // their receive time are clamped to it, a separate guard).
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(130));
        Instant threeDaysAgo = now.minus(Duration.ofDays(3));
        Instant twoHoursAhead = now.plus(Duration.ofHours(2));
        Map<String, List<Instant>> sent = Map.of(
                live.sourceId(),
                new ArrayList<>(),
                old.sourceId(),
                new ArrayList<>(),
                jump.sourceId(),
                new ArrayList<>());

        JobClient job = harness.startJob(harness.settings());
        try {
            int rounds = 40;
            int perBatch = 6;
            for (int round = 0; round < rounds; round++) {
                if (round == rounds / 2) {
                    failOver(cluster, job.getJobID(), live);
                }
                for (LocalStack.Tenant t : List.of(live, old, jump)) {
                    Instant base = t == live ? now : t == old ? threeDaysAgo : round < rounds / 2 ? now : twoHoursAhead;
                    List<String> batch = new ArrayList<>();
                    for (int i = 0; i < perBatch; i++) {
                        int n = round * perBatch + i;
                        Instant at = base.plusMillis(n * 1_500L); // 6 minutes of lines per source
                        batch.add(line(at, n));
                        sent.get(t.sourceId()).add(at);
                    }
                    assertThat(harness.post(
                                            t,
                                            "text/plain",
                                            String.join("\n", batch).getBytes(StandardCharsets.UTF_8),
                                            false)
                                    .statusCode())
                            .isEqualTo(202);
                }
            }
            // Late only against its own clock: live's newest line is ~6 min past `now`; these are
            // 20 minutes behind it (beyond 5 s of out-of-orderness and 5 min of allowed lateness).
            Instant lateAt = now.minus(Duration.ofMinutes(14));
            List<String> late =
                    List.of(line(lateAt, 1), line(lateAt.plusSeconds(1), 2), line(lateAt.plusSeconds(2), 3));
            assertThat(harness.post(live, "text/plain", String.join("\n", late).getBytes(StandardCharsets.UTF_8), false)
                            .statusCode())
                    .isEqualTo(202);

            for (LocalStack.Tenant t : List.of(live, old, jump)) {
                Map<Instant, Long> expected = sent.get(t.sourceId()).stream()
                        .collect(Collectors.groupingBy(
                                at -> at.truncatedTo(ChronoUnit.MINUTES), TreeMap::new, Collectors.counting()));
                PipelineHarness.await(
                        "every window of " + t.sourceId() + " final with its lines",
                        Duration.ofSeconds(120),
                        () -> unchecked(() -> finalCounts(t)).equals(expected),
                        () -> "expected " + expected + " but stored " + unchecked(() -> harness.windows(t)));
                assertThat(apiCounts(t)).as("the same through the query API").isEqualTo(expected);
                assertThat(latency(t))
                        .as("each window's latency, from the durations written in its lines (1–7 ms)")
                        .isEqualTo("216 durations, 0.95 ≤ p50 ≤ p95 ≤ 7.35: true");
            }
            Instant lateWindow = lateAt.truncatedTo(ChronoUnit.MINUTES);
            PipelineHarness.await(
                    "the late lines counted as late",
                    Duration.ofSeconds(60),
                    () -> lateLines(live, lateWindow) == 3,
                    () -> "late lines stored: " + lateLines(live, lateWindow));
            String source = get("/v1/sources/" + live.sourceId(), live);
            assertThat(source).contains("\"late_lines\":3").contains("\"line_count\":" + rounds * perBatch);
        } finally {
            job.cancel().get();
        }
    }

    /** Refuses the job's window writes until it failed over (restarted from a checkpoint), then allows them. */
    private static void failOver(MiniCluster cluster, JobID job, LocalStack.Tenant tenant) throws Exception {
        PipelineHarness.await(
                "a window written",
                Duration.ofSeconds(60),
                () -> !unchecked(() -> harness.windows(tenant)).isEmpty());
        setWritesAllowed(false);
        try {
            PipelineHarness.await("the job to fail over", Duration.ofSeconds(90), () -> {
                ErrorInfo failure =
                        unchecked(() -> cluster.getExecutionGraph(job).get().getFailureInfo());
                return failure != null && failure.getExceptionAsString().contains("window rows to Postgres failed");
            });
        } finally {
            setWritesAllowed(true);
        }
    }

    static <T> T unchecked(java.util.concurrent.Callable<T> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<Instant, Long> finalCounts(LocalStack.Tenant t) throws Exception {
        return harness.windows(t).values().stream()
                .filter(r -> r.isFinal() && r.lines() > 0)
                .collect(Collectors.toMap(WindowRow::start, WindowRow::lines, (a, b) -> a, TreeMap::new));
    }

    /** The source's final windows' durations in all, and whether each window's p50 and p95 are in range. */
    static String latency(LocalStack.Tenant t) {
        try (Connection c = stack.ownerConnection();
                var ps = c.prepareStatement("select sum(latency_count), bool_and(latency_p50_ms >= 0.95"
                        + " and latency_p50_ms <= latency_p95_ms and latency_p95_ms <= 7.35)"
                        + " from window_stats where org_id = ? and source_id = ? and is_final and line_count > 0")) {
            ps.setString(1, t.orgId());
            ps.setString(2, t.sourceId());
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) + " durations, 0.95 ≤ p50 ≤ p95 ≤ 7.35: " + rs.getBoolean(2);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static long lateLines(LocalStack.Tenant t, Instant window) {
        try (Connection c = stack.ownerConnection();
                var ps = c.prepareStatement(
                        "select late_lines from window_stats where org_id = ? and source_id = ? and window_start = ?")) {
            ps.setString(1, t.orgId());
            ps.setString(2, t.sourceId());
            ps.setTimestamp(3, java.sql.Timestamp.from(window));
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String get(String path, LocalStack.Tenant t) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(queryApi.url() + path))
                                .header("Authorization", "Bearer " + t.apiKey())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    /** Final windows with lines, from {@code GET /v1/windows}: window start → line count. */
    static Map<Instant, Long> apiCounts(LocalStack.Tenant t) throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(get("/v1/windows?source_id=" + t.sourceId() + "&since=0&limit=1000", t));
        Map<Instant, Long> out = new TreeMap<>();
        for (var w : json.get("items")) {
            if (w.get("is_final").asBoolean() && w.get("line_count").asLong() > 0) {
                out.put(
                        Instant.parse(w.get("window_start").asText()),
                        w.get("line_count").asLong());
            }
        }
        return out;
    }
}
