package dev.logai.flink.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.logai.common.tenancy.OrgScope;
import dev.logai.flink.alert.notify.Notifier;
import dev.logai.flink.alert.rule.AlertTransition;
import dev.logai.flink.sink.PostgresSettings;
import dev.logai.localstack.LocalStack;
import dev.logai.localstack.SharedLocalStack;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The send-once claim against the real database: the same transition handed to the sender twice
 * (as a replay after a restore does) is delivered once; a transition whose deliveries all fail is
 * recorded as failed with the reason, and the alert row holds the outcome. The age gate: a
 * transition on data older than the rule's {@code page_max_age} is recorded as not sent, with the
 * reason, and sends nothing; fresh data, or a rule with the gate off, sends.
 */
class NotifyAlertsITCase {
    // With the object store: whichever ITCase of this JVM starts the shared stack, the others can use it.
    static final LocalStack stack = SharedLocalStack.get(true);
    /** The sender's wall clock: two minutes after the test transitions' window ends. */
    static final long NOW = 1_790_000_000_000L + 180_000;

    static NotifyAlerts sender() {
        return new NotifyAlerts(
                new NotifyAlerts.Settings(
                        new PostgresSettings(
                                stack.postgres.jdbcUrl(), LocalStack.APP_ROLE, stack.appPassword, 200, 100),
                        new Notifier.Settings(true, Set.of("127.0.0.1"), Duration.ofSeconds(2), null),
                        "https://logai.example",
                        1),
                Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
    }

    static String newRule(LocalStack.Tenant tenant) throws Exception {
        String ruleId = "rule_" + Long.toHexString(System.nanoTime());
        try (Connection c = stack.ownerConnection()) {
            c.setAutoCommit(false);
            OrgScope.enter(c, tenant.orgId());
            try (PreparedStatement ps = c.prepareStatement("insert into alert_rule (id, org_id, name, condition_json,"
                    + " channels_json) values (?, ?, 'r', '{}', '{}')")) {
                ps.setString(1, ruleId);
                ps.setString(2, tenant.orgId());
                ps.executeUpdate();
            }
            c.commit();
        }
        return ruleId;
    }

    @Test
    void aReplayedTransitionIsSentOnceAndOutcomesAreRecorded() throws Exception {
        LocalStack.Tenant tenant = stack.createTenant("notify-once", "api");
        String ruleId = newRule(tenant);
        AtomicInteger hits = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            hits.incrementAndGet();
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/down") ? 500 : 200, -1);
            exchange.close();
        });
        receiver.start();
        try {
            NotifyAlerts sender = sender();
            sender.open(null);
            String base = "http://127.0.0.1:" + receiver.getAddress().getPort();

            AlertTransition firing = transition(tenant, ruleId, "evt-firing-" + ruleId, base + "/ok");
            sender.notifyOnce(firing);
            sender.notifyOnce(firing); // the replay
            assertThat(hits.get()).isEqualTo(1);

            AlertTransition failing = transition(tenant, ruleId, "evt-failing-" + ruleId, base + "/down");
            failing.kind = "escalated";
            sender.notifyOnce(failing);
            try (Connection c = stack.ownerConnection();
                    PreparedStatement ps =
                            c.prepareStatement("select event_id, state, deliveries::text from alert_notification"
                                    + " where rule_id = ? order by event_id")) {
                ps.setString(1, ruleId);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(2)).isEqualTo("failed");
                    assertThat(rs.getString(3)).contains("\"delivered\": false", "HTTP 500", "\"attempts\": 3");
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(2)).isEqualTo("sent");
                }
            }
            try (Connection c = stack.ownerConnection();
                    PreparedStatement ps = c.prepareStatement(
                            "select status, count, payload_json::text from alert_event" + " where rule_id = ?")) {
                ps.setString(1, ruleId);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("escalated");
                    assertThat(rs.getString(3)).contains("\"title\": \"API errors", "https://logai.example/sources/");
                    assertThat(rs.next()).as("one alert row").isFalse();
                }
            }
            sender.close();
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void transitionsOnOldDataAreRecordedNotSentAndFreshOnesSent() throws Exception {
        LocalStack.Tenant tenant = stack.createTenant("notify-old", "api");
        String ruleId = newRule(tenant);
        java.util.List<String> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        NotifyAlerts sender = sender();
        sender.open(null);
        try {
            String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            long hour = Duration.ofHours(1).toMillis();

            // A backfill: the window ended 3 hours before the sender decides; the rule has the
            // default page_max_age (an hour), as a rule restored from older state has (0).
            AlertTransition old = aged(tenant, ruleId, "old", hook, NOW - 3 * hour, 0);
            sender.notifyOnce(old);
            sender.notifyOnce(old); // a replay: decided once, still nothing sent
            assertThat(bodies).as("old data pages nobody").isEmpty();
            assertThat(claim(old))
                    .containsExactly(
                            "not_sent_old_data",
                            "[]",
                            "Not sent: the data (window ending 2026-09-21T11:16:20Z) was 3h 0m old when the alert"
                                    + " was decided; this rule pages only for data less than 1h old (page_max_age).",
                            null);
            assertThat(alert(old))
                    .as("the alert is recorded, without a last_sent")
                    .containsExactly("firing", null, "not_sent_old_data");

            // The same age with a longer limit, or with the gate off, pages; so does fresh data.
            AlertTransition withinSixHours = aged(tenant, ruleId, "six-hours", hook, NOW - 3 * hour, 6 * hour);
            AlertTransition off = aged(tenant, ruleId, "off", hook, NOW - 20 * 24 * hour, AlertTransition.PAGE_ANY_AGE);
            AlertTransition fresh = aged(tenant, ruleId, "fresh", hook, NOW - hour + 1, 0);
            AlertTransition justTooOld = aged(tenant, ruleId, "edge", hook, NOW - hour, hour);
            for (AlertTransition t : new AlertTransition[] {withinSixHours, off, fresh, justTooOld}) {
                sender.notifyOnce(t);
            }
            assertThat(bodies).hasSize(3);
            assertThat(bodies.get(1))
                    .as("an old window sent because the rule says off names its date")
                    .contains("\"window_end\":\"2026-09-01T14:16:20Z\"");
            for (AlertTransition t : new AlertTransition[] {withinSixHours, off, fresh}) {
                assertThat(claim(t)).as(t.eventId).element(0).isEqualTo("sent");
                assertThat(alert(t)).as(t.eventId).element(2).isEqualTo("sent");
                assertThat(alert(t)).as(t.eventId).element(1).isNotNull();
            }
            assertThat(claim(justTooOld))
                    .as("exactly page_max_age old is too old")
                    .element(0)
                    .isEqualTo("not_sent_old_data");
        } finally {
            sender.close();
            receiver.stop(0);
        }
    }

    /** A firing transition of its own alert whose window ended at {@code windowEnd}. */
    static AlertTransition aged(
            LocalStack.Tenant tenant, String ruleId, String name, String hook, long windowEnd, long pageMaxAgeMs) {
        AlertTransition t = transition(tenant, ruleId, "evt-" + name + "-" + ruleId, hook);
        t.alertId = "alert-" + name + "-" + ruleId;
        t.windowEnd = windowEnd;
        t.windowStart = windowEnd - 60_000;
        t.firstSeen = t.windowStart;
        t.pageMaxAgeMs = pageMaxAgeMs;
        return t;
    }

    /** The claim's state, deliveries, reason and sent_at. */
    static java.util.List<String> claim(AlertTransition t) throws Exception {
        try (Connection c = stack.ownerConnection();
                PreparedStatement ps = c.prepareStatement("select state, deliveries::text, reason, sent_at::text"
                        + " from alert_notification where event_id = ?")) {
            ps.setString(1, t.eventId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as(t.eventId).isTrue();
                return java.util.Arrays.asList(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
            }
        }
    }

    /** The alert row's status, last_sent and the payload's notification_state. */
    static java.util.List<String> alert(AlertTransition t) throws Exception {
        try (Connection c = stack.ownerConnection();
                PreparedStatement ps = c.prepareStatement("select status, last_sent::text,"
                        + " payload_json->>'notification_state' from alert_event where id = ?")) {
            ps.setString(1, t.alertId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as(t.alertId).isTrue();
                return java.util.Arrays.asList(rs.getString(1), rs.getString(2), rs.getString(3));
            }
        }
    }

    static AlertTransition transition(LocalStack.Tenant t, String ruleId, String eventId, String webhook) {
        AlertTransition a = new AlertTransition();
        a.eventId = eventId;
        a.alertId = "alert-" + ruleId;
        a.orgId = t.orgId();
        a.sourceId = t.sourceId();
        a.ruleId = ruleId;
        a.ruleName = "API errors";
        a.kind = "firing";
        a.firstSeen = 1_790_000_000_000L;
        a.windowStart = a.firstSeen;
        a.windowEnd = a.firstSeen + 60_000;
        a.count = 1;
        a.severity = "high";
        a.title = "API errors — error rate 30%";
        a.bullets = new String[] {"30% of lines are errors"};
        a.topLines = new String[] {"ERROR [api] boom"};
        a.webhook = new String[] {webhook};
        a.signingSecret = "whsec_x";
        return a;
    }
}
