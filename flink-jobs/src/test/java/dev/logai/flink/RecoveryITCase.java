package dev.logai.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.support.PipelineHarness;
import dev.logai.flink.support.PipelineHarness.WindowRow;
import dev.logai.localstack.LocalStack;
import dev.logai.localstack.SharedLocalStack;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.ErrorInfo;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job fails mid-stream (Postgres refuses its writes), Flink restarts it from the last
 * checkpoint, and once Postgres accepts writes again every window holds exact totals and the
 * archive holds every line exactly once: nothing lost, nothing doubled.
 */
class RecoveryITCase {
    static final LocalStack stack = SharedLocalStack.get(true);

    @RegisterExtension
    static final MiniClusterExtension FLINK = PipelineHarness.miniCluster();

    static PipelineHarness harness;
    static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RecoveryITCase.class);

    @BeforeAll
    static void services() throws Exception {
        harness = new PipelineHarness(stack);
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    private static List<String> lines(String minute, int count, String level) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add(String.format("2024-06-01T10:%s:%02d.%03dZ %s request %d handled", minute, i % 60, i, level, i));
        }
        return lines;
    }

    private static void setWritesAllowed(boolean allowed) throws Exception {
        try (Connection c = stack.ownerConnection();
                Statement s = c.createStatement()) {
            s.execute((allowed ? "grant" : "revoke") + " insert, update on window_stats " + (allowed ? "to " : "from ")
                    + LocalStack.APP_ROLE);
        }
    }

    @Test
    void restartsFromCheckpointWithExactTotals(@InjectMiniCluster MiniCluster miniCluster) throws Exception {
        LocalStack.Tenant tenant = stack.createTenant("recovery", "worker");
        Instant w1 = Instant.parse("2024-06-01T10:00:00Z");
        Instant w2 = Instant.parse("2024-06-01T10:01:00Z");
        List<String> before = lines("00", 150, "INFO");
        List<String> during = new ArrayList<>(lines("00", 50, "ERROR").stream()
                .map(l -> l.replace("request", "failed"))
                .toList());
        during.addAll(lines("01", 120, "WARN"));
        during.add("2024-06-01T10:05:00Z INFO heartbeat");

        JobClient job = harness.startJob(harness.settings());
        try {
            assertThat(harness.post(
                                    tenant,
                                    "text/plain",
                                    String.join("\n", before).getBytes(StandardCharsets.UTF_8),
                                    true)
                            .statusCode())
                    .isEqualTo(202);
            PipelineHarness.await("first half counted", Duration.ofSeconds(60), () -> lineCount(tenant, w1) == 150);

            LOG.info("First half counted; refusing the job's writes");
            setWritesAllowed(false);
            try {
                assertThat(harness.post(
                                        tenant,
                                        "text/plain",
                                        String.join("\n", during).getBytes(StandardCharsets.UTF_8),
                                        false)
                                .statusCode())
                        .isEqualTo(202);
                // the sink fails, the job restarts from its checkpoint, again and again, while writes are refused
                PipelineHarness.await(
                        "the job to fail over",
                        Duration.ofSeconds(60),
                        () -> hasFailedOver(miniCluster, job.getJobID()));
                assertThat(lineCount(tenant, w1)).isEqualTo(150);
                LOG.info("The job failed over; accepting writes again");
            } finally {
                setWritesAllowed(true);
            }

            PipelineHarness.await(
                    "exact totals after recovery",
                    Duration.ofSeconds(120),
                    () -> {
                        Map<Instant, WindowRow> rows = windows(tenant);
                        return rows.containsKey(w2)
                                && rows.get(w2).isFinal()
                                && rows.get(w1).isFinal();
                    },
                    () -> "rows=" + windows(tenant) + " job="
                            + job.getJobStatus().join() + " watermarks=" + watermarks(miniCluster, job.getJobID()));
            LOG.info("Windows final after recovery");
            Map<Instant, WindowRow> rows = windows(tenant);
            assertThat(rows.get(w1)).isEqualTo(new WindowRow(w1, 200, 150, 0, 50, 0, 0.25, true));
            assertThat(rows.get(w2)).isEqualTo(new WindowRow(w2, 120, 0, 120, 0, 0, 0.0, true));

            List<String> all = new ArrayList<>(before);
            all.addAll(during);
            PipelineHarness.await(
                    "archive complete",
                    Duration.ofSeconds(60),
                    () -> PipelineHarness.lines(harness.archive(tenant)).size() >= all.size(),
                    () -> "archived "
                            + PipelineHarness.lines(harness.archive(tenant)).size() + " of " + all.size());
            LOG.info("Archive complete");
            Thread.sleep(3000); // a duplicate would show up in the next commit
            assertThat(PipelineHarness.lines(harness.archive(tenant))).containsExactlyInAnyOrderElementsOf(all);
        } finally {
            job.cancel().get();
        }
    }

    private static boolean hasFailedOver(MiniCluster miniCluster, JobID jobId) {
        try {
            AccessExecutionGraph graph = miniCluster.getExecutionGraph(jobId).get();
            ErrorInfo failure = graph.getFailureInfo();
            return failure != null && failure.getExceptionAsString().contains("window rows to Postgres failed");
        } catch (Exception e) {
            return false;
        }
    }

    /** Each operator's current input watermark, from the REST API: tells why a window is still open. */
    private static String watermarks(MiniCluster miniCluster, JobID jobId) {
        try {
            String rest = miniCluster.getRestAddress().get().toString();
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            String job = http.send(
                            java.net.http.HttpRequest.newBuilder(java.net.URI.create(rest + "/jobs/" + jobId))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString())
                    .body();
            StringBuilder out = new StringBuilder();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                            "\"id\":\"([0-9a-f]{32})\",\"slotSharingGroupId\"[^}]*?\"name\":\"([^\"]+)\"")
                    .matcher(job);
            while (m.find()) {
                out.append(m.group(2))
                        .append(": ")
                        .append(http.send(
                                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(rest + "/jobs/" + jobId
                                                        + "/vertices/" + m.group(1) + "/watermarks"))
                                                .build(),
                                        java.net.http.HttpResponse.BodyHandlers.ofString())
                                .body())
                        .append("; ");
            }
            return out.length() == 0 ? job : out.toString();
        } catch (Exception e) {
            return "unavailable: " + e;
        }
    }

    private static Map<Instant, WindowRow> windows(LocalStack.Tenant tenant) {
        try {
            return harness.windows(tenant);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long lineCount(LocalStack.Tenant tenant, Instant window) {
        WindowRow row = windows(tenant).get(window);
        return row == null ? -1 : row.lines();
    }
}
