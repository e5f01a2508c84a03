package dev.logai.flink.alert.rule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An alert rule as the pipeline reads it from the rules topic (written by the query API, which
 * validated it): what to watch (a threshold on a window metric, an anomaly, or a pattern), where
 * to send, and the version, so an older record never replaces a newer one. A Flink POJO, kept in
 * broadcast state.
 */
public class AlertRule {
    private static final ObjectMapper JSON = new ObjectMapper();

    public String id;
    public String orgId;
    /** Null: every source of the org. */
    public String sourceId;
    public String name;
    /** threshold, anomaly or pattern. */
    public String kind;
    public String metric;
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
    public String anomalyMetric;
    public String anomalyLabel;
    public boolean patternNewTemplate;
    public String patternContains;
    public String[] slack = new String[0];
    public String[] email = new String[0];
    public String[] webhook = new String[0];
    public boolean active = true;
    public long version;
    public String signingSecret = "";
    /** {@link #patternContains} compiled once per task (not part of the state). */
    private transient java.util.regex.Pattern containsPattern;

    public AlertRule() {}

    /** Parses a rules-topic value; the query API validated it, so missing parts take their defaults. */
    public static AlertRule parse(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            AlertRule r = new AlertRule();
            r.id = n.path("id").asText();
            r.orgId = n.path("org_id").asText();
            r.sourceId = n.path("source_id").isTextual() ? n.path("source_id").asText() : null;
            r.name = n.path("name").asText("");
            r.active = n.path("is_active").asBoolean(true);
            r.version = n.path("version").asLong(0);
            r.signingSecret = n.path("signing_secret").asText("");
            JsonNode c = n.path("condition");
            if (c.has("anomaly")) {
                r.kind = "anomaly";
                JsonNode a = c.get("anomaly");
                r.anomalyMinScore = a.path("min_score").asDouble(0.5);
                r.anomalyMetric = a.path("metric").isTextual() ? a.path("metric").asText() : null;
                r.anomalyLabel = a.path("label").isTextual() ? a.path("label").asText() : null;
            } else if (c.has("pattern")) {
                r.kind = "pattern";
                r.patternNewTemplate = c.get("pattern").path("new_template").asBoolean(false);
                r.patternContains = c.get("pattern").path("contains").isTextual() ? c.get("pattern").path("contains").asText() : null;
            } else {
                r.kind = "threshold";
                r.metric = c.path("metric").asText();
                r.op = c.path("op").asText(">");
                r.threshold = c.path("threshold").asDouble();
                r.windowMinutes = Integer.parseInt(c.path("window").asText("1m").replace("m", ""));
                r.service = c.path("service").isTextual() ? c.path("service").asText() : null;
                r.sustained = c.path("sustained").asInt(1);
                if (c.has("escalate_above")) {
                    r.escalateAbove = c.get("escalate_above").asDouble();
                    r.escalateWithinMs = Long.parseLong(c.path("escalate_within").asText("10m").replace("m", "")) * 60_000L;
                }
                r.resolveAfter = c.path("resolve_after").asInt(3);
            }
            JsonNode ch = n.path("channels");
            r.slack = strings(ch.path("slack"));
            r.email = strings(ch.path("email"));
            r.webhook = strings(ch.path("webhook"));
            return r;
        } catch (Exception e) {
            throw new IllegalArgumentException("Unreadable alert rule: " + e.getMessage(), e);
        }
    }

    private static String[] strings(JsonNode array) {
        if (!array.isArray()) {
            return new String[0];
        }
        String[] out = new String[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asText();
        }
        return out;
    }

    /**
     * Pattern rules are judged line by line as lines are mined (an alert within a second of the
     * line); threshold and anomaly rules on complete windows.
     */
    public boolean perLine() {
        return "pattern".equals(kind);
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
            containsPattern = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(patternContains),
                    java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.UNICODE_CASE);
        }
        return raw != null && containsPattern.matcher(raw).find();
    }

    /** Whether the rule watches this org's source. */
    public boolean watches(String org, String source) {
        return active && orgId.equals(org) && (sourceId == null || sourceId.equals(source));
    }

    public boolean breaches(double value) {
        return switch (op) {
            case ">" -> value > threshold;
            case ">=" -> value >= threshold;
            case "<" -> value < threshold;
            default -> value <= threshold;
        };
    }

    /** Whether {@code value} is worse than {@code than} in the rule's direction (for escalation). */
    public boolean worse(double value, double than) {
        return op.startsWith(">") ? value >= than : value <= than;
    }
}
