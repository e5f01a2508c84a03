package dev.logai.flink.alert.rule;

/**
 * Something to tell people: an alert opened (firing), got worse (escalated), is still on after
 * the cool-down (reminder), or is over (resolved). {@code eventId} is derived from the rule, the
 * source, the alert's episode and the kind, so a replay produces the same id.
 */
public class AlertTransition {
    public String eventId;
    public String orgId;
    public String sourceId;
    public String ruleId;
    /** firing, escalated, reminder or resolved. */
    public String kind;

    public long firstSeen;
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

    public AlertTransition() {}

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
        return t;
    }
}
