package dev.logai.flink.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.PipelineOptions;
import dev.logai.localstack.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;

/**
 * The job's own Prometheus endpoint: with {@code LOGAI_METRICS_PORT} the runtime of {@code ./logai
 * up} loads Flink's Prometheus reporter (from the Flink runtime's classpath, not the job jar) and a
 * running job's operator counters and checkpoint metrics show there, moving.
 */
class JobMetricsITCase {

    /** Counts its records in an operator counter, as the pipeline's operators do. */
    static final class CountingMap extends RichMapFunction<Long, Long> {
        private transient Counter seen;

        @Override
        public void open(OpenContext context) {
            seen = getRuntimeContext().getMetricGroup().counter("linesSeen");
        }

        @Override
        public Long map(Long value) {
            seen.inc();
            return value;
        }
    }

    @Test
    void aRunningJobsCountersAndCheckpointsAreScrapedFromTheReporter() throws Exception {
        int port = FreePorts.pick();
        Configuration settings = new Configuration();
        settings.set(PipelineOptions.METRICS_PORT, port);
        settings.set(PipelineOptions.CHECKPOINT_DIR, "file://" + java.nio.file.Files.createTempDirectory("ckpt"));
        settings.set(PipelineOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
        StreamExecutionEnvironment env = FlinkRuntime.pipelineEnvironment(settings);
        env.setParallelism(1);
        env.fromSequence(0, Long.MAX_VALUE).map(new CountingMap()).name("count").sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync("metrics-test");
        try {
            HttpClient http = HttpClient.newHttpClient();
            String first = awaitScrape(http, port, "flink_jobmanager_job_numberOfCompletedCheckpoints");
            double before = value(first, "flink_taskmanager_job_task_operator_linesSeen");
            Thread.sleep(1500);
            String second = awaitScrape(http, port, "flink_taskmanager_job_task_operator_linesSeen");
            assertThat(value(second, "flink_taskmanager_job_task_operator_linesSeen"))
                    .isGreaterThan(before);
            assertThat(value(second, "flink_jobmanager_job_numberOfCompletedCheckpoints"))
                    .isPositive();
            assertThat(second).contains("flink_jobmanager_job_lastCheckpointDuration");
            assertListensOnLoopbackOnly(port);
        } finally {
            job.cancel().get();
        }
    }

    /**
     * The real pipeline with the reporter: lines sent through the gateway show in the stage metrics
     * (per format, per flag, windows emitted) on the job's Prometheus endpoint.
     */
    @Test
    void thePipelinesStageMetricsMoveWhileLinesFlow() throws Exception {
        dev.logai.localstack.LocalStack stack = dev.logai.localstack.SharedLocalStack.get(true);
        try (dev.logai.flink.support.PipelineHarness harness = new dev.logai.flink.support.PipelineHarness(stack)) {
            int port = FreePorts.pick();
            Configuration settings = harness.settings();
            settings.set(PipelineOptions.METRICS_PORT, port);
            JobClient job = dev.logai.flink.LogPipelineJob.prepare(settings).executeAsync("metrics-pipeline");
            try {
                dev.logai.localstack.LocalStack.Tenant tenant =
                        stack.createTenant("metrics-" + java.util.UUID.randomUUID(), "app");
                byte[] lines = String.join(
                                "\n",
                                "2024-05-01T10:00:05Z INFO order 17 placed",
                                "2024-05-01T10:00:10Z ERROR payment 17 declined",
                                "2024-05-01T10:05:00Z INFO heartbeat")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                assertThat(harness.post(tenant, "text/plain", lines, false).statusCode())
                        .isEqualTo(202);
                HttpClient http = HttpClient.newHttpClient();
                String scrape = awaitScrape(http, port, "flink_taskmanager_job_task_operator_windowsEmitted");
                // a key/value group is a label, and its key part of the name (Flink's reporter)
                String parsed = "flink_taskmanager_job_task_operator_format_linesParsed";
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (value(scrape, parsed) < 3 && System.nanoTime() < deadline) {
                    Thread.sleep(500); // the reporter shows a counter as of its last read
                    scrape = awaitScrape(http, port, parsed);
                }
                assertThat(value(scrape, parsed)).as(scrape).isEqualTo(3);
                assertThat(scrape).containsPattern(parsed + "\\{[^}]*format=\"text\"");
                assertThat(scrape).contains("flink_taskmanager_job_task_operator_flag_parseFlags{");
                assertThat(value(scrape, "flink_taskmanager_job_task_operator_templatesCreated"))
                        .isPositive();
                assertThat(scrape).contains("flink_taskmanager_job_task_operator_windowLagMs{");
            } finally {
                job.cancel().get();
            }
        }
    }

    /**
     * The endpoint's listening socket is bound to 127.0.0.1 only (Flink's own reporter binds the
     * wildcard address): read from the kernel's socket tables (/proc/net/tcp and tcp6, Linux), where
     * a listener is state 0A and its local address is hex, 0100007F:PORT for 127.0.0.1.
     */
    private static void assertListensOnLoopbackOnly(int port) throws Exception {
        String portHex = String.format(":%04X", port);
        java.util.List<String> listeners = new java.util.ArrayList<>();
        for (String table : java.util.List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            java.nio.file.Path path = java.nio.file.Path.of(table);
            if (!java.nio.file.Files.exists(path)) continue;
            for (String line : java.nio.file.Files.readAllLines(path)) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[1].endsWith(portHex) && f[3].equals("0A")) listeners.add(f[1]);
            }
        }
        // 127.0.0.1 in tcp, or ::ffff:127.0.0.1 (IPv4-mapped) in tcp6; the wildcard would be zeros
        assertThat(listeners)
                .as("listeners on :" + port)
                .isNotEmpty()
                .allSatisfy(
                        a -> assertThat(a).isIn("0100007F" + portHex, "0000000000000000FFFF00000100007F" + portHex));
    }

    /** Scrapes until {@code metric} appears (the reporter starts with the cluster, the task's metrics with the task). */
    private static String awaitScrape(HttpClient http, int port, String metric) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            try {
                body = http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                if (body.lines().anyMatch(l -> l.startsWith(metric + "{") && !l.endsWith(" 0.0"))) {
                    return body;
                }
            } catch (java.io.IOException notYet) {
                // the reporter is not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no " + metric + " above 0 within 60 s; last scrape:\n" + body);
    }

    /** The sum of the samples of {@code metric} (one per subtask). */
    private static double value(String scrape, String metric) {
        return scrape.lines()
                .filter(l -> l.startsWith(metric + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
