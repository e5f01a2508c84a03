package dev.logai.query.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.logai.common.tenancy.OrgProvisioning;
import dev.logai.common.tenancy.OrgScope;
import dev.logai.common.tenancy.Permissions;
import dev.logai.common.tenancy.Permissions.Role;
import dev.logai.localstack.JwksIssuer;
import dev.logai.localstack.LocalStack;
import dev.logai.localstack.SharedLocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * People and keys through the real query API and Postgres: real RS256/ES256 tokens from a real
 * issuer ({@link JwksIssuer}: keys generated here, JWKS over HTTP), the RFC 8725 attack list, key
 * rotation, every role against every endpoint, members, and API keys created, used and revoked.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class AccountsITCase {
    static final LocalStack stack = SharedLocalStack.get(false);
    static final JwksIssuer issuer = JwksIssuer.startForTests();
    static final String RULE = "{\"name\": \"errors %s\", \"condition\": {\"metric\": \"error_rate\", \"op\": \">\","
            + " \"threshold\": 0.5, \"window\": \"5m\"}, \"channels\": {\"email\": [\"oncall@example.com\"]}}";

    static LocalStack.Tenant a;
    static LocalStack.Tenant b;
    static String uploadId;

    @Value("${local.server.port}")
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", stack.postgres::jdbcUrl);
        registry.add("spring.datasource.username", () -> LocalStack.APP_ROLE);
        registry.add("spring.datasource.password", () -> stack.appPassword);
        registry.add("logai.kafka.bootstrap", stack.kafka::bootstrapServers);
        registry.add("logai.kafka.alert-rules-topic", () -> "it-accounts-rules-" + UUID.randomUUID());
        // a short refetch interval, so the rotation test needs no long wait (production: 30 s)
        issuer.serviceSettings(Duration.ofSeconds(1)).forEach((k, v) -> registry.add(k, () -> v));
    }

    @BeforeAll
    static void data() throws Exception {
        a = stack.createTenant("accounts-a", "api");
        b = stack.createTenant("accounts-b", "api");
        uploadId = "upl_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 20).replaceAll("[0-9]", "a");
        try (Connection c = stack.ownerConnection()) {
            c.setAutoCommit(false);
            OrgScope.enter(c, a.orgId());
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into upload (id, org_id, source_id, object_key, size) values (?, ?, ?, ?, 10)")) {
                ps.setString(1, uploadId);
                ps.setString(2, a.orgId());
                ps.setString(3, a.sourceId());
                ps.setString(4, a.orgId() + "/" + a.sourceId() + "/upload-" + uploadId);
                ps.executeUpdate();
            }
            c.commit();
        }
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    // --- helpers -------------------------------------------------------------------------------

    /** A token of a person of org A (the org claim names A) with {@code role}. */
    static String tokenOf(Role role) throws Exception {
        return issuer.rs256(issuer.claims(
                        "auth0|" + role.wireName() + "-a", role.wireName() + "@a.example", a.orgId(), role.wireName())
                .build());
    }

    HttpResponse<String> call(String method, String path, String bearer, String org, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (org != null) {
            request.header("X-Org-Id", org);
        }
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String bearer) throws Exception {
        return call("GET", path, bearer, null, null);
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        assertThat(m.find()).as(name + " in " + json).isTrue();
        return m.group(1);
    }

    static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    }

    // --- tokens: the attack list ----------------------------------------------------------------

    static Stream<Arguments> refusedTokens() throws Exception {
        JWTClaimsSet valid = issuer.claims("auth0|attacker", "x@a.example", a.orgId(), "owner")
                .build();
        Instant now = Instant.now();
        RSAKey published = issuer.rsaKey();
        RSAKey attacker = JwksIssuer.newRsaKey();
        String good = issuer.rs256(valid);
        String[] parts = good.split("\\.");

        String none = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
        SignedJWT hs = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256)
                        .keyID(published.getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                valid);
        hs.sign(new MACSigner(published.toRSAPublicKey().getEncoded()));
        String tampered = parts[0] + "."
                + Base64URL.encode(
                        valid.toString().replace(a.orgId(), b.orgId()).getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
        return Stream.of(
                Arguments.of("alg none", none),
                Arguments.of("HS256 signed with the RSA public key", hs.serialize()),
                Arguments.of("tampered payload", tampered),
                Arguments.of(
                        "expired",
                        issuer.rs256(new JWTClaimsSet.Builder(valid)
                                .issueTime(Date.from(now.minusSeconds(600)))
                                .expirationTime(Date.from(now.minusSeconds(120)))
                                .build())),
                Arguments.of(
                        "not yet valid",
                        issuer.rs256(new JWTClaimsSet.Builder(valid)
                                .notBeforeTime(Date.from(now.plusSeconds(120)))
                                .build())),
                Arguments.of(
                        "no expiry",
                        issuer.rs256(new JWTClaimsSet.Builder(valid)
                                .expirationTime(null)
                                .build())),
                Arguments.of(
                        "wrong issuer",
                        issuer.rs256(new JWTClaimsSet.Builder(valid)
                                .issuer("https://evil.example/")
                                .build())),
                Arguments.of(
                        "wrong audience",
                        issuer.rs256(new JWTClaimsSet.Builder(valid)
                                .audience("https://other-api.example")
                                .build())),
                Arguments.of(
                        "unknown kid (a key the issuer never published)", JwksIssuer.sign(valid, attacker, h -> {})),
                Arguments.of(
                        "kid of the issuer's key, signed by another key",
                        JwksIssuer.sign(valid, attacker, h -> h.keyID(published.getKeyID()))),
                Arguments.of(
                        "jku pointing at the attacker's JWKS",
                        JwksIssuer.sign(valid, attacker, h -> h.jwkURL(URI.create("http://127.0.0.1:9/jwks.json")))),
                Arguments.of(
                        "embedded jwk header", JwksIssuer.sign(valid, attacker, h -> h.jwk(attacker.toPublicJWK()))),
                Arguments.of(
                        "typ of an ID token's cousin",
                        JwksIssuer.sign(valid, published, h -> h.type(new JOSEObjectType("secevent+jwt")))),
                Arguments.of("not a JWT", "eyJhbGciOiJSUzI1NiJ9.garbage"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedTokens")
    void refusedTokensAre401WithAProblemAndNoData(String attack, String token, CapturedOutput logs) throws Exception {
        HttpResponse<String> response = get("/v1/sources", token);
        assertProblem(response, 401);
        assertThat(response.body()).doesNotContain(a.sourceId(), token);
        // neither the token nor its signature reaches the service's log
        String signature = token.substring(token.lastIndexOf('.') + 1);
        assertThat(logs.getAll()).doesNotContain(token);
        if (!signature.isEmpty()) {
            assertThat(logs.getAll()).doesNotContain(signature);
        }
    }

    @Test
    void es256AtJwtTokensAreAccepted() throws Exception {
        String token = issuer.es256(issuer.claims("auth0|es-viewer", "es@a.example", a.orgId(), "viewer")
                .build());
        HttpResponse<String> response = get("/v1/sources", token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains(a.sourceId());
    }

    @Test
    void rotatedKeysAreFetchedOnceWithoutRestartAndUnknownKidsDoNotFloodTheIssuer() throws Exception {
        assertThat(get("/v1/sources", tokenOf(Role.VIEWER)).statusCode()).isEqualTo(200);
        Thread.sleep(1_100); // past the refetch interval of this test (1 s)
        issuer.rotate();
        String rotated = issuer.rs256(issuer.claims("auth0|viewer-a", "viewer@a.example", a.orgId(), "viewer")
                .build());
        assertThat(get("/v1/sources", rotated).statusCode()).isEqualTo(200);

        int before = issuer.jwksRequests();
        RSAKey attacker = JwksIssuer.newRsaKey();
        long started = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            JWTClaimsSet claims =
                    issuer.claims("auth0|x" + i, null, a.orgId(), null).build();
            String random = JwksIssuer.sign(claims, attacker, h -> h.keyID("kid-" + UUID.randomUUID()));
            assertProblem(get("/v1/sources", random), 401);
        }
        // Nimbus' rate-limited source allows two fetches per refetch interval (1 s here; one is
        // left for a legitimate rotation), however many unknown kids: the ten requests touch the
        // interval open when they start and one more per second they take (a run on the first
        // interval's edge: 1 + 2 + 2·seconds). Ten fetches would be a flood.
        long intervals = (System.nanoTime() - started) / 1_000_000_000L;
        assertThat(issuer.jwksRequests() - before)
                .as("JWKS fetches for 10 unknown kids in %d full refetch intervals", intervals)
                .isLessThanOrEqualTo(3 + 2 * (int) intervals);
    }

    // --- orgs -------------------------------------------------------------------------------------

    @Test
    void theOrgOfARequestIsExplicitAndChecked() throws Exception {
        String admin = tokenOf(Role.ADMIN);
        // The token names org A; asking for org B is refused without a word about B.
        HttpResponse<String> otherOrg = call("GET", "/v1/sources", admin, b.orgId(), null);
        assertProblem(otherOrg, 403);
        assertThat(otherOrg.body()).doesNotContain(b.sourceId());
        // A's token on B's ids: 404, nothing leaked.
        assertProblem(get("/v1/sources/" + b.sourceId(), admin), 404);
        HttpResponse<String> bKeys = call("GET", "/v1/api-keys", b.apiKey(), null, null);
        assertProblem(bKeys, 403); // keys never manage keys
        assertProblem(call("DELETE", "/v1/api-keys/key_" + "bbbb", admin, null, null), 404);
        // No org at all: the token has no org claim and no X-Org-Id is sent.
        String orgless = issuer.rs256(
                issuer.claims("auth0|nobody", "n@x.example", null, null).build());
        assertProblem(get("/v1/sources", orgless), 400);
    }

    @Test
    void aPersonInTwoOrgsNamesTheOrgWithXOrgId() throws Exception {
        String sub = "auth0|two-orgs-" + UUID.randomUUID();
        String token = issuer.rs256(
                issuer.claims(sub, "two@orgs.example", a.orgId(), "admin").build());
        assertThat(get("/v1/sources", token).statusCode()).isEqualTo(200);
        // invited into B by B's owner, then the same identity works in B via the header
        String bOwner = issuer.rs256(issuer.claims("auth0|owner-b", "owner@b.example", b.orgId(), "owner")
                .build());
        HttpResponse<String> invite =
                call("POST", "/v1/members", bOwner, null, "{\"email\": \"Two@Orgs.example\", \"role\": \"viewer\"}");
        assertThat(invite.statusCode()).as(invite.body()).isEqualTo(201);
        HttpResponse<String> inB = call("GET", "/v1/sources", token, b.orgId(), null);
        assertThat(inB.statusCode()).as(inB.body()).isEqualTo(200);
        assertThat(inB.body()).contains(b.sourceId()).doesNotContain(a.sourceId());
        // viewer in B: no writes there, though admin in A
        assertProblem(call("POST", "/v1/sources", token, b.orgId(), "{\"name\": \"x\"}"), 403);
    }

    // --- members ----------------------------------------------------------------------------------

    @Test
    void membersAreInvitedChangedAndRemovedAndTheLastOwnerStays() throws Exception {
        LocalStack.Tenant t = stack.createTenant("members-" + UUID.randomUUID(), "api");
        String owner = issuer.rs256(issuer.claims("auth0|solo-owner-" + t.orgId(), "solo@t.example", t.orgId(), "owner")
                .build());
        HttpResponse<String> list = get("/v1/members", owner);
        assertThat(list.body()).contains("\"role\":\"owner\"", "\"status\":\"active\"");
        String ownerId = field(list.body(), "id");

        assertProblem(call("PATCH", "/v1/members/" + ownerId, owner, null, "{\"role\": \"admin\"}"), 409);
        assertProblem(call("DELETE", "/v1/members/" + ownerId, owner, null, null), 409);

        HttpResponse<String> invited =
                call("POST", "/v1/members", owner, null, "{\"email\": \"new@t.example\", \"role\": \"admin\"}");
        assertThat(invited.statusCode()).as(invited.body()).isEqualTo(201);
        assertThat(invited.body()).contains("\"status\":\"invited\"");
        assertProblem(
                call("POST", "/v1/members", owner, null, "{\"email\": \"new@t.example\", \"role\": \"viewer\"}"), 409);
        assertProblem(call("POST", "/v1/members", owner, null, "{\"email\": \"nope\", \"role\": \"viewer\"}"), 400);
        assertProblem(call("POST", "/v1/members", owner, null, "{\"email\": \"a@b.c\", \"role\": \"god\"}"), 400);
        String newId = field(invited.body(), "id");

        // first sign-in with the invited e-mail (no org claim): bound to the invitation
        String invitee = issuer.rs256(issuer.claims("auth0|new-" + t.orgId(), "NEW@t.example", null, null)
                .build());
        assertThat(call("GET", "/v1/members", invitee, t.orgId(), null).body()).contains("\"status\":\"active\"");
        // an admin may not touch owners nor grant owner
        assertProblem(call("PATCH", "/v1/members/" + ownerId, invitee, t.orgId(), "{\"role\": \"viewer\"}"), 403);
        assertProblem(
                call("POST", "/v1/members", invitee, t.orgId(), "{\"email\": \"o@t.example\", \"role\": \"owner\"}"),
                403);

        // the owner demotes the admin: effective at once on this service
        HttpResponse<String> demoted = call("PATCH", "/v1/members/" + newId, owner, null, "{\"role\": \"viewer\"}");
        assertThat(demoted.body()).contains("\"role\":\"viewer\"");
        assertProblem(
                call("POST", "/v1/members", invitee, t.orgId(), "{\"email\": \"z@t.example\", \"role\": \"viewer\"}"),
                403);
        // removed: no longer a member, even though the same valid token is sent again
        assertThat(call("DELETE", "/v1/members/" + newId, owner, null, null).statusCode())
                .isEqualTo(204);
        assertProblem(call("GET", "/v1/sources", invitee, t.orgId(), null), 403);
        // a second owner lets the first step down
        String second = field(
                call("POST", "/v1/members", owner, null, "{\"email\": \"two@t.example\", \"role\": \"owner\"}")
                        .body(),
                "id");
        assertThat(second).isNotBlank();
        assertThat(call("PATCH", "/v1/members/" + ownerId, owner, null, "{\"role\": \"admin\"}")
                        .statusCode())
                .isEqualTo(200);
    }

    // --- API keys ---------------------------------------------------------------------------------

    @Test
    void anAdminCreatesListsUsesAndRevokesKeys(CapturedOutput logs) throws Exception {
        String admin = tokenOf(Role.ADMIN);
        HttpResponse<String> created = call(
                "POST",
                "/v1/api-keys",
                admin,
                null,
                "{\"name\": \"dashboard reader\", \"scopes\": [\"read\"], \"expires_at\": \"2031-01-01T00:00:00Z\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String key = field(created.body(), "key");
        String id = field(created.body(), "id");
        assertThat(key).startsWith("lgai_");

        HttpResponse<String> listed = get("/v1/api-keys", admin);
        assertThat(listed.body())
                .contains(id, "\"prefix\":\"" + key.substring(0, 11) + "\"", "\"scopes\":[\"read\"]")
                .doesNotContain(key);

        assertThat(get("/v1/sources", key).statusCode()).isEqualTo(200);
        assertProblem(call("POST", "/v1/sources", key, null, "{\"name\": \"by-reader\"}"), 403);
        assertThat(get("/v1/api-keys", admin).body()).contains("\"last_used_at\":\"");

        assertThat(logs.getAll()).doesNotContain(key, admin);
        assertThat(call("DELETE", "/v1/api-keys/" + id, admin, null, null).statusCode())
                .isEqualTo(204);
        assertProblem(get("/v1/sources", key), 401);

        Map<String, Integer> refused = Map.of(
                "{\"name\": \"x\", \"scopes\": [\"admin\"]}",
                400,
                "{\"name\": \"x\", \"scopes\": [\"read\"], \"expires_at\": \"2001-01-01T00:00:00Z\"}",
                400,
                "{\"name\": \"\", \"scopes\": [\"read\"]}",
                400,
                "{\"name\": \"x\", \"scopes\": [\"ingest\"], \"source_id\": \"" + b.sourceId() + "\"}",
                404);
        for (Map.Entry<String, Integer> body : refused.entrySet()) {
            assertProblem(call("POST", "/v1/api-keys", admin, null, body.getKey()), body.getValue());
        }
    }

    @Test
    void aKeyRevokedElsewhereStopsWorkingWithin5Seconds() throws Exception {
        String key;
        String keyId;
        try (Connection c = stack.ownerConnection()) {
            c.setAutoCommit(false);
            OrgProvisioning.NewApiKey created = OrgProvisioning.createApiKey(c, a.orgId(), "revoked elsewhere");
            key = created.plaintext();
            keyId = created.id();
            c.commit();
        }
        assertThat(get("/v1/sources", key).statusCode()).isEqualTo(200); // now cached here
        // revoked as another service would: in the database, without this service's cache knowing
        try (Connection c = stack.ownerConnection()) {
            c.setAutoCommit(false);
            OrgScope.enter(c, a.orgId());
            try (PreparedStatement ps = c.prepareStatement("update api_key set revoked_at = now() where id = ?")) {
                ps.setString(1, keyId);
                ps.executeUpdate();
            }
            c.commit();
        }
        long revokedAt = System.nanoTime();
        while (get("/v1/sources", key).statusCode() == 200) {
            assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofSeconds(5));
            Thread.sleep(100);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThanOrEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void anExpiredKeyIs401() throws Exception {
        String key;
        try (Connection c = stack.ownerConnection()) {
            c.setAutoCommit(false);
            key = OrgProvisioning.createApiKey(
                            c,
                            a.orgId(),
                            "expired",
                            List.of("read"),
                            null,
                            Instant.now().minusSeconds(1),
                            null)
                    .plaintext();
            c.commit();
        }
        assertProblem(get("/v1/sources", key), 401);
    }

    // --- every role against every endpoint --------------------------------------------------------

    /** One endpoint: its permission and how to call it (preparing what the call needs, as an owner). */
    record Endpoint(String method, String pattern, String permission, Function<Role, HttpRequestSpec> request) {}

    record HttpRequestSpec(String path, String json) {}

    final AtomicInteger seq = new AtomicInteger();

    String createAsOwner(String path, String json) throws Exception {
        HttpResponse<String> created = call("POST", path, tokenOf(Role.OWNER), null, json);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return field(created.body(), "id");
    }

    /** A new alert rule of org A, made by its owner: its id. */
    String newRule() {
        return unchecked(() -> createAsOwner("/v1/alert-rules", RULE.formatted(seq.incrementAndGet())));
    }

    /** A new invited viewer of org A, made by its owner: its id. */
    String newInvitee() {
        return unchecked(() -> createAsOwner(
                "/v1/members", "{\"email\": \"i" + seq.incrementAndGet() + "@a.example\", \"role\": \"viewer\"}"));
    }

    List<Endpoint> endpoints() {
        String src = a.sourceId();
        return List.of(
                new Endpoint("GET", "/v1/sources", "read", r -> new HttpRequestSpec("/v1/sources", null)),
                new Endpoint("GET", "/v1/sources/{id}", "read", r -> new HttpRequestSpec("/v1/sources/" + src, null)),
                new Endpoint(
                        "POST",
                        "/v1/sources",
                        "sources",
                        r -> new HttpRequestSpec(
                                "/v1/sources",
                                "{\"name\": \"matrix-" + r.wireName() + "-" + seq.incrementAndGet() + "\"}")),
                new Endpoint(
                        "GET", "/v1/windows", "read", r -> new HttpRequestSpec("/v1/windows?source_id=" + src, null)),
                new Endpoint(
                        "GET",
                        "/v1/anomalies",
                        "read",
                        r -> new HttpRequestSpec("/v1/anomalies?source_id=" + src, null)),
                new Endpoint(
                        "GET",
                        "/v1/summaries",
                        "read",
                        r -> new HttpRequestSpec("/v1/summaries?source_id=" + src, null)),
                new Endpoint(
                        "GET", "/v1/patterns", "read", r -> new HttpRequestSpec("/v1/patterns?source_id=" + src, null)),
                new Endpoint(
                        "GET",
                        "/v1/patterns/{templateId}",
                        "read",
                        r -> new HttpRequestSpec("/v1/patterns/00000000000000a1?source_id=" + src, null)),
                new Endpoint("GET", "/v1/uploads", "read", r -> new HttpRequestSpec("/v1/uploads", null)),
                new Endpoint(
                        "GET", "/v1/uploads/{id}", "read", r -> new HttpRequestSpec("/v1/uploads/" + uploadId, null)),
                new Endpoint("GET", "/v1/alerts", "read", r -> new HttpRequestSpec("/v1/alerts", null)),
                new Endpoint("GET", "/v1/alert-rules", "read", r -> new HttpRequestSpec("/v1/alert-rules", null)),
                new Endpoint(
                        "GET",
                        "/v1/alert-rules/{id}",
                        "read",
                        r -> new HttpRequestSpec("/v1/alert-rules/" + newRule(), null)),
                new Endpoint(
                        "POST",
                        "/v1/alert-rules",
                        "alerts",
                        r -> new HttpRequestSpec("/v1/alert-rules", RULE.formatted(seq.incrementAndGet()))),
                new Endpoint(
                        "PATCH",
                        "/v1/alert-rules/{id}",
                        "alerts",
                        r -> new HttpRequestSpec("/v1/alert-rules/" + newRule(), "{\"is_active\": false}")),
                new Endpoint(
                        "DELETE",
                        "/v1/alert-rules/{id}",
                        "alerts",
                        r -> new HttpRequestSpec("/v1/alert-rules/" + newRule(), null)),
                new Endpoint("GET", "/v1/ai/usage", "read", r -> new HttpRequestSpec("/v1/ai/usage", null)),
                new Endpoint(
                        "PUT",
                        "/v1/ai/budget",
                        "budget",
                        r -> new HttpRequestSpec("/v1/ai/budget", "{\"monthly_usd\": 50, \"share_cache\": false}")),
                new Endpoint("GET", "/v1/api-keys", "keys", r -> new HttpRequestSpec("/v1/api-keys", null)),
                new Endpoint(
                        "POST",
                        "/v1/api-keys",
                        "keys",
                        r -> new HttpRequestSpec(
                                "/v1/api-keys",
                                "{\"name\": \"matrix\", \"scopes\": [\"ingest\"], \"source_id\": \"" + src + "\"}")),
                new Endpoint(
                        "DELETE",
                        "/v1/api-keys/{id}",
                        "keys",
                        r -> unchecked(() -> new HttpRequestSpec(
                                "/v1/api-keys/"
                                        + createAsOwner(
                                                "/v1/api-keys", "{\"name\": \"doomed\", \"scopes\": [\"read\"]}"),
                                null))),
                new Endpoint("GET", "/v1/members", "read", r -> new HttpRequestSpec("/v1/members", null)),
                // the dashboard's reads (issue 22)
                new Endpoint("GET", "/v1/me", "read", r -> new HttpRequestSpec("/v1/me", null)),
                new Endpoint("GET", "/v1/overview", "read", r -> new HttpRequestSpec("/v1/overview", null)),
                new Endpoint(
                        "GET",
                        "/v1/windows/histogram",
                        "read",
                        r -> new HttpRequestSpec("/v1/windows/histogram?source_id=" + src, null)),
                new Endpoint(
                        "GET",
                        "/v1/patterns/trends",
                        "read",
                        r -> new HttpRequestSpec(
                                "/v1/patterns/trends?source_id=" + src
                                        + "&since=2024-01-01T00:00:00Z&until=2024-01-02T00:00:00Z",
                                null)),
                new Endpoint("GET", "/v1/search", "read", r -> new HttpRequestSpec("/v1/search?q=matrix", null)),
                new Endpoint(
                        "GET",
                        "/v1/summaries/{id}",
                        "read",
                        r -> new HttpRequestSpec("/v1/summaries/sum_matrix", null)),
                new Endpoint(
                        "POST",
                        "/v1/alert-rules/preview",
                        "read",
                        r -> new HttpRequestSpec(
                                "/v1/alert-rules/preview",
                                "{\"source_id\": \"" + src
                                        + "\", \"condition\": {\"metric\": \"error_rate\", \"op\": \">\","
                                        + " \"threshold\": 0.5}}")),
                new Endpoint(
                        "POST",
                        "/v1/members",
                        "members",
                        r -> new HttpRequestSpec(
                                "/v1/members",
                                "{\"email\": \"invitee-" + seq.incrementAndGet()
                                        + "@a.example\", \"role\": \"viewer\"}")),
                new Endpoint(
                        "PATCH",
                        "/v1/members/{id}",
                        "members",
                        r -> new HttpRequestSpec("/v1/members/" + newInvitee(), "{\"role\": \"member\"}")),
                new Endpoint(
                        "DELETE",
                        "/v1/members/{id}",
                        "members",
                        r -> new HttpRequestSpec("/v1/members/" + newInvitee(), null)),
                new Endpoint(
                        "DELETE",
                        "/v1/sources/{id}",
                        "sources",
                        r -> unchecked(() -> new HttpRequestSpec("/v1/sources/" + doomedSource(), null))),
                new Endpoint(
                        "GET", "/v1/anomaly-settings", "read", r -> new HttpRequestSpec("/v1/anomaly-settings", null)),
                new Endpoint(
                        "PUT",
                        "/v1/anomaly-settings",
                        "alerts",
                        r -> new HttpRequestSpec("/v1/anomaly-settings", "{\"sensitivity\": \"medium\"}")),
                new Endpoint(
                        "PUT",
                        "/v1/sources/{id}/anomaly-settings",
                        "alerts",
                        r -> new HttpRequestSpec(
                                "/v1/sources/" + src + "/anomaly-settings", "{\"sensitivity\": null}")),
                new Endpoint("GET", "/v1/usage", "read", r -> new HttpRequestSpec("/v1/usage", null)),
                new Endpoint("GET", "/v1/org", "read", r -> new HttpRequestSpec("/v1/org", null)),
                new Endpoint(
                        "PUT", "/v1/org/plan", "org", r -> new HttpRequestSpec("/v1/org/plan", "{\"plan\": \"team\"}")),
                // an owner's call is answered 409 (the confirmation is not the org's name): checked below
                new Endpoint(
                        "DELETE",
                        "/v1/org",
                        "org",
                        r -> new HttpRequestSpec("/v1/org", "{\"confirm\": \"not the name\"}")));
    }

    /** A source of org A made for one delete call (outside the plan's quota: not through the API). */
    static String doomedSource() throws Exception {
        try (Connection c = stack.ownerConnection()) {
            c.setAutoCommit(false);
            String id = OrgProvisioning.createSource(c, a.orgId(), "doomed-" + UUID.randomUUID(), "production");
            c.commit();
            return id;
        }
    }

    interface Call<T> {
        T run() throws Exception;
    }

    static <T> T unchecked(Call<T> call) {
        try {
            return call.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyRoleAgainstEveryEndpoint() throws Exception {
        try (Connection c = stack.ownerConnection()) {
            c.setAutoCommit(false);
            OrgScope.enter(c, a.orgId());
            try (PreparedStatement ps = c.prepareStatement("insert into pattern (org_id, source_id, template_id,"
                    + " template, first_seen, last_seen) values (?, ?, '00000000000000a1', 'x <*>', ?, ?)"
                    + " on conflict do nothing")) {
                ps.setString(1, a.orgId());
                ps.setString(2, a.sourceId());
                ps.setTimestamp(3, Timestamp.from(Instant.now()));
                ps.setTimestamp(4, Timestamp.from(Instant.now()));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("insert into summary (id, org_id, source_id, severity,"
                    + " title) values ('sum_matrix', ?, ?, 'low', 'matrix') on conflict do nothing")) {
                ps.setString(1, a.orgId());
                ps.setString(2, a.sourceId());
                ps.executeUpdate();
            }
            c.commit();
        }
        List<Endpoint> endpoints = endpoints();
        // every /v1/ endpoint the API serves is in the matrix: a new one must be added here
        Set<String> served = new TreeSet<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> e :
                mappings.getHandlerMethods().entrySet()) {
            for (String pattern : e.getKey().getPatternValues()) {
                if (pattern.startsWith("/v1/")) {
                    e.getKey().getMethodsCondition().getMethods().forEach(m -> served.add(m.name() + " " + pattern));
                }
            }
        }
        Set<String> covered = new TreeSet<>();
        endpoints.forEach(e -> covered.add(e.method() + " " + e.pattern()));
        assertThat(covered).isEqualTo(served);

        List<String> wrong = new ArrayList<>();
        for (Role role : Role.values()) {
            String token = tokenOf(role);
            for (Endpoint endpoint : endpoints) {
                HttpRequestSpec spec = endpoint.request().apply(role);
                HttpResponse<String> response = call(endpoint.method(), spec.path(), token, null, spec.json());
                boolean allowed = role.permissions().contains(endpoint.permission());
                boolean ok = allowed
                        ? response.statusCode() / 100 == 2
                                || (endpoint.method().equals("DELETE")
                                        && endpoint.pattern().equals("/v1/org")
                                        && response.statusCode() == 409
                                        && response.body().contains("Nothing was deleted"))
                        : response.statusCode() == 403
                                && response.headers()
                                        .firstValue("Content-Type")
                                        .orElse("")
                                        .startsWith("application/problem+json")
                                && response.body().contains("Your role '" + role.wireName() + "'");
                if (!ok) {
                    wrong.add(role.wireName() + " " + endpoint.method() + " " + spec.path() + " -> "
                            + response.statusCode() + " " + response.body());
                }
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(Permissions.Role.OWNER.permissions()).contains(Permissions.ORG);
    }
}
