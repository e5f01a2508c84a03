package dev.logai.localissuer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.common.auth.AccessTokens;
import dev.logai.common.auth.OidcSettings;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The local issuer as {@code ./logai up} runs it, over HTTP: a person signs in with the login form
 * (authorization code with PKCE, as the dashboard will), the CLI gets a token with client
 * credentials, and both tokens pass the services' own validator ({@link AccessTokens}) with the
 * claims that make them the same member of the local org.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class LocalIssuerITCase {
    static final String SECRET = "local-secret-" + Long.toHexString(new SecureRandom().nextLong());
    static final String REDIRECT = "http://127.0.0.1:3000/api/auth/callback/logai";
    static final String AUDIENCE = "https://api.logai.local";

    /** A free port chosen up front: the issuer's URL (its {@code iss}) must be known before it starts. */
    static final int port = freePort();

    static int freePort() {
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("logai.local-issuer.org-id", () -> "org_local");
        registry.add("logai.local-issuer.secret", () -> SECRET);
        registry.add("server.port", () -> port);
        registry.add("logai.local-issuer.issuer", () -> "http://127.0.0.1:" + port);
        registry.add("logai.local-issuer.redirect-uris", () -> REDIRECT);
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    AccessTokens servicesValidator() {
        return new AccessTokens(new OidcSettings(
                base(),
                AUDIENCE,
                base() + "/oauth2/jwks",
                "https://logai.dev/",
                "email",
                Duration.ofSeconds(30),
                Duration.ofMinutes(15),
                Duration.ofSeconds(30)));
    }

    static String json(String body, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":\"([^\"]+)\"").matcher(body);
        assertThat(m.find()).as(field + " in " + body).isTrue();
        return m.group(1);
    }

    static HttpRequest.BodyPublisher form(String... pairs) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return HttpRequest.BodyPublishers.ofString(sb.toString());
    }

    /** The token endpoint's answer to a client-credentials grant of {@code client} with {@code secret}. */
    HttpResponse<String> clientCredentials(String client, String secret) throws Exception {
        String basic = Base64.getEncoder().encodeToString((client + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(base() + "/oauth2/token"))
                                .header("Authorization", "Basic " + basic)
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(form("grant_type", "client_credentials"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theCliGetsARoleTokenTheServicesAccept() throws Exception {
        HttpResponse<String> token = clientCredentials("logai-cli-admin", SECRET);
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        Jwt jwt = servicesValidator().validate(json(token.body(), "access_token"));
        assertThat(jwt.getSubject()).isEqualTo("local|admin");
        assertThat(jwt.getClaimAsString("https://logai.dev/org_id")).isEqualTo("org_local");
        assertThat(jwt.getClaimAsString("https://logai.dev/role")).isEqualTo("admin");
        assertThat(jwt.getHeaders()).containsEntry("typ", "at+jwt");

        HttpResponse<String> wrongSecret = clientCredentials("logai-cli-admin", "nope");
        assertThat(wrongSecret.statusCode()).isEqualTo(401);
    }

    @Test
    void aPersonSignsInWithTheLoginFormAndPkce() throws Exception {
        HttpClient browser = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String challenge = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String authorize =
                base() + "/oauth2/authorize?response_type=code&client_id=logai-dashboard&scope=openid%20email"
                        + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8) + "&state=s1"
                        + "&code_challenge=" + challenge + "&code_challenge_method=S256";

        HttpResponse<String> first = browser.send(
                HttpRequest.newBuilder(URI.create(authorize))
                        .header("Accept", "text/html")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).isEqualTo(302);
        String loginPage = browser.send(
                        HttpRequest.newBuilder(URI.create(base() + "/login")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(loginPage);
        assertThat(csrf.find()).as(loginPage).isTrue();
        HttpResponse<String> login = browser.send(
                HttpRequest.newBuilder(URI.create(base() + "/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(form("username", "member@logai.local", "password", SECRET, "_csrf", csrf.group(1)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(302);
        String next = login.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> code = browser.send(
                HttpRequest.newBuilder(URI.create(next))
                        .header("Accept", "text/html")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(code.statusCode()).isEqualTo(302);
        String callback = code.headers().firstValue("Location").orElseThrow();
        assertThat(callback).startsWith(REDIRECT).contains("state=s1");
        Matcher m = Pattern.compile("[?&]code=([^&]+)").matcher(callback);
        assertThat(m.find()).isTrue();

        HttpResponse<String> token = browser.send(
                HttpRequest.newBuilder(URI.create(base() + "/oauth2/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(form(
                                "grant_type",
                                "authorization_code",
                                "client_id",
                                "logai-dashboard",
                                "code",
                                URLDecoder.decode(m.group(1), StandardCharsets.UTF_8),
                                "redirect_uri",
                                REDIRECT,
                                "code_verifier",
                                verifier))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        Jwt jwt = servicesValidator().validate(json(token.body(), "access_token"));
        assertThat(jwt.getSubject()).isEqualTo("local|member");
        assertThat(jwt.getClaimAsString("email")).isEqualTo("member@logai.local");
        assertThat(jwt.getClaimAsString("https://logai.dev/role")).isEqualTo("member");
    }
}
