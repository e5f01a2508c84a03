package dev.logai.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.common.contract.LogBatch;
import dev.logai.common.contract.LogBatchCodec;
import dev.logai.common.contract.RawLine;
import dev.logai.localstack.LocalStack;
import dev.logai.localstack.SharedLocalStack;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The real gateway against a real Kafka broker and Postgres. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StreamIngestITCase {
    static final String TOPIC = "gateway-test-" + UUID.randomUUID();
    static final int MAX_BODY = 1024 * 1024;
    static final int MAX_LINE = 1024;
    static final LocalStack stack = SharedLocalStack.get(false);
    static LocalStack.Tenant tenant;
    static LocalStack.Tenant otherTenant;

    @Value("${local.server.port}")
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TestGateways.onStack(registry, stack, TOPIC, 2, MAX_BODY, MAX_LINE);
    }

    @BeforeAll
    static void tenants() throws Exception {
        tenant = stack.createTenant("gateway-test", "api");
        otherTenant = stack.createTenant("gateway-other", "api");
    }

    private HttpResponse<String> post(String key, String source, String contentType, String encoding, byte[] body)
            throws Exception {
        return post(key, source, contentType, encoding, body, List.of());
    }

    /** As above, with {@code extraHeaders} as name, value pairs (a name may repeat). */
    private HttpResponse<String> post(
            String key, String source, String contentType, String encoding, byte[] body, List<String> extraHeaders)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/logs/stream"))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null) request.header("Authorization", "Bearer " + key);
        if (source != null) request.header("X-Source-Id", source);
        if (contentType != null) request.header("Content-Type", contentType);
        if (encoding != null) request.header("Content-Encoding", encoding);
        for (int i = 0; i < extraHeaders.size(); i += 2) {
            request.header(extraHeaders.get(i), extraHeaders.get(i + 1));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    /** Every batch currently in the test topic, read from the beginning. */
    private static List<ConsumerRecord<String, byte[]>> allRecords() {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        stack.kafka.bootstrapServers(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 10_000;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    private static List<LogBatch> batchesOf(String sourceId) throws Exception {
        List<LogBatch> batches = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : allRecords()) {
            LogBatch batch = LogBatchCodec.decode(record.value());
            if (batch.sourceId().equals(sourceId)) {
                assertThat(record.key()).isEqualTo(batch.orgId() + "/" + batch.sourceId());
                batches.add(batch);
            }
        }
        return batches;
    }

    @Test
    void acceptsNdjsonAsOneBatchAfterKafkaAcknowledged() throws Exception {
        LocalStack.Tenant t = stack.createTenant("ndjson-org", "svc");
        String body = "{\"level\":\"info\",\"msg\":\"a\"}\n{\"level\":\"error\",\"msg\":\"b\"}\n\n{\"msg\":\"c\"}\n";
        HttpResponse<String> response =
                post(t.apiKey(), t.sourceId(), "application/x-ndjson", null, body.getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).isEqualTo("{\"accepted\":3}");

        List<LogBatch> batches = batchesOf(t.sourceId());
        assertThat(batches).hasSize(1);
        LogBatch batch = batches.get(0);
        assertThat(batch.orgId()).isEqualTo(t.orgId());
        assertThat(batch.format()).isEqualTo(LogBatch.PayloadFormat.NDJSON);
        assertThat(batch.lines())
                .extracting(RawLine::text)
                .containsExactly(
                        "{\"level\":\"info\",\"msg\":\"a\"}", "{\"level\":\"error\",\"msg\":\"b\"}", "{\"msg\":\"c\"}");
    }

    @Test
    void acceptsGzippedTextWithCrlfAndFlagsOverlongLines() throws Exception {
        LocalStack.Tenant t = stack.createTenant("gzip-org", "svc");
        String longLine = "E" + "x".repeat(5000);
        String body = "2024-01-01T00:00:00Z INFO started\r\n" + longLine + "\r\nlast line without newline";
        HttpResponse<String> response = post(
                t.apiKey(),
                t.sourceId(),
                "text/plain; charset=utf-8",
                "gzip",
                gzip(body.getBytes(StandardCharsets.UTF_8)));
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).contains("\"accepted\":3").contains("\"truncated\":1");
        LogBatch batch = batchesOf(t.sourceId()).get(0);
        assertThat(batch.format()).isEqualTo(LogBatch.PayloadFormat.TEXT);
        assertThat(batch.lines().get(0).text()).isEqualTo("2024-01-01T00:00:00Z INFO started");
        assertThat(batch.lines().get(1).bytes()).hasSize(MAX_LINE);
        assertThat(batch.lines().get(1).truncated()).isTrue();
        assertThat(batch.lines().get(2).text()).isEqualTo("last line without newline");
    }

    @Test
    void curlsDefaultFormContentTypeIsReadAsPlainLines() throws Exception {
        LocalStack.Tenant t = stack.createTenant("curl-org", "svc");
        HttpResponse<String> response = post(
                t.apiKey(),
                t.sourceId(),
                "application/x-www-form-urlencoded",
                null,
                "GET /checkout?a=1&b=2 500\nuser=x&y\n".getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(batchesOf(t.sourceId()).get(0).lines())
                .extracting(RawLine::text)
                .containsExactly("GET /checkout?a=1&b=2 500", "user=x&y");
    }

    @Test
    void rejectsMissingAndUnknownKeysWithProblemJson() throws Exception {
        HttpResponse<String> missing = post(null, tenant.sourceId(), null, null, "x".getBytes());
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(missing.body()).contains("Authorization: Bearer");

        HttpResponse<String> unknown = post("lgai_" + "a".repeat(40), tenant.sourceId(), null, null, "x".getBytes());
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(post("not-a-key", tenant.sourceId(), null, null, "x".getBytes())
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void anotherOrgsSourceIsNotFoundAndNothingIsWritten() throws Exception {
        HttpResponse<String> response = post(tenant.apiKey(), otherTenant.sourceId(), null, null, "hello".getBytes());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("GET /v1/sources");
        assertThat(post(tenant.apiKey(), null, null, null, "hello".getBytes()).statusCode())
                .isEqualTo(400);
        assertThat(batchesOf(otherTenant.sourceId())).isEmpty();
    }

    @Test
    void gzipBombIsCutOffAtTheDecompressedLimit() throws Exception {
        byte[] zeros = new byte[64 * MAX_BODY]; // 64 MiB of zeros compress to ~64 KiB
        byte[] bomb = gzip(zeros);
        assertThat(bomb.length).isLessThan(MAX_BODY);
        HttpResponse<String> response = post(tenant.apiKey(), tenant.sourceId(), null, "gzip", bomb);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("decompressed body").contains(String.valueOf(MAX_BODY));
    }

    @Test
    void aBodyOfTinyLinesWithinTheLimitIsAcceptedWhole() throws Exception {
        LocalStack.Tenant t = stack.createTenant("tiny-lines-org", "svc");
        // just under the body limit, as two-byte lines: framing triples the record size
        byte[] body = "x\n".repeat(MAX_BODY / 2 - 1).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = post(t.apiKey(), t.sourceId(), "text/plain", "gzip", gzip(body));
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).isEqualTo("{\"accepted\":" + (MAX_BODY / 2 - 1) + "}");
        assertThat(batchesOf(t.sourceId()).get(0).lines()).hasSize(MAX_BODY / 2 - 1);
    }

    @Test
    void oversizedPlainBodyIs413() throws Exception {
        HttpResponse<String> response = post(tenant.apiKey(), tenant.sourceId(), null, null, new byte[MAX_BODY + 10]);
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void corruptGzipIs400AndNothingIsWritten() throws Exception {
        LocalStack.Tenant t = stack.createTenant("corrupt-org", "svc");
        byte[] good = gzip("line one\nline two\n".getBytes(StandardCharsets.UTF_8));
        byte[] corrupt = java.util.Arrays.copyOf(good, good.length - 6); // cut the trailer
        HttpResponse<String> truncated = post(t.apiKey(), t.sourceId(), null, "gzip", corrupt);
        assertThat(truncated.statusCode()).isEqualTo(400);
        assertThat(truncated.body()).contains("gzip");
        assertThat(post(t.apiKey(), t.sourceId(), null, "gzip", "plain".getBytes())
                        .statusCode())
                .isEqualTo(400);
        assertThat(batchesOf(t.sourceId())).isEmpty();
    }

    @Test
    void invalidNdjsonRejectsTheWholeRequest() throws Exception {
        LocalStack.Tenant t = stack.createTenant("badjson-org", "svc");
        String body = "{\"msg\":\"ok\"}\n{\"msg\": broken\n";
        HttpResponse<String> response =
                post(t.apiKey(), t.sourceId(), "application/x-ndjson", null, body.getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("line 2");
        assertThat(batchesOf(t.sourceId())).isEmpty();
    }

    @Test
    void unsupportedEncodingAndTypeAre415() throws Exception {
        assertThat(post(tenant.apiKey(), tenant.sourceId(), null, "br", "x".getBytes())
                        .statusCode())
                .isEqualTo(415);
        assertThat(post(tenant.apiKey(), tenant.sourceId(), "image/png", null, "x".getBytes())
                        .statusCode())
                .isEqualTo(415);
    }

    @Test
    void carriesTheIdempotencyKeyIntoTheBatch() throws Exception {
        LocalStack.Tenant t = stack.createTenant("idempotent-org", "svc");
        byte[] body = "one\ntwo\n".getBytes(StandardCharsets.UTF_8);
        String key = "8e03978e-40d5-43e8-bc93-6894a57f9324";
        assertThat(post(t.apiKey(), t.sourceId(), "text/plain", null, body, List.of("Idempotency-Key", key))
                        .statusCode())
                .isEqualTo(202);
        assertThat(post(t.apiKey(), t.sourceId(), "text/plain", null, body).statusCode())
                .isEqualTo(202);

        // The gateway does not drop a retry itself (the pipeline does): both requests are in Kafka.
        assertThat(batchesOf(t.sourceId())).extracting(LogBatch::idempotencyKey).containsExactlyInAnyOrder(key, null);
    }

    @Test
    void anInvalidIdempotencyKeyIs400ProblemJsonAndNothingIsWritten() throws Exception {
        LocalStack.Tenant t = stack.createTenant("bad-idempotency-org", "svc");
        byte[] body = "one\n".getBytes(StandardCharsets.UTF_8);
        for (String bad : List.of("", "k".repeat(256), "tab\tinside")) {
            HttpResponse<String> response =
                    post(t.apiKey(), t.sourceId(), "text/plain", null, body, List.of("Idempotency-Key", bad));
            assertThat(response.statusCode()).as("key '%s'", bad).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
            assertThat(response.body())
                    .contains("Invalid Idempotency-Key")
                    .contains("1 to 255 printable ASCII characters")
                    .contains("Nothing was accepted");
        }
        HttpResponse<String> twice = post(
                t.apiKey(),
                t.sourceId(),
                "text/plain",
                null,
                body,
                List.of("Idempotency-Key", "a", "Idempotency-Key", "b"));
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(twice.body()).contains("sent 2 times");

        // Java's HTTP client would replace a non-ASCII character by '?', so these are raw bytes.
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/logs/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                            + "Authorization: Bearer " + t.apiKey() + "\r\nX-Source-Id: " + t.sourceId() + "\r\n"
                            + "Content-Type: text/plain\r\nContent-Length: 4\r\nIdempotency-Key: ")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write("clé".getBytes(StandardCharsets.UTF_8));
            out.write("\r\n\r\none\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400").contains("printable ASCII");
        }
        assertThat(batchesOf(t.sourceId())).isEmpty();
    }
}
