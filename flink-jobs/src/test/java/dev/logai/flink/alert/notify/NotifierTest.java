package dev.logai.flink.alert.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import dev.logai.common.outbound.OutboundTargets;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The three channels against real local servers: a GreenMail SMTP server, and HTTP receivers for
 * Slack and webhooks. Checks what arrives (Block Kit, signed JSON, HTML and text mail with title,
 * bullets, top lines and the link), that failures are retried and then reported, that redirects
 * are not followed, and that a target which resolves to a private address is refused at send time.
 */
class NotifierTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRET = "whsec_test-secret";

    GreenMail smtp;
    HttpServer receiver;
    final Map<String, List<Received>> received = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();

    record Received(String body, Map<String, List<String>> headers) {}

    @BeforeEach
    void start() throws Exception {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            received.computeIfAbsent(path, k -> new CopyOnWriteArrayList<>())
                    .add(new Received(
                            new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                            Map.copyOf(exchange.getRequestHeaders())));
            int status = 200;
            if (path.startsWith("/redirect")) {
                exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + port() + "/internal");
                status = 302;
            } else if (path.startsWith("/flaky")
                    && failuresLeft
                                    .computeIfAbsent(path, k -> new AtomicInteger(1))
                                    .getAndDecrement()
                            > 0) {
                status = 503;
            } else if (path.startsWith("/down")) {
                status = 500;
            } else if (path.startsWith("/gone")) {
                status = 404;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
        smtp.stop();
    }

    int port() {
        return receiver.getAddress().getPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    Notifier notifier(boolean allowPrivate) {
        return new Notifier(new Notifier.Settings(
                allowPrivate,
                Set.of("127.0.0.1", "hooks.slack.com"),
                Duration.ofSeconds(3),
                new Notifier.Smtp("127.0.0.1", smtp.getSmtp().getPort(), "", "", "alerts@logai.local", false)));
    }

    static Notification notification() {
        return new Notification(
                "evt-1",
                "org_1",
                "rule_1",
                "API errors",
                "src_1",
                "firing",
                "high",
                "Error rate 30% <b>after</b> deploy",
                List.of("Error rate rose from 0.3% to 30%", "Top error: PaymentGatewayTimeoutException"),
                List.of("ERROR [api] PaymentGatewayTimeoutException: charge failed for <EMAIL_1>"),
                "https://logai.example/orgs/org_1/sources/src_1?from=1",
                Instant.parse("2026-11-25T00:55:00Z"),
                Instant.parse("2026-11-25T01:00:00Z"),
                1);
    }

    @Test
    void everyChannelReceivesTitleBulletsTopLinesAndTheLink() throws Exception {
        List<Delivery> out = notifier(true)
                .send(
                        notification(),
                        new Notifier.Channels(
                                List.of(url("/slack")), List.of("oncall@example.com"), List.of(url("/hook"))),
                        SECRET);

        assertThat(out).extracting(Delivery::delivered).containsExactly(true, true, true);
        JsonNode slack = JSON.readTree(received.get("/slack").get(0).body());
        assertThat(slack.get("text").asText())
                .contains("[HIGH] firing: Error rate 30%")
                .endsWith("(data 2026-11-25 00:55\u201301:00 UTC)");
        assertThat(slack.get("blocks").get(1).toString()).contains("data 2026-11-25 00:55\u201301:00 UTC");
        assertThat(slack.get("blocks").get(0).get("type").asText()).isEqualTo("header");
        assertThat(slack.toString())
                .contains(
                        "Error rate rose from 0.3% to 30%",
                        "PaymentGatewayTimeoutException",
                        "&lt;EMAIL_1&gt;",
                        "https://logai.example/orgs/org_1/sources/src_1?from=1")
                .doesNotContain("<EMAIL_1>");

        Received hook = received.get("/hook").get(0);
        JsonNode body = JSON.readTree(hook.body());
        assertThat(body.get("title").asText()).isEqualTo("Error rate 30% <b>after</b> deploy");
        assertThat(body.get("top_lines").get(0).asText()).contains("PaymentGatewayTimeoutException");
        assertThat(body.get("dashboard_url").asText()).startsWith("https://logai.example/");
        assertThat(body.get("window_start").asText()).isEqualTo("2026-11-25T00:55:00Z");
        assertThat(body.get("window_end").asText()).isEqualTo("2026-11-25T01:00:00Z");
        assertThat(body.get("at").asText()).as("kept for existing receivers").isEqualTo("2026-11-25T01:00:00Z");
        String signature = hook.headers().get("X-logai-signature").get(0);
        String t = signature.substring(2, signature.indexOf(','));
        assertThat(signature).endsWith("v1=" + Notifier.sign(SECRET, t + "." + hook.body()));
        assertThat(hook.headers().get("X-logai-event-id")).containsExactly("evt-1");

        MimeMessage[] mails = smtp.getReceivedMessages();
        assertThat(mails).hasSize(1);
        assertThat(mails[0].getSubject()).isEqualTo("[LogAi][HIGH] Error rate 30% <b>after</b> deploy");
        assertThat(mails[0].getAllRecipients()[0].toString()).isEqualTo("oncall@example.com");
        jakarta.mail.internet.MimeMultipart parts = (jakarta.mail.internet.MimeMultipart) mails[0].getContent();
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat((String) parts.getBodyPart(0).getContent())
                .contains(
                        "Error rate 30% <b>after</b> deploy",
                        "- Top error: PaymentGatewayTimeoutException",
                        "Data 2026-11-25 00:55\u201301:00 UTC",
                        "Open in LogAi: https://logai.example/orgs/org_1/sources/src_1?from=1");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
        assertThat((String) parts.getBodyPart(1).getContent())
                .contains(
                        "<h2>Error rate 30% &lt;b&gt;after&lt;/b&gt; deploy</h2>",
                        "<li>Top error: PaymentGatewayTimeoutException</li>",
                        "data 2026-11-25 00:55\u201301:00 UTC",
                        "charge failed for &lt;EMAIL_1&gt;",
                        "<a href=\"https://logai.example/orgs/org_1/sources/src_1?from=1\">");
    }

    static Notification over(String start, String end) {
        Notification n = notification();
        return new Notification(
                n.eventId(),
                n.orgId(),
                n.ruleId(),
                n.ruleName(),
                n.sourceId(),
                n.status(),
                n.severity(),
                n.title(),
                n.bullets(),
                n.topLines(),
                n.dashboardUrl(),
                Instant.parse(start),
                Instant.parse(end),
                n.count());
    }

    @Test
    void theDataWindowIsNamedWithItsDateInUtc() {
        assertThat(over("2026-11-25T10:00:00Z", "2026-11-25T10:05:00Z").dataWindow())
                .isEqualTo("data 2026-11-25 10:00\u201310:05 UTC");
        assertThat(over("2026-11-24T23:58:00Z", "2026-11-25T00:03:00Z").dataWindow())
                .as("across midnight: both dates")
                .isEqualTo("data 2026-11-24 23:58 \u2013 2026-11-25 00:03 UTC");
        assertThat(over("2026-11-25T10:00:30Z", "2026-11-25T10:01:00Z").dataWindow())
                .isEqualTo("data 2026-11-25 10:00:30\u201310:01:00 UTC");
        assertThat(over("2026-11-25T10:03:27.250Z", "2026-11-25T10:03:27.250Z").dataWindow())
                .as("a pattern rule's line")
                .isEqualTo("line at 2026-11-25 10:03:27 UTC");
    }

    @Test
    void aLinesAlertNamesTheLinesTimeInEveryChannel() throws Exception {
        Notification line = over("2026-11-20T08:15:42Z", "2026-11-20T08:15:42Z");
        notifier(true)
                .send(
                        line,
                        new Notifier.Channels(
                                List.of(url("/slack")), List.of("oncall@example.com"), List.of(url("/hook"))),
                        SECRET);
        assertThat(received.get("/slack").get(0).body()).contains("line at 2026-11-20 08:15:42 UTC");
        JsonNode hook = JSON.readTree(received.get("/hook").get(0).body());
        assertThat(hook.get("window_start").asText()).isEqualTo("2026-11-20T08:15:42Z");
        assertThat(hook.get("window_end").asText()).isEqualTo("2026-11-20T08:15:42Z");
        jakarta.mail.internet.MimeMultipart parts =
                (jakarta.mail.internet.MimeMultipart) smtp.getReceivedMessages()[0].getContent();
        assertThat((String) parts.getBodyPart(0).getContent()).contains("Line at 2026-11-20 08:15:42 UTC");
        assertThat((String) parts.getBodyPart(1).getContent()).contains("line at 2026-11-20 08:15:42 UTC");
    }

    @Test
    void failuresAreRetriedAndThenReportedNeverDropped() {
        List<Delivery> out = notifier(true)
                .send(
                        notification(),
                        new Notifier.Channels(List.of(), List.of(), List.of(url("/flaky"), url("/down"), url("/gone"))),
                        SECRET);

        assertThat(out.get(0).delivered()).isTrue();
        assertThat(out.get(0).attempts()).isEqualTo(2);
        assertThat(out.get(1).delivered()).isFalse();
        assertThat(out.get(1).attempts()).isEqualTo(HttpDelivery.MAX_ATTEMPTS);
        assertThat(out.get(1).error()).isEqualTo("HTTP 500");
        assertThat(out.get(2).attempts()).as("a 404 is not retried").isEqualTo(1);
        assertThat(received.get("/down")).hasSize(HttpDelivery.MAX_ATTEMPTS);
    }

    @Test
    void redirectsAreNotFollowed() {
        Delivery d = notifier(true)
                .send(notification(), new Notifier.Channels(List.of(), List.of(), List.of(url("/redirect"))), SECRET)
                .get(0);

        assertThat(d.delivered()).isFalse();
        assertThat(d.error()).contains("redirect not followed");
        assertThat(received.get("/internal")).isNull();
    }

    @Test
    void aTargetResolvingToAPrivateAddressIsRefusedAtSendTime() {
        // Saved while it pointed elsewhere; now the name resolves to loopback (DNS rebinding).
        OutboundTargets strict = new OutboundTargets(
                false, Set.of("hooks.slack.com"), host -> new InetAddress[] {InetAddress.getLoopbackAddress()});
        Notifier n = new Notifier(
                new Notifier.Settings(false, Set.of("hooks.slack.com"), Duration.ofSeconds(3), null), strict);
        List<Delivery> out = n.send(
                notification(),
                new Notifier.Channels(
                        List.of("https://hooks.slack.com/services/T/B/X"),
                        List.of("oncall@example.com"),
                        List.of("http://rebound.example:" + port() + "/hook")),
                SECRET);

        assertThat(out).extracting(Delivery::delivered).containsExactly(false, false, false);
        assertThat(out.get(0).error()).startsWith("refused: ").contains("loopback");
        assertThat(out.get(1).error()).startsWith("refused: ");
        assertThat(out.get(2).error()).contains("no SMTP server configured");
        assertThat(received).isEmpty();
    }
}
