package dev.logai.flink.alert.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.logai.common.outbound.OutboundTargets;
import dev.logai.flink.runtime.JobTracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sends one notification to every target of a rule: Slack (Block Kit via incoming webhook),
 * e-mail (HTML and text over SMTP) and generic webhooks (JSON, HMAC-SHA256 signed with the rule's
 * secret). Each target's outcome is returned — delivered or why not — so it can be recorded on
 * the alert event; nothing is dropped silently. Slack and webhook targets pass the SSRF checks
 * again right before sending.
 */
public final class Notifier {
    /** Where and how to send; {@code smtp} null: e-mail targets fail with a clear reason. */
    public record Settings(boolean allowPrivateTargets, Set<String> slackHosts, Duration timeout, Smtp smtp)
            implements Serializable {}

    public record Smtp(String host, int port, String username, String password, String from, boolean startTls)
            implements Serializable {}

    /** A rule's targets, as the rules API stored them. */
    public record Channels(List<String> slack, List<String> email, List<String> webhook) {}

    public static final String SIGNATURE_HEADER = "X-LogAi-Signature";
    public static final String EVENT_HEADER = "X-LogAi-Event-Id";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;
    private final OutboundTargets targets;
    private final HttpDelivery http;
    private final Tracer tracer;

    public Notifier(Settings settings) {
        this(settings, OpenTelemetry.noop().getTracer(JobTracing.SCOPE));
    }

    /** @param tracer the spans of each delivery (children of the span current when {@link #send} is called) */
    public Notifier(Settings settings, Tracer tracer) {
        this(settings, new OutboundTargets(settings.allowPrivateTargets(), settings.slackHosts()), tracer);
    }

    public Notifier(Settings settings, OutboundTargets targets) {
        this(settings, targets, OpenTelemetry.noop().getTracer(JobTracing.SCOPE));
    }

    private Notifier(Settings settings, OutboundTargets targets, Tracer tracer) {
        this.settings = settings;
        this.targets = targets;
        this.tracer = tracer;
        this.http = new HttpDelivery(settings.timeout());
    }

    /**
     * Sends {@code n} to every target, one after the other, each in its own client span (a child of
     * the current span); HTTP targets also get the span's W3C {@code traceparent} header. Span
     * attributes name the channel and the target's host, never the URL (Slack's carries its token).
     *
     * @return one delivery outcome per target
     */
    public List<Delivery> send(Notification n, Channels channels, String signingSecret) {
        List<Delivery> out = new ArrayList<>();
        for (String url : channels.slack()) {
            out.add(traced(
                    "slack",
                    hostOf(url),
                    headers ->
                            http.post("slack", url, "application/json", SlackMessage.of(n), headers, targets::slack)));
        }
        if (!channels.webhook().isEmpty()) {
            String body = webhookBody(n);
            for (String url : channels.webhook()) {
                long t = System.currentTimeMillis() / 1000;
                out.add(traced("webhook", hostOf(url), headers -> {
                    headers.put(SIGNATURE_HEADER, "t=" + t + ",v1=" + sign(signingSecret, t + "." + body));
                    headers.put(EVENT_HEADER, n.eventId());
                    return http.post("webhook", url, "application/json", body, headers, targets::webhook);
                }));
            }
        }
        for (String address : channels.email()) {
            out.add(traced(
                    "email", settings.smtp() == null ? "" : settings.smtp().host(), headers -> email(n, address)));
        }
        return out;
    }

