package dev.logai.flink.alert.rule;

import dev.logai.common.contract.alert.AlertRuleCodec;
import java.time.Duration;
import java.time.Instant;

/**
 * Something to tell people: an alert opened (firing), got worse (escalated), is still on after
 * the cool-down (reminder), or is over (resolved); a pattern rule's line matched (triggered).
 * {@code eventId} is derived from the rule, the source, the alert's episode and the kind, so a
 * replay produces the same id.
 */
public class AlertTransition {
    /** {@link #pageMaxAgeMs} of a rule whose {@code page_max_age} is {@code "off"}: data of any age pages. */
    public static final long PAGE_ANY_AGE = -1;

    public String eventId;
    public String orgId;
    public String sourceId;
    public String ruleId;
    /** firing, escalated, reminder, resolved or triggered. */
    public String kind;

    public long firstSeen;
    /** The data's event-time window, epoch ms, end exclusive; a pattern rule's line: its event time, twice. */
    public long windowStart;

    public long windowEnd;
    public double value;
    public int count;
    /** The alert (one per rule, source and episode): the alert_event row. */
    public String alertId;

    // What to say and where: filled in when the transition is decided, so sending needs no lookups.
    public String ruleName;
    public String severity;
    public String title;
    public String[] bullets = new String[0];
    public String[] topLines = new String[0];
    public String[] slack = new String[0];
    public String[] email = new String[0];
    public String[] webhook = new String[0];
    public String signingSecret = "";
    /**
     * The rule's {@code page_max_age}, ms: sent only if {@link #windowEnd} is less than this long
     * before the sender decides; {@link #PAGE_ANY_AGE}: always; 0 (restored from state written
     * before the option): {@link AlertRuleCodec#DEFAULT_PAGE_MAX_AGE}.
     */
    public long pageMaxAgeMs;
    /**
     * W3C {@code traceparent}s of the requests behind it (the window's, or the matched line's), the
     * first continued by the notification's span, the others linked; empty when none carried one.
     */
    public String[] traceParents = new String[0];

    public AlertTransition() {}

    /**
     * Why this transition is not to be sent when decided at {@code nowMs} (epoch ms, wall clock):
     * its data's window ended {@code page_max_age} or longer before. Old data (a backfill, a source
     * catching up after an outage) is still decided and recorded, but paging someone about an
     * incident that may be long over does more harm than good; the rule can say "off".
     *
     * @return a sentence for people, naming the data's age and the rule's limit; null when it pages
     */
    public String oldDataReason(long nowMs) {
        if (pageMaxAgeMs == PAGE_ANY_AGE) {
            return null;
        }
        long limit = pageMaxAgeMs > 0 ? pageMaxAgeMs : AlertRuleCodec.DEFAULT_PAGE_MAX_AGE.toMillis();
        long age = nowMs - windowEnd;
        if (age < limit) {
            return null;
        }
        return "Not sent: the data (" + (windowStart == windowEnd ? "line at " : "window ending ")
                + Instant.ofEpochMilli(windowEnd) + ") was " + humane(Duration.ofMillis(age))
                + " old when the alert was decided; this rule pages only for data less than "
                + AlertRuleCodec.writePageMaxAge(Duration.ofMillis(limit)) + " old (page_max_age).";
    }

    /** "2d 3h", "3h 12m", "45m", "30s": the two largest units, enough to judge an age by. */
    static String humane(Duration d) {
        long days = d.toDays();
        long hours = d.toHoursPart();
        long minutes = d.toMinutesPart();
        if (days > 0) return days + "d " + hours + "h";
        if (hours > 0) return hours + "h " + minutes + "m";
        if (minutes > 0) return minutes + "m";
        return d.toSecondsPart() + "s";
    }

    /** A transition of {@code rule}'s alert on the source, with the rule's name and targets. */
    public static AlertTransition of(AlertRule rule, String orgId, String sourceId, String kind) {
        AlertTransition t = new AlertTransition();
        t.orgId = orgId;
        t.sourceId = sourceId;
        t.ruleId = rule.id;
        t.kind = kind;
        t.ruleName = rule.name;
        t.slack = rule.slack;
        t.email = rule.email;
        t.webhook = rule.webhook;
        t.signingSecret = rule.signingSecret;
        t.pageMaxAgeMs = rule.pageMaxAgeMs;
        return t;
    }
}
