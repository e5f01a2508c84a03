package dev.logai.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logai.flink.support.IncidentLogs;
import dev.logai.flink.support.PipelineHarness;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Anomalies end to end: 90 clean minutes of multi-service logs, then a deploy line and an incident
 * (a new exception type, the error rate from ~3% to ~30%), through the gateway, Kafka, the job on a
 * MiniCluster, Postgres and the query API. The incident's first window must be flagged and
 * explained by the injected template, at the sensitivity the org set through the API; the clean
 * minutes must not be flagged at all.
 */
class AnomalyDetectionITCase {
    static final LocalStack stack = SharedLocalStack.get(true);
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final MiniClusterExtension FLINK = PipelineHarness.miniCluster();

    static PipelineHarness harness;
    static ServiceProcess queryApi;

    @BeforeAll
    static void services() throws Exception {
        harness = new PipelineHarness(stack);
        java.util.Map<String, String> env = new java.util.HashMap<>(PipelineHarness.serviceEnvironment(stack));
        env.put("LOGAI_KAFKA_ANOMALY_SETTINGS_TOPIC", harness.anomalySettingsTopic);
        queryApi = ServiceProcess.start("logai.query-api.jar", "LOGAI_API_PORT", env);
    }

    @AfterAll
    static void stop() throws Exception {
        queryApi.close();
        harness.close();
    }

    @Test
    void flagsTheIncidentsFirstWindowWithTheInjectedTemplateAndNothingBefore() throws Exception {
        LocalStack.Tenant tenant = stack.createTenant("anomalies", "shop");
        LocalStack.Tenant other = stack.createTenant("bystander", "shop");
        // Recent timestamps: an idle input's event time follows the wall clock, so old ones would be late.
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(105));
        Instant incident = start.plus(Duration.ofMinutes(90));
        List<String> lines = new ArrayList<>(IncidentLogs.generate(42, start, 90, 10, 200));
        lines.add(IncidentLogs.line(
                incident.plus(Duration.ofMinutes(15)), "INFO  [api] heartbeat")); // closes the incident's windows

        // The org judges its windows at its own sensitivity ("low": fewer anomalies), set through
        // the query API, carried by the settings topic into the job and shown in the explanation.
        HttpResponse<String> set = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(queryApi.url() + "/v1/anomaly-settings"))
                                .header("Authorization", "Bearer " + tenant.apiKey())
                                .header("Content-Type", "application/json")
                                .PUT(HttpRequest.BodyPublishers.ofString("{\"sensitivity\": \"low\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);

        JobClient job = harness.startJob(harness.settings());
        try {
            for (int i = 0; i < lines.size(); i += 2_000) {
                byte[] body = String.join("\n", lines.subList(i, Math.min(lines.size(), i + 2_000)))
                        .getBytes(StandardCharsets.UTF_8);
                assertThat(harness.post(tenant, "text/plain", body, true).statusCode())
                        .isEqualTo(202);
            }

            PipelineHarness.await(
                    "an anomaly in the incident's first window",
                    Duration.ofSeconds(180),
                    () -> !anomalies(tenant, incident, incident.plusSeconds(60)).isEmpty(),
                    () -> "job=" + job.getJobStatus().join());
            // Every window up to the incident's end is complete by now (the heartbeat closed them).
            PipelineHarness.await(
                    "the incident's windows are final",
                    Duration.ofSeconds(60),
                    () -> windowFinal(tenant, incident.plus(Duration.ofMinutes(9))));

            List<JsonNode> first = anomalies(tenant, incident, incident.plusSeconds(60));
            assertThat(first).extracting(a -> a.get("metric").asText()).contains("error_rate", "new_templates");
            JsonNode errorRate = first.stream()
                    .filter(a -> a.get("metric").asText().equals("error_rate")
                            && a.get("service").asText().isEmpty())
                    .findFirst()
                    .orElseThrow();
            assertThat(errorRate.get("label").asText()).isEqualTo("spike");
            assertThat(errorRate.get("observed").asDouble()).isGreaterThan(0.2);
            assertThat(errorRate.get("baseline").asDouble()).isLessThan(0.06);
            assertThat(errorRate.get("score").asDouble()).isBetween(0.5, 1.0);
            assertThat(errorRate.get("onset").asText())
                    .as("a spike's evidence is its own window")
                    .isEqualTo(errorRate.get("ts_window").asText());
            JsonNode why = errorRate.get("explanation");
            assertThat(why.get("top_templates").get(0).get("template").asText())
                    .contains(IncidentLogs.INJECTED_EXCEPTION);
            assertThat(why.get("top_templates").get(0).get("new").asBoolean()).isTrue();
            assertThat(why.get("top_services").get(0).get("service").asText()).isEqualTo("api");
            assertThat(why.get("examples").get(0).asText()).contains(IncidentLogs.INJECTED_EXCEPTION);
            assertThat(why.get("sensitivity").asText())
                    .as("judged at the org's own sensitivity")
                    .isEqualTo("low");

            assertThat(anomalies(tenant, start, incident))
                    .as("anomalies in the clean 90 minutes")
                    .isEmpty();
            assertThat(anomalies(other, start, incident.plus(Duration.ofHours(1))))
                    .as("another org's view")
                    .isEmpty();
        } finally {
            job.cancel().get();
        }
    }

    private static List<JsonNode> anomalies(LocalStack.Tenant tenant, Instant since, Instant until) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(queryApi.url() + "/v1/anomalies?source_id="
                                            + tenant.sourceId() + "&since=" + since + "&until=" + until + "&limit=500"))
                                    .header("Authorization", "Bearer " + tenant.apiKey())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            List<JsonNode> out = new ArrayList<>();
            JSON.readTree(r.body()).get("items").forEach(out::add);
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean windowFinal(LocalStack.Tenant tenant, Instant window) {
        try {
            PipelineHarness.WindowRow row = harness.windows(tenant).get(window);
            return row != null && row.isFinal();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
