package dev.logai.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logai.common.contract.alert.AlertRuleCodec;
import dev.logai.common.secret.SecretSeal;
import dev.logai.common.tenancy.OrgScope;
import dev.logai.localstack.EmbeddedPostgresServer;
import dev.logai.localstack.LocalStack;
import dev.logai.localstack.RawHttp;
import dev.logai.localstack.SharedLocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/** The real query API against oversized, unauthenticated, malformed and racing requests. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class QueryApiLimitsITCase {
    static final LocalStack stack = SharedLocalStack.get(false);
    static final String RULES_TOPIC = "limits-rules-" + java.util.UUID.randomUUID();
    static final String SECRET_KEY = SecretSeal.newKey();

    @Value("${local.server.port}")
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TestApis.onStack(registry, stack, RULES_TOPIC);
        registry.add("logai.secret-key", () -> SECRET_KEY);
        registry.add("logai.alerts.allow-private-targets", () -> "true");
        // Were Tomcat to swallow a refused body, it would read all of it: the tests would hang.
        registry.add("server.tomcat.max-swallow-size", () -> "-1");
    }

    static final String RULE = """
            {"name": "errors", "condition": {"metric": "error_count", "op": ">", "threshold": 5, "window": "1m"},
             "channels": {"webhook": ["http://127.0.0.1:9/hook"]}}""";

    HttpResponse<String> postRule(String key, String json) throws Exception {
        return TestApis.postJson(http, port, key, "/v1/alert-rules", json);
    }

    /** At 195 rules, 30 parallel creates: exactly 5 succeed, the others are refused, 200 rules remain. */
    @Test
    void theRuleLimitHoldsUnderParallelCreates() throws Exception {
        LocalStack.Tenant t = stack.createTenant("rule-race", "svc");
        HttpResponse<String> first = postRule(t.apiKey(), RULE);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        String id = first.headers().firstValue("Location").orElseThrow().replace("/v1/alert-rules/", "");
        try (Connection c = stack.ownerConnection()) {
            c.setAutoCommit(false);
            OrgScope.enter(c, t.orgId());
            try (Statement s = c.createStatement()) {
                s.execute("create temp table rule_copy on commit drop as select * from alert_rule where id = '" + id
                        + "'");
            }
            try (PreparedStatement copy = c.prepareStatement("insert into alert_rule select * from rule_copy")) {
                try (PreparedStatement rename = c.prepareStatement("update rule_copy set id = ?")) {
                    for (int i = 1; i < 195; i++) {
                        rename.setString(1, id + "_" + i);
                        rename.executeUpdate();
                        copy.executeUpdate();
                    }
                }
            }
            c.commit();
        }
        assertThat(ruleCount(t)).isEqualTo(195);

        ExecutorService clients = Executors.newFixedThreadPool(30);
        List<Future<Integer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 30; i++) {
                Callable<Integer> create = () -> postRule(t.apiKey(), RULE).statusCode();
                answers.add(clients.submit(create));
            }
            int created = 0;
            int refused = 0;
            for (Future<Integer> answer : answers) {
                int status = answer.get(60, TimeUnit.SECONDS);
                if (status == 201) created++;
                if (status == 403) refused++;
            }
            assertThat(created).isEqualTo(5);
            assertThat(refused).isEqualTo(25);
        } finally {
            clients.shutdownNow();
        }
        assertThat(ruleCount(t)).isEqualTo(200);
    }

    private static long ruleCount(LocalStack.Tenant t) throws Exception {
        try (Connection c = stack.ownerConnection()) {
            c.setAutoCommit(false);
            OrgScope.enter(c, t.orgId());
            try (PreparedStatement ps = c.prepareStatement("select count(*) from alert_rule where org_id = ?")) {
                ps.setString(1, t.orgId());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            } finally {
                c.rollback();
            }
        }
    }

    @Test
    void signingSecretsAreSealedOnTheRulesTopic() throws Exception {
        LocalStack.Tenant t = stack.createTenant("sealed-secrets", "svc");
        HttpResponse<String> created = postRule(t.apiKey(), RULE);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String secret = created.body().replaceAll(".*\"signing_secret\":\"(whsec_[^\"]+)\".*", "$1");
        assertThat(secret).startsWith("whsec_");
        String id = created.headers().firstValue("Location").orElseThrow().replace("/v1/alert-rules/", "");

        String value = null;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers()),
                new StringDeserializer(),
                new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(RULES_TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.currentTimeMillis() + 10_000;
            while (value == null && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (id.equals(record.key())) {
                        value = record.value();
                    }
                }
            }
        }
        assertThat(value).isNotNull().doesNotContain("whsec_").contains("\"signing_secret\":\"sealed:v1:");
        Object tree = JsonMapper.builder().build().readValue(value, Object.class);
        assertThat(AlertRuleCodec.readRule(tree, SecretSeal.of(SECRET_KEY)).signingSecret())
                .isEqualTo(secret);
    }

    @Test
    void theLocalSuperuserLogsInOnlyWithItsPassword() throws Exception {
        for (String password : new String[] {"", "wrong"}) {
            assertThatThrownBy(() -> java.sql.DriverManager.getConnection(
                                    stack.postgres.jdbcUrl(), EmbeddedPostgresServer.SUPERUSER, password)
                            .close())
                    .isInstanceOf(java.sql.SQLException.class)
                    .satisfies(e -> assertThat(e.getMessage())
                            .containsAnyOf("password authentication failed", "requested SCRAM-based authentication"));
        }
        try (Connection owner = stack.ownerConnection()) {
            assertThat(owner.isValid(5)).isTrue();
        }
    }

    @Test
    void anUnauthenticated100MiBJsonBodyIs401UnreadAndTheConnectionIsClosed() throws Exception {
        long hundredMiB = 100L * 1024 * 1024;
        try (RawHttp client = RawHttp.connect(port, 5_000)) {
            client.send("POST /v1/alert-rules HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + hundredMiB + "\r\n\r\n{\"name\": \"");
            assertThat(client.readUntilClosed(64 * 1024))
                    .startsWith("HTTP/1.1 401")
                    .containsIgnoringCase("Connection: close")
                    .contains("application/problem+json");
            assertThat(client.writeUntilRefused(hundredMiB)).isLessThan(hundredMiB);
        }
    }

    @Test
    void jsonBodiesOverOneMiBAre413DeclaredOrChunked() throws Exception {
        LocalStack.Tenant t = stack.createTenant("big-bodies", "svc");
        String huge = "{\"name\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        try (RawHttp client = RawHttp.connect(port, 5_000)) {
            client.send("POST /v1/alert-rules HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + t.apiKey()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + huge.length() + "\r\n\r\n");
            assertThat(client.readUntilClosed(64 * 1024))
                    .startsWith("HTTP/1.1 413")
                    .contains("application/problem+json");
        }
        // Without a declared length the body is cut off as it passes the limit.
        HttpResponse<String> chunked = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/alert-rules"))
                        .header("Authorization", "Bearer " + t.apiKey())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(
                                () -> new java.io.ByteArrayInputStream(huge.getBytes())))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(413);
        assertThat(chunked.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
    }

    @Test
    void formerServerErrorsAreProblems() throws Exception {
        LocalStack.Tenant t = stack.createTenant("former-500s", "svc");
        HttpResponse<String> farSince = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/windows?since=9999999999999999"))
                        .header("Authorization", "Bearer " + t.apiKey())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(farSince.statusCode()).isEqualTo(400);
        assertThat(farSince.body()).contains("'since'").doesNotContain("Exception");

        HttpResponse<String> multipart = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/alert-rules"))
                        .header("Authorization", "Bearer " + t.apiKey())
                        .header("Content-Type", "multipart/form-data; boundary=x")
                        .POST(HttpRequest.BodyPublishers.ofString("--x\r\n\r\n--x--"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(multipart.statusCode()).isEqualTo(415);
        assertThat(multipart.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));

        try (RawHttp client = RawHttp.connect(port, 5_000)) {
            client.send("GET /v1/sources HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0001b\r\n\r\n");
            assertThat(client.readUntilClosed(64 * 1024))
                    .startsWith("HTTP/1.1 400")
                    .contains("application/problem+json")
                    .doesNotContain("<html");
        }
    }
}
