package dev.logai.flink.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.logai.common.tenancy.OrgScope;
import dev.logai.flink.PipelineOptions;
import dev.logai.flink.alert.notify.Delivery;
import dev.logai.flink.alert.notify.Notification;
import dev.logai.flink.alert.notify.Notifier;
import dev.logai.flink.alert.rule.AlertTransition;
import dev.logai.flink.runtime.JobTracing;
import dev.logai.flink.sink.PostgresSettings;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells people about alert transitions, each exactly once as far as LogAi can: before sending, the
 * transition's deterministic event id is claimed in {@code alert_notification}; a replay after a
 * restore finds the claim completed and sends nothing. Only a crash between sending and recording
 * can repeat a message, and receivers can drop that by the {@code X-LogAi-Event-Id} they see. Every
 * channel's outcome is recorded on the claim and on the {@code alert_event} row; a failure is
 * recorded, never dropped. Sending runs on a small pool (async I/O), so slow receivers do not
 * block the job.
 *
 * <p>Old data does not page: a transition whose data's window ended the rule's {@code
 * page_max_age} or longer before this sender decides (wall clock; a backfill, a source catching up
 * after an outage) is claimed and recorded like any other, in the state {@value #NOT_SENT_OLD_DATA}
 * with the reason, and sent nowhere.
 */
public class NotifyAlerts extends RichAsyncFunction<AlertTransition, AlertTransition> {
    private static final Logger LOG = LoggerFactory.getLogger(NotifyAlerts.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Database attempts per transition (about a minute with the backoff) before the job fails over. */
    static final int DATABASE_ATTEMPTS = 8;
    /** The claim's state of a transition not sent because its data was too old for the rule. */
    public static final String NOT_SENT_OLD_DATA = "not_sent_old_data";

    /** Where alerts go from: the database, the senders and the dashboard's address for links. */
    public record Settings(
            PostgresSettings db,
            Notifier.Settings senders,
            String dashboardUrl,
            int threads,
            JobTracing.Settings tracing)
            implements Serializable {

        /** The settings without tracing (tests). */
        public Settings(PostgresSettings db, Notifier.Settings senders, String dashboardUrl, int threads) {
            this(db, senders, dashboardUrl, threads, JobTracing.Settings.OFF);
        }

        /** Sender threads per parallel instance. */
        static final int THREADS = 4;

        /** The alert settings of a deployment ({@code LOGAI_ALERTS_*}, {@code LOGAI_SMTP_*}, {@code LOGAI_DASHBOARD_URL}). */
        public static Settings from(Configuration config) {
            Set<String> slackHosts = new HashSet<>();
            for (String h : config.get(PipelineOptions.ALERTS_SLACK_HOSTS).split(",")) {
                if (!h.isBlank()) slackHosts.add(h.strip());
            }
            Notifier.Smtp smtp = config.getOptional(PipelineOptions.SMTP_HOST)
                    .map(host -> new Notifier.Smtp(
                            host,
                            config.get(PipelineOptions.SMTP_PORT),
                            config.get(PipelineOptions.SMTP_USERNAME),
                            config.get(PipelineOptions.SMTP_PASSWORD),
                            config.get(PipelineOptions.SMTP_FROM),
                            config.get(PipelineOptions.SMTP_STARTTLS)))
                    .orElse(null);
            return new Settings(
                    PostgresSettings.from(config),
                    new Notifier.Settings(
                            config.get(PipelineOptions.ALERTS_ALLOW_PRIVATE_TARGETS), slackHosts,
                            config.get(PipelineOptions.ALERTS_TIMEOUT), smtp),
                    config.get(PipelineOptions.DASHBOARD_URL),
                    THREADS,
                    JobTracing.Settings.from(config));
        }
    }

    private final Settings settings;
    /** Decides how old a transition's data is; the system clock but in tests. */
    private final Clock clock;

    private transient Notifier notifier;
    /** The spans of each notification, continuing its data's request traces ({@link AlertTransition#traceParents}). */
    private transient io.opentelemetry.api.trace.Tracer tracer;

    private transient ExecutorService pool;

    public NotifyAlerts(Settings settings) {
        this(settings, Clock.systemUTC());
    }

    NotifyAlerts(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** alertDeliveries{channel, outcome}: sent from the pool's threads, so thread-safe counters. */
    private transient java.util.Map<String, org.apache.flink.metrics.Counter> deliveryCounters;

    private transient org.apache.flink.metrics.MetricGroup metrics;

    private void countDelivery(Delivery d) {
        if (deliveryCounters == null) {
            return; // called outside a running job (tests drive notifyOnce directly)
        }
        String outcome = d.delivered() ? "delivered" : "failed";
        deliveryCounters
                .computeIfAbsent(
                        d.channel() + "/" + outcome,
                        k -> metrics.addGroup("channel", d.channel())
                                .addGroup("outcome", outcome)
                                .counter("alertDeliveries", new org.apache.flink.metrics.ThreadSafeSimpleCounter()))
                .inc();
    }

    @Override
    public void open(OpenContext ctx) {
        deliveryCounters = new java.util.concurrent.ConcurrentHashMap<>();
        try {
            metrics = getRuntimeContext().getMetricGroup();
        } catch (IllegalStateException notInAJob) {
            // opened outside a running job (the tests drive it directly): count nowhere
            metrics = new org.apache.flink.metrics.groups.UnregisteredMetricsGroup();
        }
        tracer = JobTracing.tracer(settings.tracing());
        JobTracing.closeOnRelease(this);
        notifier = new Notifier(settings.senders(), tracer);
        pool = Executors.newFixedThreadPool(Math.max(1, settings.threads()), r -> {
            Thread t = new Thread(r, "logai-alert-sender");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void asyncInvoke(AlertTransition t, ResultFuture<AlertTransition> result) {
        pool.execute(() -> {
            for (int attempt = 1; ; attempt++) {
                try {
                    notifyOnce(t);
                    result.complete(List.of(t));
                    return;
                } catch (Exception e) {
                    if (attempt >= DATABASE_ATTEMPTS || Thread.currentThread().isInterrupted()) {
                        // Not claimed or not recorded: fail, so the job restarts from its last
                        // checkpoint and decides this transition again, rather than lose it.
                        LOG.error(
                                "Could not record alert {} of org {} after {} attempts",
                                t.eventId,
                                t.orgId,
                                attempt,
                                e);
                        result.completeExceptionally(e);
                        return;
                    }
                    LOG.warn(
                            "Could not record alert {} of org {} (attempt {}): {}; retrying",
                            t.eventId,
                            t.orgId,
                            attempt,
                            e.toString());
                    try {
                        Thread.sleep(Math.min(10_000L, 500L << Math.min(attempt, 5)));
                    } catch (InterruptedException stop) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
    }

    @Override
    public void timeout(AlertTransition t, ResultFuture<AlertTransition> result) {
        LOG.warn("Alert {} of org {} is still being sent; its claim records the outcome when done", t.eventId, t.orgId);
        result.complete(List.of(t));
    }

    /**
     * Claims, sends (unless the data is too old for the rule) and records one transition.
     *
     * @throws SQLException when the claim or the outcome could not be written; the caller retries
     */
    void notifyOnce(AlertTransition t) throws SQLException {
        // A transition already recorded 'sending' by an attempt that failed after sending is sent again
        // (receivers drop it by X-LogAi-Event-Id); one never claimed is claimed now.
        try (Connection c = DriverManager.getConnection(
                settings.db().url(), settings.db().user(), settings.db().password())) {
            c.setAutoCommit(false);
            OrgScope.enter(c, t.orgId);
            if (!claim(c, t)) {
                c.commit();
                LOG.info("Alert {} was already settled (sent, failed or not sent); not sending it again", t.eventId);
                return;
            }
            c.commit();

            // Decided now, after the claim: a transition held up by a slow database is judged by how
            // old its data is when it would actually go out.
            String notSent = t.oldDataReason(clock.millis());
            List<Delivery> deliveries = notSent != null ? List.of() : tracedSend(t);
            for (Delivery d : deliveries) {
                countDelivery(d);
            }
            ArrayNode outcome = JSON.createArrayNode();
            for (Delivery d : deliveries) {
                outcome.addObject()
                        .put("channel", d.channel())
                        .put("target", d.target())
                        .put("delivered", d.delivered())
                        .put("attempts", d.attempts())
                        .put("error", d.error());
            }
            String state = notSent != null
                    ? NOT_SENT_OLD_DATA
                    : deliveries.isEmpty() || deliveries.stream().anyMatch(Delivery::delivered) ? "sent" : "failed";
            if (notSent != null) {
                LOG.info("Alert {} of org {} not sent: {}", t.eventId, t.orgId, notSent);
            }

            OrgScope.enter(c, t.orgId);
            try (PreparedStatement ps =
                    c.prepareStatement("update alert_notification set state = ?, deliveries = ?::jsonb, reason = ?,"
                            + " sent_at = ? where event_id = ?")) {
                ps.setString(1, state);
                ps.setString(2, outcome.toString());
                ps.setString(3, notSent);
                ps.setTimestamp(4, notSent != null ? null : new Timestamp(clock.millis()));
                ps.setString(5, t.eventId);
                ps.executeUpdate();
            }
            ObjectNode payload = JSON.createObjectNode();
            payload.put("title", t.title)
                    .put("severity", t.severity)
                    .put("kind", t.kind)
                    .put("value", t.value)
                    .put("dashboard_url", link(t))
                    .put("window_start", Instant.ofEpochMilli(t.windowStart).toString())
                    .put("window_end", Instant.ofEpochMilli(t.windowEnd).toString())
                    .put("notification_state", state);
            if (notSent != null) {
                payload.put("notification_reason", notSent);
            }
            ArrayNode bullets = payload.putArray("bullets");
            for (String b : t.bullets) bullets.add(b);
            ArrayNode lines = payload.putArray("top_lines");
            for (String l : t.topLines) lines.add(l);
            payload.set("deliveries", outcome);
            // last_sent stays as it was when nothing went out: it says when people last heard.
            try (PreparedStatement ps =
                    c.prepareStatement("insert into alert_event (id, org_id, rule_id, source_id, status,"
                            + " first_seen, last_sent, count, payload_json) select ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb"
                            + " where exists (select 1 from alert_rule r where r.org_id = ? and r.id = ?)"
                            + " on conflict (id) do update set status = case when excluded.status = 'reminder'"
                            + " then alert_event.status else excluded.status end,"
                            + " last_sent = coalesce(excluded.last_sent, alert_event.last_sent), count = excluded.count,"
                            + " payload_json = excluded.payload_json, updated_at = now()")) {
                ps.setString(1, t.alertId);
                ps.setString(2, t.orgId);
                ps.setString(3, t.ruleId);
                ps.setString(4, t.sourceId);
                ps.setString(5, t.kind);
                ps.setTimestamp(6, new Timestamp(t.firstSeen));
                ps.setTimestamp(7, notSent != null ? null : new Timestamp(clock.millis()));
                ps.setInt(8, t.count);
                ps.setString(9, payload.toString());
                ps.setString(10, t.orgId);
                ps.setString(11, t.ruleId);
                ps.executeUpdate();
            }
            c.commit();
        }
    }

    /**
     * {@link #send} inside a span {@code "notify alert"} that continues the first trace behind the
     * transition and links the others; each delivery is its child ({@link Notifier#send}).
     */
    private List<Delivery> tracedSend(AlertTransition t) {
        io.opentelemetry.api.trace.Span span = JobTracing.start(
                tracer == null ? JobTracing.tracer(JobTracing.Settings.OFF) : tracer,
                "notify alert",
                io.opentelemetry.api.trace.SpanKind.INTERNAL,
                t.traceParents == null ? new String[0] : t.traceParents);
        span.setAttribute("logai.org_id", t.orgId);
        span.setAttribute("logai.source_id", t.sourceId);
        span.setAttribute("logai.rule_id", t.ruleId);
        span.setAttribute("logai.alert.kind", t.kind);
        span.setAttribute("logai.alert.event_id", t.eventId);
        try (io.opentelemetry.context.Scope ignored = span.makeCurrent()) {
            return send(t);
        } finally {
            span.end();
        }
    }

    private List<Delivery> send(AlertTransition t) {
        Notification n = new Notification(
                t.eventId,
                t.orgId,
                t.ruleId,
                t.ruleName,
                t.sourceId,
                t.kind.equals("reminder") ? "firing" : t.kind,
                t.severity,
                t.title,
                List.of(t.bullets),
                List.of(t.topLines),
                link(t),
                Instant.ofEpochMilli(t.windowStart),
                Instant.ofEpochMilli(t.windowEnd),
                t.count);
        return notifier.send(
                n, new Notifier.Channels(List.of(t.slack), List.of(t.email), List.of(t.webhook)), t.signingSecret);
    }

    /** True if this call owns the sending: a new claim, or one a crash left unfinished. */
    private static boolean claim(Connection c, AlertTransition t) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("insert into alert_notification (event_id, org_id, alert_id, rule_id,"
                        + " kind, state) values (?, ?, ?, ?, ?, 'sending') on conflict (event_id) do nothing")) {
            ps.setString(1, t.eventId);
            ps.setString(2, t.orgId);
            ps.setString(3, t.alertId);
            ps.setString(4, t.ruleId);
            ps.setString(5, t.kind);
            if (ps.executeUpdate() == 1) {
                return true;
            }
        }
        try (PreparedStatement ps =
                c.prepareStatement("select state from alert_notification where event_id = ? for update")) {
            ps.setString(1, t.eventId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getString(1).equals("sending");
            }
        }
    }

    private String link(AlertTransition t) {
        String base =
                settings.dashboardUrl() == null ? "" : settings.dashboardUrl().replaceAll("/+$", "");
        return base.isEmpty() ? "" : base + "/sources/" + t.sourceId + "?from=" + t.firstSeen + "&to=" + t.windowEnd;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
