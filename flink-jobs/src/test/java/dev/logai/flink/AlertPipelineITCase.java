package dev.logai.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import dev.logai.flink.alert.MatchLineRules;
import dev.logai.flink.alert.notify.Notifier;
import dev.logai.flink.support.IncidentLogs;
import dev.logai.flink.support.PipelineHarness;
import dev.logai.flink.support.ServiceProcess;
import dev.logai.localstack.LocalStack;
import dev.logai.localstack.SharedLocalStack;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Alerts end to end: rules created through the query API reach the running job through the rules
 * topic (one of them after the job started: no restart), an incident stream breaches
 * {@code error_rate > 10%} (the clean traffic has about 3% errors), and each channel — a Slack-style receiver, a signed webhook and e-mail
 * over a real SMTP server — gets exactly one notification with the title, top lines and the
 * dashboard link, even though the job fails and restarts right after the alert went out; the claim
 * and the alert are recorded; a rule switched on while the job runs fires; another org's identical
 * rule never fires.
 */
class AlertPipelineITCase {
    static final LocalStack stack = SharedLocalStack.get(true);
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final MiniClusterExtension FLINK = PipelineHarness.miniCluster();

    static PipelineHarness harness;
    static ServiceProcess queryApi;
    static HttpServer receiver;
    static GreenMail smtp;
    static final Map<String, List<String>> received = new ConcurrentHashMap<>();
    static final Map<String, List<String>> signatures = new ConcurrentHashMap<>();

