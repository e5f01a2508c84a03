package dev.logai.gateway.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.common.observability.KafkaTraceHeaders;
import dev.logai.localstack.FreePorts;
import dev.logai.localstack.LocalStack;
import dev.logai.localstack.SharedLocalStack;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The gateway's operations surface against real Kafka and Postgres: /actuator/prometheus on the
 * management port (and not on the public one) shows the request, refusal, auth, per-org byte and
 * Kafka producer meters moving while lines flow; /livez and /readyz on the public port, readiness
 * down when Kafka is unreachable (the real jar, logging JSON lines by setting); the trace context a record would carry.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayMetricsITCase {
    static final String TOPIC = "gateway-metrics-" + UUID.randomUUID();
    static final LocalStack stack = SharedLocalStack.get(false);

    @Value("${local.server.port}")
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    Tracer tracer;

    @Autowired
    KafkaTraceHeaders traceHeaders;

    final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        stack.kafka.createTopics(1, TOPIC);
        properties(stack.kafka.bootstrapServers()).forEach((k, v) -> registry.add(k, () -> v));
    }

    static Map<String, String> properties(String kafkaBootstrap) {
        Map<String, String> p = new HashMap<>();
        p.put("spring.datasource.url", stack.postgres.jdbcUrl());
        p.put("spring.datasource.username", LocalStack.APP_ROLE);
        p.put("spring.datasource.password", stack.appPassword);
        p.put("logai.kafka.bootstrap", kafkaBootstrap);
        p.put("logai.kafka.topic", TOPIC);
        p.put("logai.kafka.ack-timeout", "3s");
        return p;
    }

    @Test
    void prometheusOnTheManagementPortShowsTheMetersMovingWhileLinesFlow() throws Exception {
        LocalStack.Tenant tenant = stack.createTenant("metrics-" + UUID.randomUUID(), "app");
        LocalStack.Tenant capped = stack.createTenant("metrics-capped-" + UUID.randomUUID(), "app");
        try (Connection c = stack.ownerConnection();
                PreparedStatement ps = c.prepareStatement(
                        "update org set plan = 'free', limit_overrides = '{\"bytes_per_month\": \"1000\"}'::jsonb"
                                + " where id = ?")) {
            ps.setString(1, capped.orgId());
            ps.executeUpdate();
        }
        PrometheusText before = scrape();
        String labels =
                "error=\"none\",exception=\"none\",method=\"POST\",outcome=\"SUCCESS\",service=\"logai-ingest-gateway\",status=\"202\",uri=\"/v1/logs/stream\"";

        long sent = 0;
        for (int i = 0; i < 5; i++) {
            byte[] body = ("2026-01-01T00:00:0" + i + "Z INFO line " + i + "\nsecond line\n")
                    .getBytes(StandardCharsets.UTF_8);
            assertThat(post(tenant.apiKey(), tenant.sourceId(), body).statusCode())
                    .isEqualTo(202);
            sent += body.length;
        }
        assertThat(post("lgai_not-a-key", tenant.sourceId(), "x\n".getBytes(StandardCharsets.UTF_8))
                        .statusCode())
                .isEqualTo(401);
        HttpResponse<String> overQuota = post(capped.apiKey(), capped.sourceId(), new byte[2000]);
        assertThat(overQuota.statusCode()).as(overQuota.body()).isEqualTo(429);

        PrometheusText after = scrape();
        assertThat(after.value("http_server_requests_seconds_count", labels)
                        - before.valueOrZero("http_server_requests_seconds_count", labels))
                .isEqualTo(5);
        assertThat(after.value("http_server_requests_seconds_bucket", labels + ",le=\"10.0\""))
                .isGreaterThanOrEqualTo(5);
        assertThat(after.value(
                                "logai_auth_failures_total",
                                "reason=\"unauthenticated\",service=\"logai-ingest-gateway\"")
                        - before.value(
                                "logai_auth_failures_total",
                                "reason=\"unauthenticated\",service=\"logai-ingest-gateway\""))
                .isEqualTo(1);
        assertThat(after.value(
                        "logai_refusals_total",
                        "limit=\"bytes_per_month\",service=\"logai-ingest-gateway\",status=\"429\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(after.value(
                        "logai_ingest_received_bytes_total",
                        "org=\"" + tenant.orgId() + "\",service=\"logai-ingest-gateway\""))
                .isEqualTo(sent);
        String producer = "client_id=\"logai-gateway\",service=\"logai-ingest-gateway\"";
        assertThat(after.value("kafka_producer_records_sent_total", producer)
                        - before.valueOrZero("kafka_producer_records_sent_total", producer))
                .isGreaterThanOrEqualTo(5);
        assertThat(after.value("kafka_producer_request_latency_max_seconds", producer))
                .isPositive();
        // the JVM and the connection pool come with Spring Boot's meters
        assertThat(after.value("hikaricp_connections_max", "pool=\"HikariPool-1\",service=\"logai-ingest-gateway\""))
                .isPositive();
    }

    @Test
    void actuatorIsOnlyOnTheManagementPortAndProbesAreOnBoth() throws Exception {
        assertThat(get(port, "/actuator/health").statusCode()).isEqualTo(404);
        assertThat(get(port, "/actuator/prometheus").statusCode()).isEqualTo(404);
        assertThat(get(port, "/livez").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get(port, "/readyz");
        assertThat(ready.statusCode()).isEqualTo(200);
        HttpResponse<String> health = get(managementPort, "/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"kafka\"", "\"db\"");
        assertThat(get(managementPort, "/actuator/health/readiness").body()).contains("\"kafka\"", "\"db\"");
    }

    @Test
    void theJarIsNotReadyWhileKafkaIsUnreachableStaysLiveAndLogsJsonLinesBySetting() throws Exception {
        Path jar;
        try (var jars = Files.list(Path.of("target"))) {
            jar = jars.filter(p -> p.getFileName().toString().matches("ingest-gateway-.*-exec\\.jar"))
                    .findFirst()
                    .orElseThrow(
                            () -> new AssertionError("no executable jar in target/: mvn verify packages it first"));
        }
        int publicPort = FreePorts.pick();
        Path log = Files.createTempFile("gateway-json", ".log");
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-jar",
                        jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("LOGAI_GATEWAY_PORT", String.valueOf(publicPort));
        env.put("LOGAI_GATEWAY_MANAGEMENT_PORT", String.valueOf(FreePorts.pick()));
        env.put("LOGAI_BIND_ADDRESS", "127.0.0.1");
        env.put("LOGAI_DB_URL", stack.postgres.jdbcUrl());
        env.put("LOGAI_DB_USER", LocalStack.APP_ROLE);
        env.put("LOGAI_DB_PASSWORD", stack.appPassword);
        env.put("LOGAI_KAFKA_BOOTSTRAP", "127.0.0.1:" + FreePorts.pick()); // nothing listens there
        env.put("LOGAI_LOG_FORMAT", "ecs");
        Process gateway = builder.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            HttpResponse<String> live = null;
            // The port opens before start-up has finished (liveness is then still unknown, 503):
            // wait for the first 200, then Kafka must still keep it from being ready.
            while (System.nanoTime() < deadline && gateway.isAlive()) {
                try {
                    live = get(publicPort, "/livez");
                    if (live.statusCode() == 200) {
                        break;
                    }
                } catch (java.io.IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(200);
            }
            assertThat(live).as(Files.readString(log)).isNotNull();
            assertThat(live.statusCode()).isEqualTo(200);
            HttpResponse<String> ready = get(publicPort, "/readyz");
            assertThat(ready.statusCode()).isEqualTo(503);
        } finally {
            gateway.destroy();
            gateway.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
        }
        // LogAi's own logs as one JSON object per line (ECS), ready to be shipped to LogAi itself
        List<String> lines = Files.readAllLines(log);
        assertThat(lines)
                .isNotEmpty()
                .allSatisfy(l -> assertThat(l).startsWith("{\"@timestamp\"").endsWith("}"));
        assertThat(lines)
                .anySatisfy(l -> assertThat(l)
                        .contains("\"log\":{\"level\":\"INFO\"", "\"service\":{\"name\":\"logai-ingest-gateway\""));
    }

    @Test
    void theTraceInScopeGoesOnTheRecordAsAW3cTraceparentHeader() {
        Span span = tracer.nextSpan().name("ingest").start();
        RecordHeaders headers = new RecordHeaders();
        try (Tracer.SpanInScope ignored = tracer.withSpan(span)) {
            traceHeaders.inject(headers);
        } finally {
            span.end();
        }
        String traceparent =
                new String(headers.lastHeader(KafkaTraceHeaders.TRACEPARENT).value(), StandardCharsets.UTF_8);
        assertThat(traceparent)
                .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")
                .contains(span.context().traceId(), span.context().spanId());
        RecordHeaders none = new RecordHeaders();
        traceHeaders.inject(none);
        assertThat(none.lastHeader(KafkaTraceHeaders.TRACEPARENT)).isNull();
    }

    private PrometheusText scrape() throws Exception {
        HttpResponse<String> r = get(managementPort, "/actuator/prometheus");
        assertThat(r.statusCode()).isEqualTo(200);
        return new PrometheusText(r.body());
    }

    private HttpResponse<String> get(int toPort, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + toPort + path))
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String key, String source, byte[] body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/logs/stream"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + key)
                        .header("X-Source-Id", source)
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
