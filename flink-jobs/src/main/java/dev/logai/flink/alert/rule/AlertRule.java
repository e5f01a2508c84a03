package dev.logai.flink.alert.rule;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logai.common.contract.Metric;
import dev.logai.common.contract.alert.AlertCondition;
import dev.logai.common.contract.alert.AlertRuleCodec;
import dev.logai.common.contract.alert.AlertRuleSpec;

/**
 * An alert rule as the pipeline reads it from the rules topic (written by the query API): what to
 * watch (a threshold on a window metric, an anomaly, or a pattern), where to send, and the
 * version, so an older record never replaces a newer one. The wire format, the defaults and the
 * limits are {@link AlertRuleCodec}'s, the same the query API validated with; this class flattens
 * the resulting {@link AlertRuleSpec} into a Flink POJO, kept in broadcast state. Metric, operator
 * and kind are kept by their wire names (state stays readable across versions); {@link
 * #thresholdMetric()}, {@link #comparison()} and {@link #conditionKind()} give them typed.
 */
public class AlertRule {
    private static final ObjectMapper JSON = new ObjectMapper();

    public String id;
    public String orgId;
    /** Null: every source of the org. */
    public String sourceId;

    public String name;
    /** threshold, anomaly or pattern ({@link AlertCondition.Kind#wireName()}). */
    public String kind;
    /** A {@link Metric} wire name (threshold rules). */
    public String metric;
    /** {@code >}, {@code >=}, {@code <} or {@code <=} (threshold rules). */
    public String op;

    public double threshold;
    public int windowMinutes = 1;
    /** Null: the whole source. */
    public String service;

    public int sustained = 1;
    /** NaN: no escalation. */
    public double escalateAbove = Double.NaN;

    public long escalateWithinMs;
    public int resolveAfter = 3;
    public double anomalyMinScore = 0.5;
    /** A {@link Metric} wire name; null: any. */
    public String anomalyMetric;
    /** spike, drop or new; null: any. */
    public String anomalyLabel;

    public boolean patternNewTemplate;
    public String patternContains;
    public String[] slack = new String[0];
    public String[] email = new String[0];
    public String[] webhook = new String[0];
    /**
     * {@code page_max_age} in milliseconds, as {@link AlertTransition#pageMaxAgeMs} reads it: a
     * transition is sent only if its data's window ended less than this long before the sender
     * decides; {@link AlertTransition#PAGE_ANY_AGE} ({@code "off"}): always; 0 (a rule restored from
     * state written before the option, which Flink fills with 0): the default, 60 minutes.
     */
    public long pageMaxAgeMs;

    /** An absence rule's allowed silence, ms ({@link AlertCondition.Absence}; its text is {@link #patternContains}). */
    public long absenceForMs;

    public boolean active = true;
    public long version;
    public String signingSecret = "";
    /** {@link #patternContains} compiled once per task (not part of the state). */
    private transient java.util.regex.Pattern containsPattern;

    public AlertRule() {}

    /**
     * Parses a rules-topic value ({@link AlertRuleCodec#readRule}).
     *
     * @throws IllegalArgumentException when it is not JSON or breaks the contract; the message says why
     */
    public static AlertRule parse(String json) {
        Object tree;
        try {
            tree = JSON.readValue(json, Object.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("Unreadable alert rule: " + e.getOriginalMessage(), e);
        }
        return from(AlertRuleCodec.readRule(tree));
    }

    /** The POJO of a rule read through the contract. */
    public static AlertRule from(AlertRuleSpec spec) {
        AlertRule r = new AlertRule();
        r.id = spec.id();
        r.orgId = spec.orgId();
        r.sourceId = spec.sourceId();
        r.name = spec.name();
        r.active = spec.active();
        r.version = spec.version();
        r.signingSecret = spec.signingSecret();
        r.pageMaxAgeMs = spec.pageMaxAge() == null
                ? AlertTransition.PAGE_ANY_AGE
                : spec.pageMaxAge().toMillis();
        r.kind = spec.condition().kind().wireName();
        if (spec.condition() instanceof AlertCondition.Threshold t) {
            r.metric = t.metric().wireName();
            r.op = t.op().symbol();
            r.threshold = t.threshold();
            r.windowMinutes = (int) t.window().toMinutes();
            r.service = t.service();
            r.sustained = t.sustained();
            if (t.escalateAbove() != null) {
                r.escalateAbove = t.escalateAbove();
                r.escalateWithinMs = t.escalateWithin().toMillis();
            }
            r.resolveAfter = t.resolveAfter();
        } else if (spec.condition() instanceof AlertCondition.Anomaly a) {
            r.anomalyMinScore = a.minScore();
            r.anomalyMetric = a.metric() == null ? null : a.metric().wireName();
            r.anomalyLabel = a.label() == null ? null : a.label().wireName();
        } else if (spec.condition() instanceof AlertCondition.Pattern p) {
            r.patternNewTemplate = p.newTemplate();
            r.patternContains = p.contains();
        } else if (spec.condition() instanceof AlertCondition.Absence a) {
            r.absenceForMs = a.forDuration().toMillis();
            r.patternContains = a.contains();
        }
        r.slack = spec.channels().slack().toArray(String[]::new);
        r.email = spec.channels().email().toArray(String[]::new);
        r.webhook = spec.channels().webhook().toArray(String[]::new);
        return r;
    }

    /** The condition kind. */
    public AlertCondition.Kind conditionKind() {
        return AlertCondition.Kind.fromWireName(kind);
    }

    /** The metric a threshold rule compares. */
    public Metric thresholdMetric() {
        return Metric.fromWireName(metric)
                .orElseThrow(() -> new IllegalStateException("Rule " + id + " has no threshold metric"));
    }

    /** The comparison of a threshold rule. */
    public AlertCondition.Comparison comparison() {
        for (AlertCondition.Comparison c : AlertCondition.Comparison.values()) {
            if (c.symbol().equals(op)) {
                return c;
            }
        }
        throw new IllegalStateException("Rule " + id + " has no comparison");
    }

    /**
     * Pattern rules are judged line by line as lines are mined (an alert within a second of the
     * line), absence rules too (each matching line resets the silence) and by the wall clock;
     * threshold and anomaly rules on complete windows.
     */
    public boolean perLine() {
        AlertCondition.Kind k = conditionKind();
        return k == AlertCondition.Kind.PATTERN || k == AlertCondition.Kind.ABSENCE;
    }

    /** Whether this is an absence rule ({@link AlertCondition.Absence}). */
    public boolean isAbsence() {
        return conditionKind() == AlertCondition.Kind.ABSENCE;
    }

    /** Whether a mined line matches this pattern rule: a new template (if asked) containing the text (if given). */
    public boolean matchesLine(boolean templateNew, String raw) {
        if (patternNewTemplate && !templateNew) {
            return false;
        }
        if (patternContains == null) {
            return true;
        }
        if (containsPattern == null) {
            containsPattern = java.util.regex.Pattern.compile(
                    java.util.regex.Pattern.quote(patternContains),
                    java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.UNICODE_CASE);
        }
        return raw != null && containsPattern.matcher(raw).find();
    }

    /** Whether the rule watches this org's source. */
    public boolean watches(String org, String source) {
        return active && orgId.equals(org) && (sourceId == null || sourceId.equals(source));
    }

    /** Whether {@code value} breaches this threshold rule. */
    public boolean breaches(double value) {
        return comparison().breaches(value, threshold);
    }

    /** Whether {@code value} is worse than {@code than} in the rule's direction (for escalation). */
    public boolean worse(double value, double than) {
        return comparison().upward() ? value >= than : value <= than;
    }
}
