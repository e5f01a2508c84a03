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
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The send-once claim against the real database: the same transition handed to the sender twice
 * (as a replay after a restore does) is delivered once; a transition whose deliveries all fail is
 * recorded as failed with the reason, and the alert row holds the outcome.
 */
class NotifyAlertsITCase {
    static final LocalStack stack = SharedLocalStack.get(false);

    @Test
    void aReplayedTransitionIsSentOnceAndOutcomesAreRecorded() throws Exception {
        LocalStack.Tenant tenant = stack.createTenant("notify-once", "api");
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
            NotifyAlerts sender = new NotifyAlerts(new NotifyAlerts.Settings(
                    new PostgresSettings(stack.postgres.jdbcUrl(), LocalStack.APP_ROLE, stack.appPassword, 200, 100),
                    new Notifier.Settings(true, Set.of("127.0.0.1"), Duration.ofSeconds(2), null),
                    "https://logai.example",
                    1));
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