    @BeforeAll
    static void services() throws Exception {
        harness = new PipelineHarness(stack);
        Map<String, String> env = new HashMap<>(PipelineHarness.serviceEnvironment(stack));
        env.put("LOGAI_KAFKA_ALERT_RULES_TOPIC", harness.rulesTopic);
        env.put("LOGAI_ALERTS_ALLOW_PRIVATE_TARGETS", "true");
        env.put("LOGAI_ALERTS_SLACK_HOSTS", "127.0.0.1");
        queryApi = ServiceProcess.start("logai.query-api.jar", "LOGAI_API_PORT", env);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            received.computeIfAbsent(path, k -> new CopyOnWriteArrayList<>())
                    .add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String signature = exchange.getRequestHeaders().getFirst(Notifier.SIGNATURE_HEADER);
            if (signature != null) {
                signatures
                        .computeIfAbsent(path, k -> new CopyOnWriteArrayList<>())
                        .add(signature);
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
    }

    @AfterAll
    static void stop() throws Exception {
        smtp.stop();
        receiver.stop(0);
        queryApi.close();
        harness.close();
    }

    static String url(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    @Test
    void aBreachingIncidentSendsExactlyOneNotificationPerChannelAcrossAFailover(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        LocalStack.Tenant tenant = stack.createTenant("alerts", "checkout");
        LocalStack.Tenant other = stack.createTenant("alerts-other", "checkout");
        JsonNode otherRule = createRule(other, "/other-hook", "/other-slack", 0.10);
        // A pattern rule saved inactive before the job starts, switched on while it runs.
        JsonNode patternRule = request(
                tenant,
                "POST",
                "/v1/alert-rules",
                "{\"name\": \"Payment gateway\","
                        + " \"condition\": {\"pattern\": {\"new_template\": true, \"contains\": \"gatewaytimeout\"}},"
                        + " \"channels\": {\"webhook\": [\"" + url("/pattern-hook") + "\"]}, \"is_active\": false}",
                201);

        Configuration settings = harness.settings();
        settings.setString("logai.alerts.allow-private-targets", "true");
        settings.setString("logai.alerts.slack-hosts", "127.0.0.1");
        settings.setString("logai.smtp.host", "127.0.0.1");
        settings.setString("logai.smtp.port", Integer.toString(smtp.getSmtp().getPort()));
        settings.setString("logai.smtp.starttls", "false");
        settings.setString("logai.dashboard.url", "https://logai.example");
        JobClient job = harness.startJob(settings);
        try {
            // Created and changed while the job runs: both must take effect without a restart.
            // Created while the job runs with a threshold the incident never reaches, then edited to
            // 10%: only the edit can make it fire.
            JsonNode rule = createRule(tenant, "/hook", "/slack", 0.95);
            String secret = rule.get("signing_secret").asText();
            request(
                    tenant,
                    "PATCH",
                    "/v1/alert-rules/" + rule.get("id").asText(),
                    "{\"condition\": {\"metric\":"
                            + " \"error_rate\", \"op\": \">\", \"threshold\": 0.10, \"window\": \"1m\", \"sustained\": 1}}",
                    200);
            request(tenant, "PATCH", "/v1/alert-rules/" + patternRule.get("id").asText(), "{\"is_active\": true}", 200);
            Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(60));
            // A canary rule made after both changes: once its probe line alerts, the job holds the
            // changes above too (one topic partition, read in order). Each probe has another
            // length, so another template, so its own alert. Its probes are an hour old (the
            // source's first data), so it pages for data of any age.
            request(
                    tenant,
                    "POST",
                    "/v1/alert-rules",
                    "{\"name\": \"Canary\", \"condition\": {\"pattern\":"
                            + " {\"contains\": \"canary-probe\"}}, \"channels\": {\"webhook\": [\"" + url("/canary")
                            + "\"]}, \"page_max_age\": \"off\"}",
                    201);
            StringBuilder probe = new StringBuilder("INFO  [api] canary-probe");
            for (int attempt = 0; !received.containsKey("/canary") && attempt < 90; attempt++) {
                probe.append(" x");
                harness.post(
                        tenant,
                        "text/plain",
                        IncidentLogs.line(start, probe.toString()).getBytes(StandardCharsets.UTF_8),
                        false);
                Thread.sleep(1_000);
            }
            assertThat(received)
                    .as("a per-line rule made while the job runs alerts")
                    .containsKey("/canary");

            Instant incident = start.plus(Duration.ofMinutes(40));
            List<String> lines = new ArrayList<>(IncidentLogs.generate(5, start, 40, 5, 100));
            lines.add(IncidentLogs.line(incident.plus(Duration.ofMinutes(15)), "INFO  [api] heartbeat"));
            for (int i = 0; i < lines.size(); i += 2_000) {
                byte[] body = String.join("\n", lines.subList(i, Math.min(lines.size(), i + 2_000)))
                        .getBytes(StandardCharsets.UTF_8);
                assertThat(harness.post(tenant, "text/plain", body, true).statusCode())
                        .isEqualTo(202);
            }

            PipelineHarness.await(
                    "the first notification",
                    Duration.ofSeconds(120),
                    () -> received.containsKey("/hook"),
                    () -> "received " + received.keySet());
            // Fail the job right after the alert went out: it restarts from a checkpoint that may
            // predate the alert, replays the windows, and must not tell anyone twice.
            setWindowWrites(false);
            // A line in a new minute, so a window is written after writes are refused, however far
            // the job got before the alert arrived.
            assertThat(harness.post(
                                    tenant,
                                    "text/plain",
                                    IncidentLogs.line(incident.plus(Duration.ofMinutes(16)), "INFO  [api] heartbeat")
                                            .getBytes(StandardCharsets.UTF_8),
                                    false)
                            .statusCode())
                    .isEqualTo(202);
            try {
                PipelineHarness.await("the job to fail over", Duration.ofSeconds(60), () -> failedOver(cluster, job));
            } finally {
                setWindowWrites(true);
            }
            PipelineHarness.await(
                    "a notification on every channel",
                    Duration.ofSeconds(120),
                    () -> received.containsKey("/hook")
                            && received.containsKey("/slack")
                            && smtp.getReceivedMessages().length > 0
                            && received.containsKey("/pattern-hook"),
                    () -> "received " + received.keySet() + ", mails " + smtp.getReceivedMessages().length);
            // The incident's later windows still breach: they must not send again.
            PipelineHarness.await(
                    "the incident's windows are final",
                    Duration.ofSeconds(60),
                    () -> finalWindows(tenant, incident.plus(Duration.ofMinutes(4))));
            Thread.sleep(2_000);

            assertThat(received.get("/hook")).hasSize(1);
            assertThat(received.get("/slack")).hasSize(1);
            // The pattern rule, switched on while the job ran, alerted once, on the line of the new template.
            assertThat(received.get("/pattern-hook"))
                    .as("one alert across the failover")
                    .hasSize(1);
            JsonNode pattern = JSON.readTree(received.get("/pattern-hook").get(0));
            assertThat(pattern.get("status").asText()).isEqualTo("triggered");
            assertThat(pattern.get("title").asText()).contains("Payment gateway", "new pattern");
            assertThat(pattern.get("top_lines").toString()).contains(IncidentLogs.INJECTED_EXCEPTION);
            assertThat(smtp.getReceivedMessages()).hasSize(1);
            JsonNode hook = JSON.readTree(received.get("/hook").get(0));
            assertThat(hook.get("status").asText()).isEqualTo("firing");
            assertThat(hook.get("rule_id").asText()).isEqualTo(rule.get("id").asText());
            assertThat(hook.get("title").asText()).contains("Checkout errors");
            assertThat(hook.get("top_lines").toString())
                    .contains(IncidentLogs.INJECTED_EXCEPTION)
                    .doesNotContain("@example.com");
            assertThat(hook.get("dashboard_url").asText())
                    .startsWith("https://logai.example/sources/" + tenant.sourceId());
            String signature = signatures.get("/hook").get(0);
            String t = signature.substring(2, signature.indexOf(','));
            assertThat(signature)
                    .endsWith("v1="
                            + Notifier.sign(
                                    secret, t + "." + received.get("/hook").get(0)));
            assertThat(received.get("/slack").get(0)).contains("\"blocks\"", IncidentLogs.INJECTED_EXCEPTION);
            assertThat(smtp.getReceivedMessages()[0].getSubject()).contains("Checkout errors");

            assertThat(received)
                    .as("another org's rule never fires on this org's data")
                    .doesNotContainKeys("/other-hook", "/other-slack");
            try (Connection c = stack.ownerConnection();
                    PreparedStatement ps = c.prepareStatement(
                            "select n.state, e.status, e.count from alert_notification n"
                                    + " join alert_event e on e.id = n.alert_id where n.org_id = ? and n.rule_id = ?")) {
                ps.setString(1, tenant.orgId());
                ps.setString(2, rule.get("id").asText());
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("sent");
                    assertThat(rs.getString(2)).isEqualTo("firing");
                    assertThat(rs.next()).as("one notification").isFalse();
                }
            }
            assertThat(otherRule.get("id").asText()).isNotEqualTo(rule.get("id").asText());
        } finally {
            job.cancel().get();
        }
    }

