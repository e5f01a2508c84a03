package dev.logai.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.common.tenancy.OrgProvisioning;
import dev.logai.common.tenancy.OrgScope;
import dev.logai.localstack.JwksIssuer;
import dev.logai.localstack.LocalStack;
import dev.logai.localstack.SharedLocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Who may send lines, through the real gateway, Kafka and Postgres: key scopes, source-scoped keys,
 * people by role with real tokens (JWKS over HTTP), and revocation reaching the gateway within 5 s.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayAccessITCase {
    static final LocalStack stack = SharedLocalStack.get(false);
    static final JwksIssuer issuer = JwksIssuer.startForTests();
    static LocalStack.Tenant tenant;
    static String otherSource;

    @Value("${local.server.port}")
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TestGateways.onStack(registry, stack, "gateway-access-" + UUID.randomUUID(), 1, 1024 * 1024, 1024);
        issuer.serviceSettings(Duration.ofSeconds(30)).forEach((k, v) -> registry.add(k, () -> v));
    }

    @BeforeAll
    static void tenants() throws Exception {
        tenant = stack.createTenant("gateway-access", "api");
        try (Connection c = stack.ownerConnection()) {
            c.setAutoCommit(false);
            otherSource = OrgProvisioning.createSource(c, tenant.orgId(), "worker", "production");
            c.commit();
        }
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    static OrgProvisioning.NewApiKey key(List<String> scopes, String sourceId) throws Exception {
        try (Connection c = stack.ownerConnection()) {
            c.setAutoCommit(false);
            OrgProvisioning.NewApiKey key =
                    OrgProvisioning.createApiKey(c, tenant.orgId(), "test", scopes, sourceId, null, null);
            c.commit();
            return key;
        }
    }

    HttpResponse<String> send(String bearer, String source) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/logs/stream"))
                        .timeout(Duration.ofSeconds(20))
                        .header("Authorization", "Bearer " + bearer)
                        .header("X-Source-Id", source)
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString("2024-03-01T10:00:00Z INFO hello\n"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static void assertProblem(HttpResponse<String> response, int status, String detail) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(response.body()).contains(detail);
    }

    @Test
    void aReadScopedKeyMayNotIngest() throws Exception {
        assertProblem(send(key(List.of("read"), null).plaintext(), tenant.sourceId()), 403, "lacks the 'ingest' scope");
    }

    @Test
    void aSourceScopedKeyWritesOnlyItsSource() throws Exception {
        String key = key(List.of("ingest"), tenant.sourceId()).plaintext();
        assertThat(send(key, tenant.sourceId()).statusCode()).isEqualTo(202);
        assertProblem(send(key, otherSource), 403, "may send only to source '" + tenant.sourceId() + "'");
    }

    @Test
    void peopleIngestByRole() throws Exception {
        String member = issuer.rs256(issuer.claims("auth0|gw-member", "m@gw.example", tenant.orgId(), "member")
                .build());
        assertThat(send(member, otherSource).statusCode()).isEqualTo(202);
        String viewer = issuer.rs256(issuer.claims("auth0|gw-viewer", "v@gw.example", tenant.orgId(), "viewer")
                .build());
        assertProblem(send(viewer, otherSource), 403, "Your role 'viewer'");
        String expired = issuer.rs256(issuer.claims("auth0|gw-member", "m@gw.example", tenant.orgId(), "member")
                .issueTime(new java.util.Date(System.currentTimeMillis() - 600_000))
                .expirationTime(new java.util.Date(System.currentTimeMillis() - 120_000))
                .build());
        HttpResponse<String> refused = send(expired, otherSource);
        assertProblem(refused, 401, "Jwt expired at");
        assertThat(refused.headers().firstValue("Connection")).hasValue("close");
    }

    @Test
    void aRevokedKeyStopsWorkingOnTheGatewayWithin5Seconds() throws Exception {
        OrgProvisioning.NewApiKey key = key(List.of("ingest"), null);
        assertThat(send(key.plaintext(), tenant.sourceId()).statusCode()).isEqualTo(202);
        try (Connection c = stack.ownerConnection()) {
            c.setAutoCommit(false);
            OrgScope.enter(c, tenant.orgId());
            try (PreparedStatement ps = c.prepareStatement("update api_key set revoked_at = now() where id = ?")) {
                ps.setString(1, key.id());
                ps.executeUpdate();
            }
            c.commit();
        }
        long revokedAt = System.nanoTime();
        while (send(key.plaintext(), tenant.sourceId()).statusCode() == 202) {
            assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofSeconds(5));
            Thread.sleep(100);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThanOrEqualTo(Duration.ofSeconds(5));
    }
}
