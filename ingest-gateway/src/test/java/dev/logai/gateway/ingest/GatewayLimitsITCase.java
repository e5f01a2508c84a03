package dev.logai.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.localstack.LocalStack;
import dev.logai.localstack.RawHttp;
import dev.logai.localstack.SharedLocalStack;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The real gateway with small budgets, against hostile and heavy clients: memory by bytes in
 * flight, per-org fairness, bodies of clients without a key neither read nor swallowed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayLimitsITCase {
    static final String TOPIC = "gateway-limits-" + UUID.randomUUID();
    static final int MAX_BODY = 1024 * 1024;
    static final int MAX_LINE = 1024;
    static final long ORG_BUDGET = 2_000_000;
    static final long GLOBAL_BUDGET = 5_000_000;
    static final LocalStack stack = SharedLocalStack.get(false);

    @Value("${local.server.port}")
    int port;

    @Autowired
    IngestAdmission admission;

    final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TestGateways.onStack(registry, stack, TOPIC, 1, MAX_BODY, MAX_LINE);
        registry.add("logai.ingest.in-flight-bytes", () -> GLOBAL_BUDGET);
        registry.add("logai.ingest.org-in-flight-bytes", () -> ORG_BUDGET);
        registry.add("logai.ingest.admission-wait", () -> "300ms");
        // Were Tomcat to swallow a refused body, it would read all of it: the tests would hang.
        registry.add("server.tomcat.max-swallow-size", () -> "-1");
        registry.add("server.tomcat.connection-timeout", () -> "30s");
        registry.add("logai.http.slow-body-grace", () -> "2s");
        registry.add("logai.auth.failed-per-ip-per-minute", () -> 5);
    }

    static LocalStack.Tenant holder;
    static LocalStack.Tenant bystander;

    @BeforeAll
    static void tenants() throws Exception {
        holder = stack.createTenant("budget-holder", "svc");
        bystander = stack.createTenant("budget-bystander", "svc");
    }

    private HttpResponse<String> post(LocalStack.Tenant t, byte[] body) throws Exception {
        return http.send(
                t.streamRequest("http://127.0.0.1:" + port, body)
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String head(LocalStack.Tenant t, long contentLength) {
        return "POST /v1/logs/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + (t == null ? "" : "Authorization: Bearer " + t.apiKey() + "\r\nX-Source-Id: " + t.sourceId() + "\r\n")
                + "Content-Type: text/plain\r\nContent-Length: " + contentLength + "\r\n\r\n";
    }

    @Test
    void anUnauthenticatedHugeBodyIs401AtOnceAndTheConnectionIsClosedUnread() throws Exception {
        long hundredMiB = 100L * 1024 * 1024;
        try (RawHttp client = RawHttp.connect(port, 5_000)) {
            client.send(head(null, hundredMiB));
            String response = client.readUntilClosed(64 * 1024);
            assertThat(response)
                    .startsWith("HTTP/1.1 401")
                    .containsIgnoringCase("Connection: close")
                    .contains("application/problem+json");
            // The server is gone: the body cannot be delivered (were it swallowed, all 100 MiB would be).
            assertThat(client.writeUntilRefused(hundredMiB)).isLessThan(hundredMiB);
        }
        // The same path spelled with an escaped letter is the same endpoint, answered the same way.
        try (RawHttp client = RawHttp.connect(port, 5_000)) {
            client.send(head(null, hundredMiB).replace("/v1/logs/stream", "/%761/logs/stream"));
            assertThat(client.readUntilClosed(64 * 1024))
                    .startsWith("HTTP/1.1 401")
                    .containsIgnoringCase("Connection: close");
        }
    }

    @Test
    void aDeclaredOversizedBodyIs413BeforeAByteIsRead() throws Exception {
        try (RawHttp client = RawHttp.connect(port, 5_000)) {
            client.send(head(bystander, 50L * MAX_BODY));
            String response = client.readUntilClosed(64 * 1024);
            assertThat(response).startsWith("HTTP/1.1 413").contains("application/problem+json");
            assertThat(client.writeUntilRefused(50L * MAX_BODY)).isLessThan(50L * MAX_BODY);
        }
    }

    @Test
    void aBodyDrippingSlowerThanTheMinimumRateIs408AfterTheGracePeriod() throws Exception {
        try (RawHttp client = RawHttp.connect(port, 15_000)) {
            client.send(head(bystander, 10_000));
            Thread dripper = new Thread(() -> {
                try {
                    for (int i = 0; i < 60; i++) {
                        client.send("drip line\n");
                        Thread.sleep(250);
                    }
                } catch (IOException | InterruptedException closed) {
                    // the server gave up on this body
                }
            });
            dripper.start();
            long started = System.nanoTime();
            String response = client.readUntilClosed(64 * 1024);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            assertThat(response).startsWith("HTTP/1.1 408").contains("application/problem+json");
            assertThat(seconds).isLessThan(10); // 60 drips would take 15 s
            dripper.join(20_000);
        }
    }

    @Test
    void failedAuthenticationsAreLimitedPerAddressAndKnownKeysStillWork() throws Exception {
        String from = "127.0.0.2";
        String valid = head(bystander, 6) + "hello\n";
        String unknownKey = valid.replace(bystander.apiKey(), "lgai_" + "b".repeat(40));
        assertThat(exchange(from, valid)).startsWith("HTTP/1.1 202");
        for (int i = 0; i < 5; i++) {
            assertThat(exchange(from, unknownKey)).startsWith("HTTP/1.1 401");
        }
        assertThat(exchange(from, unknownKey)).startsWith("HTTP/1.1 429").contains("Retry-After: 60");
        assertThat(exchange(from, head(null, 0))).startsWith("HTTP/1.1 429");
        assertThat(exchange(from, valid)).as("a key already known").startsWith("HTTP/1.1 202");
        assertThat(exchange("127.0.0.3", unknownKey)).as("another address").startsWith("HTTP/1.1 401");
        // past the key cache (4 s), a key valid within the hour is looked up again, not refused:
        // a shared address (NAT, proxy) under a flood of guesses keeps its valid clients
        Thread.sleep(4_500);
        assertThat(exchange(from, valid)).as("a key valid recently").startsWith("HTTP/1.1 202");
        assertThat(exchange(from, unknownKey)).startsWith("HTTP/1.1 429");
    }

    @Test
    void formerServerErrorsAreProblems() throws Exception {
        String multipart = head(bystander, 4)
                .replace("text/plain", "multipart/form-data; boundary=x")
                .concat("--x-");
        assertThat(exchange("127.0.0.1", multipart)).startsWith("HTTP/1.1 415").contains("application/problem+json");
        String controlByte = "GET /v1/logs/stream HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0001b\r\n\r\n";
        assertThat(exchange("127.0.0.1", controlByte))
                .startsWith("HTTP/1.1 400")
                .contains("application/problem+json")
                .doesNotContain("<html");
        assertThat(exchange("127.0.0.1", "GET /error HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
                .as("the container's error page")
                .contains("application/problem+json")
                .doesNotContain("timestamp");
        String unknownCoding = "POST /v1/logs/stream HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: foo\r\n\r\n";
        assertThat(exchange("127.0.0.1", unknownCoding))
                .startsWith("HTTP/1.1 501")
                .contains("application/problem+json");
    }

    /** One request on its own connection from {@code from}: the whole response. */
    private String exchange(String from, String request) throws IOException {
        try (RawHttp client = RawHttp.connectFrom(from, port, 10_000)) {
            return client.send(request.replace("Host: 127.0.0.1\r\n", "Host: 127.0.0.1\r\nConnection: close\r\n"))
                    .readUntilClosed(64 * 1024);
        }
    }

    /**
     * Two requests of one org hold exactly 984,064 bytes each (working buffers of 66,560 and 14
     * chunks of encoded lines), leaving 31,872 of the org's 2,000,000: less than any request needs.
     */
    @Test
    void anOrgHoldingItsBudgetGets429WhileAnotherOrgIsAccepted() throws Exception {
        byte[] lines = ("a".repeat(100) + "\n").repeat(8_300).getBytes(StandardCharsets.US_ASCII);
        List<RawHttp> held = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                held.add(RawHttp.connect(port, 30_000)
                        .send(head(holder, MAX_BODY))
                        .send(lines));
            }
            HttpResponse<String> refused = awaitStatus(holder, 429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(refused.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
            assertThat(refused.body()).contains("Your org");

            HttpResponse<String> other = post(bystander, "hello\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(other.statusCode()).as(other.body()).isEqualTo(202);
        } finally {
            for (RawHttp client : held) {
                client.close();
            }
        }
        awaitStatus(holder, 202);
        awaitInFlight(0);
    }

    /**
     * The heap exhaustion repro at a small scale: many concurrent bodies of two-byte lines from
     * three orgs. Every answer is one a client can act on, never 500; the bytes reserved never pass
     * the global budget and all come back.
     */
    @Test
    void aFloodOfTinyLineBodiesIsAnsweredWithinTheBudgets() throws Exception {
        List<LocalStack.Tenant> orgs = List.of(
                stack.createTenant("flood-1", "svc"),
                stack.createTenant("flood-2", "svc"),
                stack.createTenant("flood-3", "svc"));
        byte[] fits = "x\n".repeat(150_000).getBytes(StandardCharsets.US_ASCII); // ~1.9 MB in flight
        byte[] neverFits = "x\n".repeat(MAX_BODY / 2 - 1).getBytes(StandardCharsets.US_ASCII); // ~6.4 MB
        HttpResponse<String> alone = post(orgs.get(0), neverFits);
        assertThat(alone.statusCode()).as(alone.body()).isEqualTo(413);
        assertThat(alone.body()).contains("Split it into smaller requests");
        ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> closed = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(18);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 36; i++) {
                LocalStack.Tenant t = orgs.get(i % 3);
                byte[] body = i % 6 == 5 ? neverFits : fits;
                done.add(clients.submit(() -> {
                    try {
                        statuses.add(post(t, body).statusCode());
                    } catch (IOException e) {
                        closed.add(String.valueOf(e)); // answered and closed while the client still sent
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(statuses)
                .isSubsetOf(Set.of(202, 413, 429, 503))
                .contains(202)
                .containsAnyOf(429, 503);
        assertThat(statuses.size()).as("closed early: %s", closed).isGreaterThanOrEqualTo(30);
        assertThat(admission.peakInFlightBytes())
                .isLessThanOrEqualTo(GLOBAL_BUDGET)
                .isGreaterThan(ORG_BUDGET);
        awaitInFlight(0);
        assertThat(post(orgs.get(0), "still up\n".getBytes(StandardCharsets.US_ASCII))
                        .statusCode())
                .isEqualTo(202);
    }

    private HttpResponse<String> awaitStatus(LocalStack.Tenant t, int status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        HttpResponse<String> last;
        do {
            last = post(t, "probe\n".getBytes(StandardCharsets.US_ASCII));
            if (last.statusCode() == status) {
                return last;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("expected " + status + ", last answer " + last.statusCode() + " " + last.body());
    }

    private void awaitInFlight(long bytes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (admission.inFlightBytes() != bytes && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(admission.inFlightBytes()).isEqualTo(bytes);
    }
}