    /**
     * An absence rule end to end: a source that stops sending raises the alert within the rule's
     * duration plus one check, by the wall clock, and its next line resolves it.
     */
    @Test
    void aSourceThatStopsRaisesItsAbsenceAlertAndItsNextLineResolvesIt() throws Exception {
        LocalStack.Tenant tenant = stack.createTenant("absence", "payments");
        Configuration settings = harness.settings();
        settings.setString("logai.alerts.allow-private-targets", "true");
        JobClient job = harness.startJob(settings);
        try {
            request(
                    tenant,
                    "POST",
                    "/v1/alert-rules",
                    "{\"name\": \"Payments silent\", \"condition\": {\"absence\": {\"for\": \"1m\"}},"
                            + " \"channels\": {\"webhook\": [\"" + url("/absence") + "\"]}}",
                    201);
            // lines for a while, so some arrive after the job has the rule; then silence
            long lastSent = 0;
            for (int i = 0; i < 8; i++) {
                assertThat(harness.post(
                                        tenant,
                                        "text/plain",
                                        IncidentLogs.line(Instant.now(), "INFO  [payments] charge " + i + " ok")
                                                .getBytes(StandardCharsets.UTF_8),
                                        false)
                                .statusCode())
                        .isEqualTo(202);
                lastSent = System.currentTimeMillis();
                Thread.sleep(2_000);
            }
            PipelineHarness.await(
                    "the absence alert",
                    Duration.ofSeconds(150),
                    () -> received.containsKey("/absence"),
                    () -> "received " + received.keySet());
            long silentFor = System.currentTimeMillis() - lastSent;
            assertThat(silentFor)
                    .as("fired after the rule's minute, within it plus a check and the pipeline's delay")
                    .isBetween(60_000L, 60_000L + MatchLineRules.CHECK_EVERY_MS + 30_000L);
            JsonNode fired = JSON.readTree(received.get("/absence").get(0));
            assertThat(fired.path("status").asText()).isEqualTo("firing");
            assertThat(fired.path("title").asText()).isEqualTo("Payments silent — no lines for 1 min");

            assertThat(harness.post(
                                    tenant,
                                    "text/plain",
                                    IncidentLogs.line(Instant.now(), "INFO  [payments] charge 9 ok")
                                            .getBytes(StandardCharsets.UTF_8),
                                    false)
                            .statusCode())
                    .isEqualTo(202);
            PipelineHarness.await(
                    "the resolution",
                    Duration.ofSeconds(60),
                    () -> received.get("/absence").size() >= 2,
                    () -> "received " + received.get("/absence"));
            JsonNode resolved = JSON.readTree(received.get("/absence").get(1));
            assertThat(resolved.path("status").asText()).isEqualTo("resolved");
            assertThat(resolved.path("title").asText()).startsWith("Resolved: Payments silent");
            assertThat(received.get("/absence")).hasSize(2);
        } finally {
            job.cancel().get();
        }
    }

