package dev.logai.localstack;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A real token issuer for the services' sign-in tests: an RSA and an EC signing key generated at
 * start, their public halves served as a JWKS ({@code GET /jwks.json}, RFC 7517) over HTTP on
 * 127.0.0.1, and access tokens signed with them (Nimbus JOSE+JWT). Keys can be rotated mid-test
 * ({@link #rotate}); {@link #jwksRequests} counts fetches, to show that unknown key ids do not
 * flood the issuer. Test support only: {@code ./logai up} runs Spring Authorization Server instead.
 */
public final class JwksIssuer implements AutoCloseable {
    /** The audience tokens are issued for, as the services are configured with in tests. */
    public static final String AUDIENCE = "https://api.logai.test";

    private final HttpServer server;
    private final List<JWK> published = new CopyOnWriteArrayList<>();
    private final AtomicInteger jwksRequests = new AtomicInteger();
    private volatile RSAKey rsa;
    private final ECKey ec;

    private JwksIssuer(HttpServer server) throws JOSEException {
        this.server = server;
        this.rsa = newRsaKey();
        this.ec =
                new ECKeyGenerator(Curve.P_256).keyID("ec-" + UUID.randomUUID()).generate();
        published.add(rsa.toPublicJWK());
        published.add(ec.toPublicJWK());
        server.createContext("/jwks.json", exchange -> {
            jwksRequests.incrementAndGet();
            byte[] body = new JWKSet(List.copyOf(published)).toString(true).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** Starts an issuer on a free port of 127.0.0.1. */
    public static JwksIssuer start() throws IOException, JOSEException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        return new JwksIssuer(server);
    }

    /**
     * Starts an issuer for a test class's static field.
     *
     * @throws IllegalStateException when no port or key can be had
     */
    public static JwksIssuer startForTests() {
        try {
            return start();
        } catch (IOException | JOSEException e) {
            throw new IllegalStateException("Could not start the test token issuer", e);
        }
    }

    /**
     * The services' settings that make them trust this issuer ({@code logai.oidc.*}), with {@code
     * refetchInterval} between refetches for an unknown {@code kid}.
     */
    public java.util.Map<String, String> serviceSettings(java.time.Duration refetchInterval) {
        return java.util.Map.of(
                "logai.oidc.issuer",
                issuer(),
                "logai.oidc.audience",
                AUDIENCE,
                "logai.oidc.jwks-uri",
                jwksUri(),
                "logai.oidc.jwks-refetch-interval",
                refetchInterval.toMillis() + "ms");
    }

    /** The issuer ({@code iss}) of its tokens: its base URL with a trailing slash, as Auth0's. */
    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** Where its keys are published. */
    public String jwksUri() {
        return issuer() + "jwks.json";
    }

    /** How many times the JWKS was fetched so far. */
    public int jwksRequests() {
        return jwksRequests.get();
    }

    /** The current RSA signing key (private half included), for tests that forge with its public half. */
    public RSAKey rsaKey() {
        return rsa;
    }

    /** A fresh RSA key that is not published: an attacker's. */
    public static RSAKey newRsaKey() throws JOSEException {
        return new RSAKeyGenerator(2048).keyID("rsa-" + UUID.randomUUID()).generate();
    }

    /**
     * Rotates the RSA key: a new one is published and used from now on; the old one is withdrawn
     * from the JWKS (tokens it signed stop verifying once the services refetch).
     */
    public void rotate() throws JOSEException {
        RSAKey old = rsa;
        rsa = newRsaKey();
        published.add(rsa.toPublicJWK());
        published.removeIf(k -> k.getKeyID().equals(old.getKeyID()));
    }

    /**
     * Valid claims for a person: {@code iss}, {@code aud}, {@code sub}, {@code iat}, {@code exp} in
     * 5 minutes, {@code email}, and the namespaced org and role claims when given.
     *
     * @param orgId null: no org claim
     * @param role null: no role claim
     */
    public JWTClaimsSet.Builder claims(String sub, String email, String orgId, String role) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer())
                .audience(AUDIENCE)
                .subject(sub)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .claim("email", email);
        if (orgId != null) {
            claims.claim("https://logai.dev/org_id", orgId);
        }
        if (role != null) {
            claims.claim("https://logai.dev/role", role);
        }
        return claims;
    }

    /** The claims signed RS256 with the current key, {@code typ: JWT}. */
    public String rs256(JWTClaimsSet claims) throws JOSEException {
        return sign(claims, rsa, header -> {});
    }

    /** The claims signed ES256 with the EC key, {@code typ: at+jwt} (RFC 9068). */
    public String es256(JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.ES256)
                        .keyID(ec.getKeyID())
                        .type(new JOSEObjectType("at+jwt"))
                        .build(),
                claims);
        jwt.sign(new ECDSASigner(ec));
        return jwt.serialize();
    }

    /**
     * The claims signed RS256 with {@code key} (published or not), {@code typ: JWT} and the key's
     * id, after {@code header} adjusted the header (a {@code jku}, another {@code kid}, …).
     */
    public static String sign(JWTClaimsSet claims, RSAKey key, Consumer<JWSHeader.Builder> header)
            throws JOSEException {
        JWSHeader.Builder builder =
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT);
        header.accept(builder);
        SignedJWT jwt = new SignedJWT(builder.build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