    /** One delivery inside a client span {@code "deliver <channel>"}, given headers holding the span's trace context. */
    private Delivery traced(
            String channel, String host, java.util.function.Function<Map<String, String>, Delivery> send) {
        Span span = tracer.spanBuilder("deliver " + channel)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute("logai.alert.channel", channel)
                .setAttribute("server.address", host)
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            JobTracing.inject(headers);
            Delivery d = send.apply(headers);
            span.setAttribute("logai.alert.attempts", d.attempts());
            if (!d.delivered()) {
                // no description: a delivery's error quotes the receiver's answer, which may echo the alert
                span.setStatus(StatusCode.ERROR);
            }
            return d;
        } finally {
            span.end();
        }
    }

    private static String hostOf(String url) {
        try {
            String host = java.net.URI.create(url).getHost();
            return host == null ? "" : host;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /**
     * The generic webhook's JSON: the notification's fields, snake_case; {@code window_start} and
     * {@code window_end} are ISO-8601 instants (UTC) of the data's window, {@code at} its end (as before).
     */
    static String webhookBody(Notification n) {
        ObjectNode root = JSON.createObjectNode();
        root.put("event_id", n.eventId());
        root.put("org_id", n.orgId());
        root.put("rule_id", n.ruleId());
        root.put("rule_name", n.ruleName());
        root.put("source_id", n.sourceId());
        root.put("status", n.status());
        root.put("severity", n.severity());
        root.put("title", n.title());
        n.bullets().forEach(root.putArray("bullets")::add);
        n.topLines().forEach(root.putArray("top_lines")::add);
        root.put("dashboard_url", n.dashboardUrl());
        root.put("at", n.at().toString());
        root.put("window_start", n.windowStart().toString());
        root.put("window_end", n.windowEnd().toString());
        root.put("count", n.count());
        if (!root.has("bullets")) root.putArray("bullets");
        if (!root.has("top_lines")) root.putArray("top_lines");
        return root.toString();
    }

    /**
     * Hex HMAC-SHA256 of {@code "<unix time>.<body>"}: a receiver recomputes it with the rule's
     * secret, and rejects old timestamps to stop replays.
     */
    public static String sign(String secret, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    private Delivery email(Notification n, String address) {
        Smtp smtp = settings.smtp();
        if (smtp == null || smtp.host() == null || smtp.host().isBlank()) {
            return Delivery.failed("email", address, 0, "no SMTP server configured (LOGAI_SMTP_HOST)");
        }
        Properties p = new Properties();
        p.put("mail.smtp.host", smtp.host());
        p.put("mail.smtp.port", Integer.toString(smtp.port()));
        p.put("mail.smtp.connectiontimeout", Long.toString(settings.timeout().toMillis()));
        p.put("mail.smtp.timeout", Long.toString(settings.timeout().toMillis()));
        p.put("mail.smtp.writetimeout", Long.toString(settings.timeout().toMillis()));
        p.put("mail.smtp.starttls.enable", Boolean.toString(smtp.startTls()));
        p.put("mail.smtp.starttls.required", Boolean.toString(smtp.startTls()));
        boolean auth = smtp.username() != null && !smtp.username().isEmpty();
        p.put("mail.smtp.auth", Boolean.toString(auth));
        Session session = Session.getInstance(p);
        String error = "";
        for (int attempt = 1; attempt <= HttpDelivery.MAX_ATTEMPTS; attempt++) {
            try {
                MimeMessage m = new MimeMessage(session);
                m.setFrom(new InternetAddress(smtp.from()));
                m.setRecipients(Message.RecipientType.TO, InternetAddress.parse(address, true));
                m.setSubject(AlertEmail.subject(n), "UTF-8");
                m.setHeader(EVENT_HEADER, n.eventId());
                MimeBodyPart text = new MimeBodyPart();
                text.setText(AlertEmail.text(n), "UTF-8", "plain");
                MimeBodyPart html = new MimeBodyPart();
                html.setText(AlertEmail.html(n), "UTF-8", "html");
                m.setContent(new MimeMultipart("alternative", text, html));
                if (auth) {
                    Transport.send(m, smtp.username(), smtp.password());
                } else {
                    Transport.send(m);
                }
                return Delivery.ok("email", address, attempt);
            } catch (MessagingException e) {
                error = e.getMessage() == null ? e.getClass().getSimpleName() : HttpDelivery.clip(e.getMessage());
                if (e instanceof jakarta.mail.internet.AddressException) {
                    return Delivery.failed("email", address, attempt, "invalid address: " + error);
                }
            }
            if (attempt < HttpDelivery.MAX_ATTEMPTS) {
                try {
                    Thread.sleep(ThreadLocalRandom.current()
                            .nextLong(
                                    Math.min(HttpDelivery.BACKOFF_CAP_MS, HttpDelivery.BACKOFF_BASE_MS << (attempt - 1))
                                            + 1));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Delivery.failed("email", address, attempt, "interrupted after " + error);
                }
            }
        }
        return Delivery.failed("email", address, HttpDelivery.MAX_ATTEMPTS, error);
    }
}