    private static JsonNode createRule(LocalStack.Tenant t, String hookPath, String slackPath, double threshold)
            throws Exception {
        return request(
                t,
                "POST",
                "/v1/alert-rules",
                "{\"name\": \"Checkout errors\", \"condition\": {\"metric\":"
                        + " \"error_rate\", \"op\": \">\", \"threshold\": " + threshold
                        + ", \"window\": \"1m\", \"sustained\": 1},"
                        + " \"channels\": {\"webhook\": [\"" + url(hookPath) + "\"], \"slack\": [\"" + url(slackPath)
                        + "\"],"
                        + " \"email\": [\"oncall@example.com\"]}}",
                201);
    }

    private static JsonNode request(LocalStack.Tenant t, String method, String path, String body, int expected)
            throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(queryApi.url() + path))
                                .header("Authorization", "Bearer " + t.apiKey())
                                .header("Content-Type", "application/json")
                                .method(method, HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(expected);
        return JSON.readTree(r.body());
    }

    private static void setWindowWrites(boolean allowed) throws Exception {
        try (Connection c = stack.ownerConnection();
                java.sql.Statement s = c.createStatement()) {
            s.execute((allowed ? "grant" : "revoke") + " insert, update on window_stats " + (allowed ? "to " : "from ")
                    + LocalStack.APP_ROLE);
        }
    }

    private static boolean failedOver(MiniCluster cluster, JobClient job) {
        try {
            return cluster.getExecutionGraph(job.getJobID()).get().getFailureInfo() != null;
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean finalWindows(LocalStack.Tenant tenant, Instant window) {
        try {
            PipelineHarness.WindowRow row = harness.windows(tenant).get(window);
            return row != null && row.isFinal();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
