package dev.logai.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.common.contract.Topics;
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
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * A log line all the way: real gateway (its jar) → real Kafka → the production graph on a
 * MiniCluster with parallelism 2 → real Postgres → real query API (its jar), with the raw lines in
 * the real S3 protocol store and an unreadable record on the dead-letter topic.
 */
class LogPipelineITCase {
    static final LocalStack stack = SharedLocalStack.get(true);

    @RegisterExtension
    static final MiniClusterExtension FLINK = PipelineHarness.miniCluster();

    static PipelineHarness harness;
    static ServiceProcess queryApi;

    @BeforeAll
    static void services() throws Exception {
        harness = new PipelineHarness(stack);
        LoggerFactory.getLogger(LogPipelineITCase.class).info("Starting the query API");
        queryApi = ServiceProcess.start(
                "logai.query-api.jar", "LOGAI_API_PORT", PipelineHarness.serviceEnvironment(stack));
    }

    @AfterAll
    static void stop() throws Exception {
        queryApi.close();
        harness.close();
    }

    /** Lines of a window summed over its templates, as the sink wrote them. */
    static long patternLines(LocalStack.Tenant tenant, Instant window) {
        try (java.sql.Connection c = stack.ownerConnection();
                java.sql.PreparedStatement ps =
                        c.prepareStatement("select coalesce(sum(line_count), 0) from pattern_window"
                                + " where org_id = ? and source_id = ? and window_start = ?")) {
            ps.setString(1, tenant.orgId());
            ps.setString(2, tenant.sourceId());
            ps.setTimestamp(3, java.sql.Timestamp.from(window));
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void linesFlowFromGatewayToWindowStatsArchiveAndApi() throws Exception {
        LocalStack.Tenant tenant = stack.createTenant("e2e", "checkout");
        JobClient job = harness.startJob(harness.settings());
        try {
            // window [10:00, 10:01): 6 lines (3 info, 1 warn, 2 error); window [10:01, 10:02): 2 lines
            List<String> ndjson = List.of(
                    "{\"@timestamp\":\"2024-05-01T10:00:05Z\",\"level\":\"info\",\"message\":\"order placed\"}",
                    "{\"time\":\"2024-05-01T10:00:10.250Z\",\"severity\":\"ERROR\",\"msg\":\"payment declined\"}",
                    "{\"ts\":1714557620,\"level\":40,\"msg\":\"slow response\"}",
                    "{\"timestamp\":\"2024-05-01T10:00:59.999Z\",\"level\":\"INFO\",\"message\":\"order shipped\"}",
                    "{\"timestamp\":\"2024-05-01T10:01:00Z\",\"level\":\"error\",\"message\":\"db timeout\"}");
            List<String> text = List.of(
                    "2024-05-01T10:00:30Z ERROR payment service unavailable",
                    "2024-05-01 10:00:40,123 INFO retry succeeded",
                    "2024-05-01T10:01:30Z [DEBUG] cache warmed",
                    // moves event time on, so the two windows above complete
                    "2024-05-01T10:05:00Z INFO heartbeat");

            HttpResponse<String> first = harness.post(
                    tenant, "application/x-ndjson", String.join("\n", ndjson).getBytes(StandardCharsets.UTF_8), false);
            assertThat(first.statusCode()).isEqualTo(202);
            assertThat(first.body()).isEqualTo("{\"accepted\":5}");
            HttpResponse<String> second = harness.post(
                    tenant, "text/plain", String.join("\r\n", text).getBytes(StandardCharsets.UTF_8), true);
            assertThat(second.statusCode()).isEqualTo(202);
            assertThat(second.body()).isEqualTo("{\"accepted\":4}");

            // A record that is not a LogAi batch, written straight to the topic: must not stop the job.
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers()),
                    new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(harness.rawTopic, "garbage".getBytes(), "{not a batch".getBytes()))
                        .get();
            }

            Instant w1 = Instant.parse("2024-05-01T10:00:00Z");
            Instant w2 = Instant.parse("2024-05-01T10:01:00Z");
            PipelineHarness.await(
                    "both windows complete in Postgres",
                    Duration.ofSeconds(120),
                    () -> {
                        try {
                            Map<Instant, WindowRow> rows = harness.windows(tenant);
                            return rows.containsKey(w1)
                                    && rows.get(w1).isFinal()
                                    && rows.containsKey(w2)
                                    && rows.get(w2).isFinal();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    () -> "rows=" + uncheckedWindows(tenant) + " job="
                            + job.getJobStatus().join());
            Map<Instant, WindowRow> rows = harness.windows(tenant);
            assertThat(rows.get(w1)).isEqualTo(new WindowRow(w1, 6, 3, 1, 2, 0, 2.0 / 6, true));
            assertThat(rows.get(w2)).isEqualTo(new WindowRow(w2, 2, 0, 0, 1, 1, 0.5, true));
            // the heartbeat's window is published early (partial) even though no later line closes it
            Instant w3 = Instant.parse("2024-05-01T10:05:00Z");
            PipelineHarness.await(
                    "the open window published early",
                    Duration.ofSeconds(30),
                    () -> uncheckedWindows(tenant).containsKey(w3));
            assertThat(harness.windows(tenant).get(w3).isFinal()).isFalse();

            // the same numbers through the query API, as the tenant sees them
            HttpResponse<String> api = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(
                                            URI.create(queryApi.url() + "/v1/windows?source_id=" + tenant.sourceId()
                                                    + "&since=2024-05-01T10:00:00Z&until=2024-05-01T10:02:00Z"))
                                    .header("Authorization", "Bearer " + tenant.apiKey())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(api.statusCode()).isEqualTo(200);
            assertThat(api.body())
                    .contains(
                            "\"window_start\":\"2024-05-01T10:00:00Z\"",
                            "\"line_count\":6",
                            "\"error\":2",
                            "\"window_start\":\"2024-05-01T10:01:00Z\"",
                            "\"line_count\":2",
                            "\"is_final\":true")
                    .doesNotContain("10:05:00Z");

            // every line of a window is counted under exactly one template, and the API serves them
            PipelineHarness.await(
                    "pattern counts of both windows",
                    Duration.ofSeconds(60),
                    () -> patternLines(tenant, w1) == 6 && patternLines(tenant, w2) == 2);
            HttpResponse<String> patterns = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(
                                            URI.create(queryApi.url() + "/v1/patterns?source_id=" + tenant.sourceId()
                                                    + "&since=2024-05-01T10:00:00Z&until=2024-05-01T10:02:00Z"))
                                    .header("Authorization", "Bearer " + tenant.apiKey())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(patterns.statusCode()).isEqualTo(200);
            assertThat(patterns.body())
                    .contains(
                            "\"template\":\"payment declined\"",
                            "\"template_id\":\"" + dev.logai.flink.template.TemplateIds.of("payment declined") + "\"");

            // the raw archive holds every accepted line exactly once, under org/source/yyyy/mm/dd/
            List<String> expected = new ArrayList<>(ndjson);
            expected.addAll(text);
            PipelineHarness.await(
                    "all lines archived",
                    Duration.ofSeconds(60),
                    () -> PipelineHarness.lines(harness.archive(tenant)).size() >= expected.size(),
                    () -> "archived "
                            + PipelineHarness.lines(harness.archive(tenant)).size() + " of " + expected.size());
            Map<String, String> objects = harness.archive(tenant);
            assertThat(PipelineHarness.lines(objects)).containsExactlyInAnyOrderElementsOf(expected);
            String today = LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy/MM/dd"));
            assertThat(objects.keySet())
                    .allSatisfy(key -> assertThat(key)
                            .startsWith(harness.archivePrefix + "/" + tenant.orgId() + "/" + tenant.sourceId() + "/"
                                    + today + "/lines-"));
            // objects hold many requests' lines, not one object per request
            assertThat(objects.size()).isLessThanOrEqualTo(2 /* subtasks */ * 2);

            // the unreadable record is on the dead-letter topic with its reason
            assertThat(deadLetterReasons())
                    .anySatisfy(reason -> assertThat(reason).startsWith("unreadable batch: not a LogAi batch"));

            sourceParserHintReachesThePipeline();
            generalisedTemplatesKeepTheirLinesThroughTheApi();
        } finally {
            job.cancel().get();
        }
    }

    /**
     * A source's parser_hint goes with its lines through the gateway (a Kafka header) to the
     * parser: lines whose time sits in an {@code at=} field no detector reads are counted at that
     * time, with the level the hint names, only because of the hint.
     */
    private static void sourceParserHintReachesThePipeline() throws Exception {
        LocalStack.Tenant hinted = stack.createTenant("e2e-hint", "batch-jobs");
        try (java.sql.Connection c = stack.ownerConnection();
                java.sql.PreparedStatement ps = c.prepareStatement("update source set parser_hint = ? where id = ?")) {
            ps.setString(1, "job=%{INT:job} at=%{TIMESTAMP_ISO8601:timestamp} status=%{LOGLEVEL:level}");
            ps.setString(2, hinted.sourceId());
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        List<String> lines = List.of(
                "job=42 at=2024-05-01T10:00:05Z status=error",
                "job=43 at=2024-05-01T10:00:07Z status=info",
                "job=44 at=2024-05-01T10:05:00Z status=info");
        HttpResponse<String> posted =
                harness.post(hinted, "text/plain", String.join("\n", lines).getBytes(StandardCharsets.UTF_8), false);
        assertThat(posted.statusCode()).isEqualTo(202);
        Instant w1 = Instant.parse("2024-05-01T10:00:00Z");
        PipelineHarness.await(
                "the hinted source's window complete in Postgres",
                Duration.ofSeconds(120),
                () -> uncheckedWindows(hinted).containsKey(w1)
                        && uncheckedWindows(hinted).get(w1).isFinal(),
                () -> "rows=" + uncheckedWindows(hinted));
        WindowRow row = harness.windows(hinted).get(w1);
        assertThat(row.lines()).isEqualTo(2);
        assertThat(row.error()).isEqualTo(1);
    }

    /**
     * The first lines of a message kind get templates of their own until a position proves variable;
     * then those templates are generalised, the merge goes to Postgres ({@code pattern_merge}), and
     * the API counts every line under the one live pattern, and resolves an old id to it.
     */
    private static void generalisedTemplatesKeepTheirLinesThroughTheApi() throws Exception {
        LocalStack.Tenant sshd = stack.createTenant("e2e-merge", "sshd");
        List<String> users = List.of(
                "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "john smith");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            lines.add("2024-05-01T10:00:" + (10 + i) + "Z INFO Invalid user " + users.get(i) + " from 10.0.0." + i);
        }
        lines.add("2024-05-01T10:05:00Z INFO heartbeat");
        assertThat(harness.post(sshd, "text/plain", String.join("\n", lines).getBytes(StandardCharsets.UTF_8), false)
                        .statusCode())
                .isEqualTo(202);
        Instant w1 = Instant.parse("2024-05-01T10:00:00Z");
        String first = dev.logai.flink.template.TemplateIds.of("Invalid user alice from <*>");
        String live = dev.logai.flink.template.TemplateIds.of("Invalid user <*> from <*>");
        PipelineHarness.await(
                "the generalised template's lines and its merges in Postgres",
                Duration.ofSeconds(120),
                () -> patternLines(sshd, w1) == users.size()
                        && get(sshd, "/v1/patterns/" + first + "?source_id=" + sshd.sourceId())
                                .contains("\"merged_into\":\"" + live + "\""));
        String patterns = get(
                sshd,
                "/v1/patterns?source_id=" + sshd.sourceId() + "&since=2024-05-01T10:00:00Z&until=2024-05-01T10:01:00Z");
        assertThat(patterns)
                .contains("\"template\":\"Invalid user <*> from <*>\"", "\"count\":" + users.size())
                .contains("\"merged_from\":[")
                .doesNotContain("Invalid user alice")
                .doesNotContain("john smith");
    }

    private static String get(LocalStack.Tenant tenant, String path) {
        try {
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(queryApi.url() + path))
                                    .header("Authorization", "Bearer " + tenant.apiKey())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<Instant, WindowRow> uncheckedWindows(LocalStack.Tenant tenant) {
        try {
            return harness.windows(tenant);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> deadLetterReasons() {
        List<String> reasons = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        stack.kafka.bootstrapServers(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "dlq-reader-" + System.nanoTime()),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(harness.deadLetterTopic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (reasons.isEmpty() && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    reasons.add(new String(
                            r.headers().lastHeader(Topics.HEADER_REASON).value(), StandardCharsets.UTF_8));
                }
            }
        }
        return reasons;
    }
}
