package dev.logai.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import dev.logai.common.contract.LogBatch;
import dev.logai.common.contract.LogBatchCodec;
import dev.logai.common.contract.RawLine;
import dev.logai.common.tenancy.OrgProvisioning;
import dev.logai.gateway.ingest.TestGateways;
import dev.logai.localstack.LocalStack;
import dev.logai.localstack.SharedLocalStack;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
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
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.xerial.snappy.Snappy;

/**
 * Every shipper protocol at the protocol level, through the real gateway to real Kafka and
 * Postgres: request bodies as the shippers send them (built with the protocols' own encodings), the
 * protocol's own answers and error shapes, source routing and auto-creation, the stored lines, and
 * that a bad request stores nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ShipperProtocolsITCase {
    static final String TOPIC = "shippers-test-" + UUID.randomUUID();
    static final int MAX_BODY = 256 * 1024;
    static final LocalStack stack = SharedLocalStack.get(false);
    static final ObjectMapper JSON = new ObjectMapper();
    static final LocalStack.Tenant tenant = newTenant();

    @Value("${local.server.port}")
    int port;

    @Autowired
    SyslogServer syslog;

    final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TestGateways.onStack(registry, stack, TOPIC, 1, MAX_BODY, 4096);
        registry.add("logai.syslog.tcp-port", () -> -1);
        registry.add("logai.syslog.udp-port", () -> -1);
        registry.add("logai.syslog.key", () -> listenerKey);
        registry.add("logai.syslog.tls-port", () -> -1);
        registry.add("logai.syslog.tls-keystore", () -> KEYSTORE.toString());
        registry.add("logai.syslog.tls-keystore-password", () -> "changeit");
    }

    /** A self-signed server certificate for the TLS listener, made with the JDK's keytool. */
    static final java.nio.file.Path KEYSTORE = keystore();

    static java.nio.file.Path keystore() {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("syslog-tls");
            java.nio.file.Path store = dir.resolve("server.p12");
            Process p = new ProcessBuilder(
                            java.nio.file.Path.of(System.getProperty("java.home"), "bin", "keytool")
                                    .toString(),
                            "-genkeypair",
                            "-alias",
                            "syslog",
                            "-keyalg",
                            "EC",
                            "-dname",
                            "CN=127.0.0.1",
                            "-validity",
                            "2",
                            "-storetype",
                            "PKCS12",
                            "-keystore",
                            store.toString(),
                            "-storepass",
                            "changeit")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("keytool failed: " + out);
            }
            return store;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static final String listenerKey = tenant.apiKey();

    static LocalStack.Tenant newTenant() {
        try {
            LocalStack.Tenant t = stack.createTenant("shippers-" + UUID.randomUUID(), "app");
            // every test names new sources: room for them all
            stack.overrideLimits(t.orgId(), "{\"max_sources\": \"100\"}");
            return t;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- OTLP/HTTP ---

    static ExportLogsServiceRequest otlpRequest(String service, String... messages) {
        ScopeLogs.Builder scope = ScopeLogs.newBuilder()
                .setScope(io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder()
                        .setName("checkout.http"));
        long t = 1_764_500_000_000_000_000L;
        for (String m : messages) {
            scope.addLogRecords(LogRecord.newBuilder()
                    .setTimeUnixNano(t += 1_000_000)
                    .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR)
                    .setBody(AnyValue.newBuilder().setStringValue(m))
                    .setTraceId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}))
                    .addAttributes(kv("http.route", "/cart")));
        }
        return ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder()
                        .setResource(Resource.newBuilder()
                                .addAttributes(kv("service.name", service))
                                .addAttributes(kv("host.name", "node-1")))
                        .addScopeLogs(scope))
                .build();
    }

    static KeyValue kv(String k, String v) {
        return KeyValue.newBuilder()
                .setKey(k)
                .setValue(AnyValue.newBuilder().setStringValue(v))
                .build();
    }

    @Test
    void otlpProtobufLandsInASourceNamedByServiceNameAndRetriesAreMarkedForDedup() throws Exception {
        String service = "checkout-" + UUID.randomUUID();
        byte[] body = otlpRequest(service, "payment declined for order 1", "payment declined for order 2")
                .toByteArray();
        HttpResponse<byte[]> first = post("/v1/logs", "application/x-protobuf", null, body, bearer());
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
        assertThat(ExportLogsServiceResponse.parseFrom(first.body()).hasPartialSuccess())
                .isFalse();
        assertThat(first.headers().firstValue("LogAi-Quota-Used")).isPresent();

        String sourceId = sourceIdNamed(tenant.orgId(), service);
        List<LogBatch> batches = batchesOf(sourceId);
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0).format()).isEqualTo(LogBatch.PayloadFormat.NDJSON);
        JsonNode line = JSON.readTree(batches.get(0).lines().get(0).text());
        assertThat(line.path("message").asText()).isEqualTo("payment declined for order 1");
        assertThat(line.path("level").asText()).isEqualTo("ERROR");
        assertThat(line.path("service.name").asText()).isEqualTo(service);
        assertThat(line.path("trace_id").asText()).isEqualTo("0102030405060708090a0b0c0d0e0f10");
        assertThat(line.path("time").asText()).startsWith("2025-11-30T");
        assertThat(line.path("attributes").path("http.route").asText()).isEqualTo("/cart");
        assertThat(line.path("resource").path("host.name").asText()).isEqualTo("node-1");

        // the exporter's retry of the same request carries the same key: the pipeline drops it
        assertThat(post("/v1/logs", "application/x-protobuf", "gzip", gzip(body), bearer())
                        .statusCode())
                .isEqualTo(200);
        List<LogBatch> after = batchesOf(sourceId);
        assertThat(after).hasSize(2);
        assertThat(after.get(0).idempotencyKey())
                .isNotNull()
                .isEqualTo(after.get(1).idempotencyKey());
    }

    @Test
    void otlpJsonWithHexIdsAndLogaiSourceAttribute() throws Exception {
        String name = "json-" + UUID.randomUUID();
        String body = """
                {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"ignored"}},
                  {"key":"logai.source","value":{"stringValue":"%s"}}]},
                 "scopeLogs":[{"scope":{"name":"s"},"logRecords":[
                  {"timeUnixNano":"1764500000000000000","severityNumber":13,"body":{"stringValue":"disk 91%% full"},
                   "traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174",
                   "attributes":[{"key":"n","value":{"intValue":"42"}}]},
                  {"observedTimeUnixNano":1764500000000000001,"severityText":"Information",
                   "body":{"kvlistValue":{"values":[{"key":"k","value":{"boolValue":true}}]}}}]}]}]}
                """.formatted(name);
        HttpResponse<byte[]> r =
                post("/v1/logs", "application/json", null, body.getBytes(StandardCharsets.UTF_8), bearer());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
        List<LogBatch> batches = batchesOf(sourceIdNamed(tenant.orgId(), name));
        JsonNode a = JSON.readTree(batches.get(0).lines().get(0).text());
        JsonNode b = JSON.readTree(batches.get(0).lines().get(1).text());
        assertThat(a.path("level").asText()).isEqualTo("WARN");
        assertThat(a.path("trace_id").asText()).isEqualTo("5b8efff798038103d269b633813fc60c");
        assertThat(a.path("attributes").path("n").asLong()).isEqualTo(42);
        assertThat(b.path("level").asText()).isEqualTo("Information");
        assertThat(b.path("body").path("k").asBoolean()).isTrue();
    }

    @Test
    void otlpBadBodiesAreRefusedInOtlpShapeAndStoreNothing() throws Exception {
        long before = allRecords().size();
        HttpResponse<byte[]> corrupt =
                post("/v1/logs", "application/x-protobuf", null, new byte[] {0x0a, (byte) 0xff, 0x01, 0x02}, bearer());
        assertThat(corrupt.statusCode()).isEqualTo(400);
        CodedInputStream status = CodedInputStream.newInstance(corrupt.body());
        assertThat(status.readTag()).isEqualTo(8); // field 1, varint: the gRPC code
        assertThat(status.readInt32()).isEqualTo(3); // INVALID_ARGUMENT
        HttpResponse<byte[]> badJson =
                post("/v1/logs", "application/json", null, "{\"resourceLogs\": 7}".getBytes(), bearer());
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badJson.body()).path("code").asInt()).isEqualTo(3);
        HttpResponse<byte[]> tooLarge =
                post("/v1/logs", "application/x-protobuf", null, new byte[MAX_BODY + 10], bearer());
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(post("/v1/logs", "text/plain", null, "x".getBytes(), bearer())
                        .statusCode())
                .isEqualTo(415);
        assertThat(post(
                                "/v1/logs",
                                "application/x-protobuf",
                                null,
                                otlpRequest("x", "y").toByteArray(),
                                null)
                        .statusCode())
                .isEqualTo(401);
        assertThat(allRecords()).hasSize((int) before);
    }

    @Test
    void aSourceOverThePlanQuotaIsAPartialSuccessAndAScopedKeyAlwaysWritesToItsSource() throws Exception {
        LocalStack.Tenant small = stack.createTenant("shippers-small-" + UUID.randomUUID(), "only");
        stack.overrideLimits(small.orgId(), "{\"max_sources\": \"1\"}");
        ExportLogsServiceRequest two = otlpRequest("only", "to the existing source").toBuilder()
                .addResourceLogs(
                        otlpRequest("brand-new", "needs a second source").getResourceLogs(0))
                .build();
        HttpResponse<byte[]> r =
                post("/v1/logs", "application/x-protobuf", null, two.toByteArray(), "Bearer " + small.apiKey());
        assertThat(r.statusCode()).isEqualTo(200);
        ExportLogsServiceResponse response = ExportLogsServiceResponse.parseFrom(r.body());
        assertThat(response.getPartialSuccess().getRejectedLogRecords()).isEqualTo(1);
        assertThat(response.getPartialSuccess().getErrorMessage()).contains("allows 1 sources");
        assertThat(batchesOf(small.sourceId())).hasSize(1);

        String scopedKey;
        try (Connection c = stack.ownerConnection()) {
            c.setAutoCommit(false);
            scopedKey = OrgProvisioning.createApiKey(
                            c, tenant.orgId(), "scoped", List.of("ingest"), tenant.sourceId(), null, null)
                    .plaintext();
            c.commit();
        }
        HttpResponse<byte[]> scoped = post(
                "/v1/logs",
                "application/x-protobuf",
                null,
                otlpRequest("somewhere-else", "scoped").toByteArray(),
                "Bearer " + scopedKey);
        assertThat(scoped.statusCode()).isEqualTo(200);
        assertThat(batchesOf(tenant.sourceId()))
                .anySatisfy(b -> assertThat(b.lines().get(0).text()).contains("\"scoped\""));
        assertThat(sourceIdNamedOrNull(tenant.orgId(), "somewhere-else")).isNull();
    }

    // --- Loki ---

    /** A Loki PushRequest in protobuf, as push.proto defines it. */
    static byte[] lokiProtobuf(String labels, String... lines) throws Exception {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        CodedOutputStream s = CodedOutputStream.newInstance(stream);
        s.writeString(1, labels);
        long seconds = 1_764_500_000L;
        for (String line : lines) {
            ByteArrayOutputStream entry = new ByteArrayOutputStream();
            CodedOutputStream e = CodedOutputStream.newInstance(entry);
            ByteArrayOutputStream ts = new ByteArrayOutputStream();
            CodedOutputStream t = CodedOutputStream.newInstance(ts);
            t.writeInt64(1, seconds++);
            t.writeInt32(2, 5);
            t.flush();
            e.writeByteArray(1, ts.toByteArray());
            e.writeString(2, line);
            ByteArrayOutputStream pair = new ByteArrayOutputStream();
            CodedOutputStream p = CodedOutputStream.newInstance(pair);
            p.writeString(1, "trace_id");
            p.writeString(2, "abc");
            p.flush();
            e.writeByteArray(3, pair.toByteArray());
            e.flush();
            s.writeByteArray(2, entry.toByteArray());
        }
        s.flush();
        ByteArrayOutputStream push = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(push);
        out.writeByteArray(1, stream.toByteArray());
        out.flush();
        return Snappy.compress(push.toByteArray());
    }

    @Test
    void lokiProtobufSnappyKeepsLabelsAndMetadata() throws Exception {
        String job = "nginx-" + UUID.randomUUID();
        byte[] body =
                lokiProtobuf("{job=\"" + job + "\", level=\"warn\", host=\"a\\\"b\"}", "GET /a 200", "GET /b 500");
        HttpResponse<byte[]> r =
                post("/loki/api/v1/push", "application/x-protobuf", null, body, basic("promtail", tenant.apiKey()));
        assertThat(r.statusCode()).isEqualTo(204);
        List<LogBatch> batches = batchesOf(sourceIdNamed(tenant.orgId(), job));
        JsonNode line = JSON.readTree(batches.get(0).lines().get(1).text());
        assertThat(line.path("message").asText()).isEqualTo("GET /b 500");
        assertThat(line.path("level").asText()).isEqualTo("warn");
        assertThat(line.path("labels").path("host").asText()).isEqualTo("a\"b");
        assertThat(line.path("metadata").path("trace_id").asText()).isEqualTo("abc");
        assertThat(line.path("time").asText()).isEqualTo("2025-11-30T10:53:21.000000005Z");
    }

    @Test
    void lokiJsonAndBadFraming() throws Exception {
        String app = "api-" + UUID.randomUUID();
        String body = "{\"streams\":[{\"stream\":{\"app\":\"" + app + "\"},\"values\":[[\"1764500000000000000\","
                + "\"level=error msg=boom\",{\"user\":\"7\"}]]}]}";
        assertThat(post("/loki/api/v1/push", "application/json", "gzip", gzip(body.getBytes()), bearer())
                        .statusCode())
                .isEqualTo(204);
        assertThat(batchesOf(sourceIdNamed(tenant.orgId(), app))).hasSize(1);

        long before = allRecords().size();
        // protobuf that is not snappy-compressed, as a misconfigured client sends it
        HttpResponse<byte[]> notSnappy = post(
                "/loki/api/v1/push",
                "application/x-protobuf",
                null,
                Snappy.uncompress(lokiProtobuf("{job=\"x\"}", "y")),
                bearer());
        assertThat(notSnappy.statusCode()).isEqualTo(400);
        assertThat(new String(notSnappy.body(), StandardCharsets.UTF_8)).contains("snappy");
        HttpResponse<byte[]> badLabels =
                post("/loki/api/v1/push", "application/x-protobuf", null, lokiProtobuf("job=x", "y"), bearer());
        assertThat(badLabels.statusCode()).isEqualTo(400);
        HttpResponse<byte[]> badValues = post(
                "/loki/api/v1/push",
                "application/json",
                null,
                "{\"streams\":[{\"stream\":{},\"values\":[[\"now\",\"x\"]]}]}".getBytes(),
                bearer());
        assertThat(badValues.statusCode()).isEqualTo(400);
        assertThat(post("/loki/api/v1/push", "application/x-protobuf", null, lokiProtobuf("{job=\"x\"}", "y"), null)
                        .statusCode())
                .isEqualTo(401);
        assertThat(allRecords()).hasSize((int) before);
    }

    // --- Elasticsearch ---

    @Test
    void elasticsearchHandshakeAndBulkWithPerItemResults() throws Exception {
        HttpResponse<byte[]> info = get("/", basic("elastic", tenant.apiKey()));
        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(info.headers().firstValue("X-Elastic-Product")).hasValue("Elasticsearch");
        assertThat(JSON.readTree(info.body()).path("version").path("number").asText())
                .startsWith("8.");
        assertThat(get("/", null).statusCode()).isEqualTo(401);
        assertThat(get("/_license", apiKeyHeader()).statusCode()).isEqualTo(200);
        assertThat(put("/_index_template/filebeat-8", "{}", bearer()).statusCode())
                .isEqualTo(200);

        // a letter first: an all-digit suffix would be read as a date stamp and dropped from the name
        String index = "logs-web-x" + UUID.randomUUID().toString().substring(0, 8);
        String bulk = "{\"index\":{\"_index\":\"" + index + "-2026.11.30\"}}\n"
                + "{\"@timestamp\":\"2026-11-30T10:00:00Z\",\"message\":\"GET / 200\",\"log.level\":\"info\"}\n"
                + "{\"create\":{}}\n"
                + "{not json\n"
                + "{\"delete\":{\"_id\":\"1\"}}\n"
                + "{\"index\":{}}\n"
                + "{\"@timestamp\":\"2026-11-30T10:00:01Z\",\"message\":\"GET / 500\"}\n";
        HttpResponse<byte[]> r =
                post("/" + index + "-2026.11.29/_bulk", "application/x-ndjson", null, bulk.getBytes(), apiKeyHeader());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode answer = JSON.readTree(r.body());
        assertThat(answer.path("errors").asBoolean()).isTrue();
        assertThat(answer.path("items")).hasSize(4);
        assertThat(answer.path("items").get(0).path("index").path("status").asInt())
                .isEqualTo(201);
        assertThat(answer.path("items").get(1).path("create").path("status").asInt())
                .isEqualTo(400);
        assertThat(answer.path("items")
                        .get(1)
                        .path("create")
                        .path("error")
                        .path("type")
                        .asText())
                .isEqualTo("document_parsing_exception");
        assertThat(answer.path("items").get(2).path("delete").path("status").asInt())
                .isEqualTo(400);
        assertThat(answer.path("items").get(3).path("index").path("status").asInt())
                .isEqualTo(201);
        // daily indices of one service share one source
        List<LogBatch> batches = batchesOf(sourceIdNamed(tenant.orgId(), index));
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0).lines()).extracting(RawLine::text).hasSize(2).allMatch(l -> l.contains("GET / "));

        HttpResponse<byte[]> unterminated =
                post("/_bulk", "application/x-ndjson", null, "{\"index\":{\"_index\":\"x\"}}\n".getBytes(), bearer());
        assertThat(unterminated.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unterminated.body()).path("error").path("type").asText())
                .isEqualTo("illegal_argument_exception");
    }

    // --- Splunk HEC ---

    @Test
    void splunkHecEventsRawAndHealth() throws Exception {
        assertThat(get("/services/collector/health", null).statusCode()).isEqualTo(200);
        String source = "hec-" + UUID.randomUUID();
        String events = "{\"time\":1764500000.25,\"host\":\"web-1\",\"source\":\"" + source
                + "\",\"event\":\"user 7 logged in\"}"
                + "{\"time\":\"1764500001\",\"source\":\"" + source
                + "\",\"event\":{\"message\":\"cart\",\"level\":\"warn\"},\"fields\":{\"region\":\"eu\"}}";
        HttpResponse<byte[]> r = post(
                "/services/collector/event", "application/json", null, events.getBytes(), "Splunk " + tenant.apiKey());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("code").asInt()).isZero();
        List<LogBatch> batches = batchesOf(sourceIdNamed(tenant.orgId(), source));
        JsonNode first = JSON.readTree(batches.get(0).lines().get(0).text());
        JsonNode second = JSON.readTree(batches.get(0).lines().get(1).text());
        assertThat(first.path("message").asText()).isEqualTo("user 7 logged in");
        assertThat(first.path("time").asText()).isEqualTo("2025-11-30T10:53:20.250Z");
        assertThat(second.path("level").asText()).isEqualTo("warn");
        assertThat(second.path("splunk").path("fields").path("region").asText()).isEqualTo("eu");

        long before = allRecords().size();
        HttpResponse<byte[]> bad = post(
                "/services/collector",
                "application/json",
                null,
                "{\"event\":\"ok\"} {\"time\":1} ".getBytes(),
                "Splunk " + tenant.apiKey());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).path("code").asInt()).isEqualTo(12);
        assertThat(JSON.readTree(bad.body()).path("invalid-event-number").asInt())
                .isEqualTo(1);
        assertThat(post(
                                "/services/collector",
                                "application/json",
                                null,
                                "{\"event\":".getBytes(),
                                "Splunk " + tenant.apiKey())
                        .statusCode())
                .isEqualTo(400);
        assertThat(allRecords()).hasSize((int) before);

        String rawSource = "raw-" + UUID.randomUUID();
        HttpResponse<byte[]> raw = post(
                "/services/collector/raw?sourcetype=" + rawSource,
                // curl's default type: the body must not be read as form fields
                "application/x-www-form-urlencoded",
                null,
                "127.0.0.1 - - [30/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5\nsecond line\n".getBytes(),
                "Splunk " + tenant.apiKey());
        assertThat(raw.statusCode()).isEqualTo(200);
        LogBatch rawBatch = batchesOf(sourceIdNamed(tenant.orgId(), rawSource)).get(0);
        assertThat(rawBatch.format()).isEqualTo(LogBatch.PayloadFormat.TEXT);
        assertThat(rawBatch.lines()).hasSize(2);
        assertThat(rawBatch.idempotencyKey()).isNull();
    }

    // --- syslog ---

    @Test
    void syslogTcpBothFramingsWithTheKeyInStructuredDataAndUdpWithTheListenersKey() throws Exception {
        String source = "syslog-" + UUID.randomUUID();
        String withKey = "<34>1 2026-11-30T10:00:00Z host1 sshd 42 ID1 [logai@41058 key=\"" + tenant.apiKey()
                + "\" source=\"" + source + "\"][meta seq=\"1\"] Failed password for root";
        String lf = "<13>1 2026-11-30T10:00:01Z host1 cron - - [logai@41058 key=\"" + tenant.apiKey() + "\" source=\""
                + source + "\"] job started";
        try (Socket socket = new Socket("127.0.0.1", syslog.tcpPort());
                OutputStream out = socket.getOutputStream()) {
            byte[] framed = withKey.getBytes(StandardCharsets.UTF_8);
            out.write((framed.length + " ").getBytes(StandardCharsets.US_ASCII));
            out.write(framed);
            out.write((lf + "\n").getBytes(StandardCharsets.UTF_8));
            out.write("<13>1 2026-11-30T10:00:02Z host1 app - - - no key here, and no listener source\n"
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
        String sourceId = awaitSource(tenant.orgId(), source);
        List<String> lines = awaitLines(sourceId, 2);
        assertThat(lines)
                .containsExactly(
                        "<34>1 2026-11-30T10:00:00Z host1 sshd 42 ID1 [meta seq=\"1\"] Failed password for root",
                        "<13>1 2026-11-30T10:00:01Z host1 cron - - - job started");
        assertThat(String.join("\n", lines)).doesNotContain("lgai_");

        // the listener's own key (LOGAI_SYSLOG_KEY) and source (syslog) for messages without one
        try (DatagramSocket udp = new DatagramSocket()) {
            byte[] msg = "<30>Nov 30 10:00:03 host2 kernel: eth0 link down".getBytes(StandardCharsets.UTF_8);
            udp.send(new DatagramPacket(msg, msg.length, InetAddress.getByName("127.0.0.1"), syslog.udpPort()));
        }
        String defaultSource = awaitSource(tenant.orgId(), "syslog");
        assertThat(awaitLines(defaultSource, 2))
                .contains("<30>Nov 30 10:00:03 host2 kernel: eth0 link down")
                .contains("<13>1 2026-11-30T10:00:02Z host1 app - - - no key here, and no listener source");
    }

    @Test
    void syslogOverTls() throws Exception {
        String source = "tls-" + UUID.randomUUID();
        javax.net.ssl.SSLContext trustAll = javax.net.ssl.SSLContext.getInstance("TLS");
        trustAll.init(
                null,
                new javax.net.ssl.TrustManager[] {
                    new javax.net.ssl.X509TrustManager() {
                        public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {}

                        public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {}

                        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                            return new java.security.cert.X509Certificate[0];
                        }
                    }
                },
                null);
        String line = "<14>1 2026-11-30T10:00:00Z host3 api - - [logai@41058 key=\"" + tenant.apiKey() + "\" source=\""
                + source + "\"] over TLS";
        byte[] frame = line.getBytes(StandardCharsets.UTF_8);
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket)
                        trustAll.getSocketFactory().createSocket("127.0.0.1", syslog.tlsPort());
                OutputStream out = socket.getOutputStream()) {
            socket.startHandshake();
            out.write((frame.length + " ").getBytes(StandardCharsets.US_ASCII));
            out.write(frame);
            out.flush();
        }
        assertThat(awaitLines(awaitSource(tenant.orgId(), source), 1))
                .containsExactly("<14>1 2026-11-30T10:00:00Z host3 api - - - over TLS");
    }

    @Test
    void theRequestRateLimitAppliesToProtocolEndpoints() throws Exception {
        LocalStack.Tenant limited = stack.createTenant("shippers-rate-" + UUID.randomUUID(), "app");
        stack.overrideLimits(limited.orgId(), "{\"requests_per_minute\": \"2\"}");
        byte[] body = lokiProtobuf("{job=\"rate\"}", "x");
        String auth = "Bearer " + limited.apiKey();
        assertThat(post("/loki/api/v1/push", "application/x-protobuf", null, body, auth)
                        .statusCode())
                .isEqualTo(204);
        assertThat(post("/loki/api/v1/push", "application/x-protobuf", null, body, auth)
                        .statusCode())
                .isEqualTo(204);
        HttpResponse<byte[]> third = post("/loki/api/v1/push", "application/x-protobuf", null, body, auth);
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.headers().firstValue("Retry-After")).isPresent();
        assertThat(new String(third.body(), StandardCharsets.UTF_8)).contains("requests");
    }

    @Test
    void syslogWithAnUnknownKeyIsDroppedAndCounted() throws Exception {
        long dropped = syslog.dropped();
        try (Socket socket = new Socket("127.0.0.1", syslog.tcpPort());
                OutputStream out = socket.getOutputStream()) {
            out.write(("<13>1 2026-11-30T10:00:00Z h a - - [logai@1 key=\"lgai_" + "x".repeat(40) + "\"] guessed\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        long deadline = System.currentTimeMillis() + 10_000;
        while (syslog.dropped() == dropped && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(syslog.dropped()).isEqualTo(dropped + 1);
    }

    // --- hostile input (review of the protocol endpoints) ---

    @Test
    void hostileValuesAreRefusedCheaplyAndNothingIsStored() throws Exception {
        long before = allRecords().size();
        // a HEC time that would cost a BigDecimal power: refused at once
        HttpResponse<byte[]> hugeTime = post(
                "/services/collector",
                "application/json",
                null,
                "{\"event\":\"x\",\"time\":\"1e300000000\"}".getBytes(),
                "Splunk " + tenant.apiKey());
        assertThat(hugeTime.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(hugeTime.body()).path("code").asInt()).isEqualTo(6);
        // a bulk index name over Elasticsearch's 255 bytes: that item refused
        String longIndex = "a" + "-2026".repeat(100);
        HttpResponse<byte[]> bulk = post(
                "/_bulk",
                "application/x-ndjson",
                null,
                ("{\"index\":{\"_index\":\"" + longIndex + "\"}}\n{\"message\":\"x\"}\n").getBytes(),
                bearer());
        assertThat(JSON.readTree(bulk.body())
                        .path("items")
                        .get(0)
                        .path("index")
                        .path("error")
                        .path("type")
                        .asText())
                .isEqualTo("invalid_index_name_exception");
        // more records than one request may carry, each two bytes of protobuf: refused before parsing
        ScopeLogs.Builder empty = ScopeLogs.newBuilder();
        for (int i = 0; i <= ShipperIngest.MAX_RECORDS_PER_REQUEST; i++) {
            empty.addLogRecords(LogRecord.getDefaultInstance());
        }
        byte[] many = ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(empty))
                .build()
                .toByteArray();
        assertThat(many.length).isLessThan(MAX_BODY * 2);
        HttpResponse<byte[]> tooMany = post("/v1/logs", "application/x-protobuf", "gzip", gzip(many), bearer());
        assertThat(tooMany.statusCode()).isEqualTo(413);
        // an Idempotency-Key the stream endpoint would refuse (over 255 characters) is refused here too
        HttpResponse<byte[]> badKey = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/loki/api/v1/push"))
                        .header("Authorization", bearer())
                        .header("Content-Type", "application/x-protobuf")
                        .header("Idempotency-Key", "k".repeat(300))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(lokiProtobuf("{job=\"k\"}", "x")))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(badKey.statusCode()).isEqualTo(400);
        assertThat(allRecords()).hasSize((int) before);
    }

    @Test
    void aKeyWithoutTheIngestScopeIsRefusedWhole() throws Exception {
        String readOnly;
        try (Connection c = stack.ownerConnection()) {
            c.setAutoCommit(false);
            readOnly = OrgProvisioning.createApiKey(c, tenant.orgId(), "reader", List.of("read"), null, null, null)
                    .plaintext();
            c.commit();
        }
        HttpResponse<byte[]> r = post(
                "/v1/logs",
                "application/x-protobuf",
                null,
                otlpRequest("x", "y").toByteArray(),
                "Bearer " + readOnly);
        assertThat(r.statusCode()).isEqualTo(403);
    }

    @Test
    void syslogKeysInAnyWellFormedElementAreStrippedAndAKeylessElementIsNeverWrittenWithTheListenersKey()
            throws Exception {
        String source = "sd-" + UUID.randomUUID();
        long dropped = syslog.dropped();
        try (Socket socket = new Socket("127.0.0.1", syslog.tcpPort());
                OutputStream out = socket.getOutputStream()) {
            // a parameter name with an underscore, and a second LogAi element
            out.write(("<13>1 2026-11-30T10:00:00Z h app - - [logai@41058 env_name=\"p\" key=\"" + tenant.apiKey()
                            + "\" source=\"" + source + "\"][logai@1 key=\"" + tenant.apiKey()
                            + "\"] first\n")
                    .getBytes(StandardCharsets.UTF_8));
            // a LogAi element without a key: dropped, not written with LOGAI_SYSLOG_KEY
            out.write("<13>1 2026-11-30T10:00:01Z h app - - [logai@41058 source=\"x\"] second\n"
                    .getBytes(StandardCharsets.UTF_8));
            // a frame split by a pause longer than the listener's read timeout
            byte[] third = ("<13>1 2026-11-30T10:00:02Z h app - - [logai@41058 key=\"" + tenant.apiKey()
                            + "\" source=\"" + source + "\"] third, sent in two parts")
                    .getBytes(StandardCharsets.UTF_8);
            out.write((third.length + " ").getBytes(StandardCharsets.US_ASCII));
            out.write(third, 0, 40);
            out.flush();
            Thread.sleep(700);
            out.write(third, 40, third.length - 40);
            out.flush();
        }
        List<String> lines = awaitLines(awaitSource(tenant.orgId(), source), 2);
        assertThat(lines)
                .containsExactly(
                        "<13>1 2026-11-30T10:00:00Z h app - - - first",
                        "<13>1 2026-11-30T10:00:02Z h app - - - third, sent in two parts");
        assertThat(syslog.dropped()).isEqualTo(dropped + 1);
    }

    // --- helpers ---

    String bearer() {
        return "Bearer " + tenant.apiKey();
    }

    String apiKeyHeader() {
        return "ApiKey "
                + Base64.getEncoder().encodeToString(("id:" + tenant.apiKey()).getBytes(StandardCharsets.UTF_8));
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<byte[]> post(String path, String contentType, String encoding, byte[] body, String authorization)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) b.header("Content-Type", contentType);
        if (encoding != null) b.header("Content-Encoding", encoding);
        if (authorization != null) b.header("Authorization", authorization);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> put(String path, String body, String authorization) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .PUT(HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json")
                        .header("Authorization", authorization)
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> get(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (authorization != null) b.header("Authorization", authorization);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    static String sourceIdNamed(String orgId, String name) throws Exception {
        String id = sourceIdNamedOrNull(orgId, name);
        assertThat(id).as("source named " + name).isNotNull();
        return id;
    }

    static String sourceIdNamedOrNull(String orgId, String name) throws Exception {
        try (Connection c = stack.ownerConnection();
                PreparedStatement ps = c.prepareStatement("select id from source where org_id = ? and name = ?")) {
            ps.setString(1, orgId);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    static String awaitSource(String orgId, String name) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        String id;
        while ((id = sourceIdNamedOrNull(orgId, name)) == null && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(id).as("source named " + name).isNotNull();
        return id;
    }

    static List<String> awaitLines(String sourceId, int atLeast) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        List<String> lines;
        do {
            lines = batchesOf(sourceId).stream()
                    .flatMap(b -> b.lines().stream())
                    .map(RawLine::text)
                    .toList();
        } while (lines.size() < atLeast && System.currentTimeMillis() < deadline && sleep());
        return lines;
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(200);
        return true;
    }

    static List<LogBatch> batchesOf(String sourceId) throws Exception {
        List<LogBatch> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : allRecords()) {
            LogBatch b = LogBatchCodec.decode(r.value());
            if (b.sourceId().equals(sourceId)) {
                out.add(b);
            }
        }
        return out;
    }

    static List<ConsumerRecord<String, byte[]>> allRecords() {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers()),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(TOPIC, 0));
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
}
