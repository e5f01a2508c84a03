package dev.logai.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.logai.flink.support.FakeOpenAiServer;
import dev.logai.flink.support.IncidentLogs;
import dev.logai.flink.support.PipelineHarness;
import dev.logai.flink.support.ServiceProcess;
import dev.logai.localstack.LocalStack;
import dev.logai.localstack.SharedLocalStack;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Traces end to end: a client's W3C {@code traceparent} on its request to the real gateway reaches
 * the job through the Kafka record, and the job's own spans continue it — the LLM summary of the
 * window (a {@code summarize} span with a {@code chat <model>} client span under it, linking the
 * window's other request) and the alert (a {@code notify alert} span with a {@code deliver webhook}
 * client span under it, whose {@code traceparent} the webhook receiver gets). The spans arrive over
 * OTLP/HTTP at a real receiver here, decoded with the OTLP protobuf classes. The job samples new
 * traces at 0: every span below is kept only because the client's trace was sampled.
 */
class TracePropagationITCase {
    static final LocalStack stack = SharedLocalStack.get(true);

    @RegisterExtension
    static final MiniClusterExtension FLINK = PipelineHarness.miniCluster();

    static PipelineHarness harness;
    static ServiceProcess queryApi;
    static FakeOpenAiServer llm;
    static HttpServer receiver;
    static final List<Span> spans = new CopyOnWriteArrayList<>();
    static final List<String> hookTraceParents = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void services() throws Exception {
        harness = new PipelineHarness(stack);
        Map<String, String> env = new HashMap<>(PipelineHarness.serviceEnvironment(stack));
        env.put("LOGAI_KAFKA_ALERT_RULES_TOPIC", harness.rulesTopic);
        env.put("LOGAI_ALERTS_ALLOW_PRIVATE_TARGETS", "true");
        queryApi = ServiceProcess.start("logai.query-api.jar", "LOGAI_API_PORT", env);
        llm = new FakeOpenAiServer();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/v1/traces", exchange -> {
            ExportTraceServiceRequest export = ExportTraceServiceRequest.parseFrom(
                    exchange.getRequestBody().readAllBytes());
            export.getResourceSpansList()
                    .forEach(rs -> rs.getScopeSpansList().forEach(ss -> spans.addAll(ss.getSpansList())));
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.createContext("/hook", exchange -> {
            String traceParent = exchange.getRequestHeaders().getFirst("traceparent");
            hookTraceParents.add(traceParent == null ? "" : traceParent);
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stop() throws Exception {
        receiver.stop(0);
        llm.close();
        queryApi.close();
        harness.close();
    }

    @Test
    void aRequestsTraceContinuesIntoTheJobsLlmAndAlertDeliverySpans() throws Exception {
        LocalStack.Tenant tenant = stack.createTenant("traces", "payments");
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        HttpResponse<String> rule = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(queryApi.url() + "/v1/alert-rules"))
                                .header("Authorization", "Bearer " + tenant.apiKey())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"Gateway timeouts\","
                                        + " \"condition\": {\"pattern\": {\"contains\": \"gatewaytimeout\"}},"
                                        + " \"channels\": {\"webhook\": [\"" + base + "/hook\"]}}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(rule.statusCode()).as(rule.body()).isEqualTo(201);

        Configuration settings = harness.settings();
        settings.setString("logai.alerts.allow-private-targets", "true");
        settings.setString("logai.llm.base-url", llm.baseUrl());
        settings.setString("logai.llm.api-key", FakeOpenAiServer.API_KEY);
        settings.setString("logai.summary.error-lines", "3");
        settings.setString("logai.otel.export-enabled", "true");
        settings.setString("logai.otel.endpoint", base + "/v1/traces");
        settings.setString("logai.trace.sampling", "0");
        JobClient job = harness.startJob(settings);
        try {
            // the client's traces, both sampled: the errors' request, then a quiet one in the same window
            String errorsTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
            String quietTrace = "0af7651916cd43dd8448eb211c80319c";
            Instant now = Instant.now();
            List<String> errors = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                errors.add(IncidentLogs.line(now, "ERROR [payments] charge " + i + " failed: upstream gatewaytimeout"));
            }
            assertThat(post(tenant, errors, "00-" + errorsTrace + "-00f067aa0ba902b7-01")
                            .statusCode())
                    .isEqualTo(202);
            assertThat(post(
                                    tenant,
                                    List.of(IncidentLogs.line(now, "INFO  [payments] charge 9 ok")),
                                    "00-" + quietTrace + "-b7ad6b7169203331-01")
                            .statusCode())
                    .isEqualTo(202);

            PipelineHarness.await(
                    "the job's spans of the summary and the alert",
                    Duration.ofSeconds(120),
                    () -> named("chat ").isPresent() && named("deliver webhook").isPresent(),
                    () -> "spans " + spans.stream().map(Span::getName).toList() + ", hook " + hookTraceParents);

            Span summarize = named("summarize").orElseThrow();
            Span chat = named("chat ").orElseThrow();
            assertThat(hex(summarize.getTraceId()))
                    .as("the summary continues the errors' request")
                    .isEqualTo(errorsTrace);
            assertThat(summarize.getLinksList())
                    .as("and links the window's other request")
                    .anySatisfy(link -> assertThat(hex(link.getTraceId())).isEqualTo(quietTrace));
            assertThat(hex(chat.getTraceId())).isEqualTo(errorsTrace);
            assertThat(chat.getParentSpanId()).isEqualTo(summarize.getSpanId());
            assertThat(chat.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
            assertThat(attribute(chat, "gen_ai.operation.name")).isEqualTo("chat");
            assertThat(attribute(chat, "gen_ai.usage.input_tokens")).isNotEqualTo("0");

            Span notify = named("notify alert").orElseThrow();
            Span deliver = named("deliver webhook").orElseThrow();
            assertThat(hex(notify.getTraceId()))
                    .as("the line alert continues its line's request")
                    .isEqualTo(errorsTrace);
            assertThat(deliver.getParentSpanId()).isEqualTo(notify.getSpanId());
            assertThat(deliver.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
            assertThat(attribute(deliver, "server.address")).isEqualTo("127.0.0.1");
            assertThat(hookTraceParents)
                    .as("the webhook receiver can continue the trace from the delivery span")
                    .contains("00-" + errorsTrace + "-" + hex(deliver.getSpanId()) + "-01");
            assertThat(spans)
                    .as("no span of the job holds the tenant's lines or the webhook's URL")
                    .allSatisfy(s ->
                            assertThat(s.getAttributesList().toString()).doesNotContain("gatewaytimeout", "/hook"));
        } finally {
            job.cancel().get();
        }
    }

    private static HttpResponse<String> post(LocalStack.Tenant tenant, List<String> lines, String traceParent)
            throws Exception {
        return harness.post(
                tenant,
                "text/plain",
                String.join("\n", lines).getBytes(StandardCharsets.UTF_8),
                false,
                Map.of("traceparent", traceParent));
    }

    private static Optional<Span> named(String prefix) {
        return spans.stream().filter(s -> s.getName().startsWith(prefix)).findFirst();
    }

    private static String attribute(Span span, String key) {
        return span.getAttributesList().stream()
                .filter(kv -> kv.getKey().equals(key))
                .map(KeyValue::getValue)
                .map(v -> v.hasIntValue() ? Long.toString(v.getIntValue()) : v.getStringValue())
                .findFirst()
                .orElse(null);
    }

    private static String hex(com.google.protobuf.ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }
}
