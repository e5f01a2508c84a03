package dev.logai.query.alert;

import dev.logai.common.outbound.OutboundTargets;
import dev.logai.common.web.ApiProblem;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What an alert rule may say, checked before it is stored, with messages that say what to fix.
 *
 * <p>Conditions, one of:
 * <ul>
 *   <li>threshold (the seed's): {@code {"metric": "error_rate", "op": ">", "threshold": 0.02,
 *       "window": "5m", "service": "api"}}, optionally {@code "sustained": N} consecutive
 *       breaching windows, {@code "escalate_above": x} within {@code "escalate_within": "10m"},
 *       {@code "resolve_after": K} clean windows (default 3);</li>
 *   <li>anomaly: {@code {"anomaly": {"min_score": 0.8, "metric": "error_rate", "label": "spike"}}};</li>
 *   <li>pattern: {@code {"pattern": {"new_template": true, "contains": "OutOfMemoryError"}}}.</li>
 * </ul>
 * Channels: {@code {"slack": [url], "email": [address], "webhook": [url]}}, at least one target;
 * Slack and webhook URLs must pass {@link OutboundTargets} (SSRF) now and again when sent.
 */
final class AlertRuleRules {
    static final Set<String> METRICS = Set.of("error_rate", "error_count", "line_count", "latency_p95", "new_templates");
    static final Set<String> OPS = Set.of(">", ">=", "<", "<=");
    static final Set<String> ANOMALY_METRICS = Set.of("volume", "error_rate", "latency_p95", "template_rate", "new_templates");
    static final Set<String> LABELS = Set.of("spike", "drop", "new");
    static final int MAX_TARGETS = 10;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s<>\"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$");
    private static final Pattern DURATION = Pattern.compile("^(\\d{1,4})(s|m|h)$");

    private final OutboundTargets targets;

    AlertRuleRules(OutboundTargets targets) {
        this.targets = targets;
    }

    /** The condition as stored: validated, defaults filled in. */
    ObjectNode condition(JsonNode c) {
        if (c == null || !c.isObject()) {
            throw bad("'condition' must be a JSON object, e.g. {\"metric\": \"error_rate\", \"op\": \">\", \"threshold\": 0.02,"
                    + " \"window\": \"5m\"}");
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (c.has("anomaly")) {
            JsonNode a = c.get("anomaly");
            onlyKeys(a, "condition.anomaly", Set.of("min_score", "metric", "label"));
            double minScore = a.has("min_score") ? number(a.get("min_score"), "condition.anomaly.min_score") : 0.5;
            if (minScore < 0.5 || minScore > 1) {
                throw bad("'condition.anomaly.min_score' must be between 0.5 (the detector's threshold) and 1");
            }
            ObjectNode n = out.putObject("anomaly");
            n.put("min_score", minScore);
            if (a.has("metric")) n.put("metric", oneOf(a.get("metric"), "condition.anomaly.metric", ANOMALY_METRICS));
            if (a.has("label")) n.put("label", oneOf(a.get("label"), "condition.anomaly.label", LABELS));
            return out;
        }
        if (c.has("pattern")) {
            JsonNode p = c.get("pattern");
            onlyKeys(p, "condition.pattern", Set.of("new_template", "contains"));
            boolean newTemplate = p.has("new_template") && p.get("new_template").asBoolean(false);
            String contains = p.has("contains") ? p.get("contains").asString("") : "";
            if (!newTemplate && contains.isBlank()) {
                throw bad("'condition.pattern' needs \"new_template\": true and/or a non-empty \"contains\" text");
            }
            if (contains.length() > 500) {
                throw bad("'condition.pattern.contains' must be at most 500 characters");
            }
            ObjectNode n = out.putObject("pattern");
            n.put("new_template", newTemplate);
            if (!contains.isBlank()) n.put("contains", contains);
            return out;
        }
        onlyKeys(c, "condition", Set.of("metric", "op", "threshold", "window", "service", "sustained", "escalate_above",
                "escalate_within", "resolve_after"));
        out.put("metric", oneOf(c.get("metric"), "condition.metric", METRICS));
        out.put("op", oneOf(c.get("op"), "condition.op", OPS));
        out.put("threshold", number(c.get("threshold"), "condition.threshold"));
        Duration window = duration(c.has("window") ? c.get("window") : null, "condition.window", "1m");
        if (window.toMinutes() < 1 || window.toMinutes() > 60 || window.toSeconds() % 60 != 0) {
            throw bad("'condition.window' must be whole minutes from 1m to 60m");
        }
        out.put("window", window.toMinutes() + "m");
        if (c.has("service")) {
            String service = c.get("service").asString("");
            if (service.isBlank() || service.length() > 200) {
                throw bad("'condition.service' must be a service name of 1 to 200 characters");
            }
            out.put("service", service);
        }
        out.put("sustained", integer(c.get("sustained"), "condition.sustained", 1, 1, 60));
        if (c.has("escalate_above")) {
            out.put("escalate_above", number(c.get("escalate_above"), "condition.escalate_above"));
            Duration within = duration(c.get("escalate_within"), "condition.escalate_within", "10m");
            if (within.toMinutes() < 1 || within.toHours() > 24) {
                throw bad("'condition.escalate_within' must be from 1m to 24h");
            }
            out.put("escalate_within", within.toMinutes() + "m");
        }
        out.put("resolve_after", integer(c.get("resolve_after"), "condition.resolve_after", 3, 1, 60));
        return out;
    }

    /** The channels as stored: every target checked. */
    ObjectNode channels(JsonNode ch) {
        if (ch == null || !ch.isObject()) {
            throw bad("'channels' must be a JSON object such as {\"slack\": [\"https://hooks.slack.com/services/...\"],"
                    + " \"email\": [\"oncall@example.com\"], \"webhook\": [\"https://...\"]}");
        }
        onlyKeys(ch, "channels", Set.of("slack", "email", "webhook"));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        int total = 0;
        for (Map.Entry<String, JsonNode> kind : List.of(Map.entry("slack", ch.path("slack")),
                Map.entry("email", ch.path("email")), Map.entry("webhook", ch.path("webhook")))) {
            JsonNode list = kind.getValue();
            if (list.isMissingNode() || list.isNull()) {
                continue;
            }
            if (!list.isArray() || list.size() > MAX_TARGETS) {
                throw bad("'channels." + kind.getKey() + "' must be an array of at most " + MAX_TARGETS + " entries");
            }
            var array = out.putArray(kind.getKey());
            for (JsonNode item : list) {
                String target = item.isString() ? item.asString().strip() : "";
                array.add(target(kind.getKey(), target));
                total++;
            }
        }
        if (total == 0) {
            throw bad("'channels' needs at least one Slack webhook, email address or webhook URL");
        }
        return out;
    }

    private String target(String kind, String target) {
        try {
            switch (kind) {
                case "slack" -> targets.slack(target);
                case "webhook" -> targets.webhook(target);
                default -> {
                    if (target.length() > 254 || !EMAIL.matcher(target).matches()) {
                        throw bad("'" + target + "' in channels.email is not an email address");
                    }
                }
            }
            return target;
        } catch (OutboundTargets.UnsafeTargetException e) {
            throw bad("channels." + kind + ": " + e.getMessage());
        }
    }

    private static void onlyKeys(JsonNode node, String where, Set<String> allowed) {
        if (!node.isObject()) {
            throw bad("'" + where + "' must be a JSON object");
        }
        Iterator<String> names = node.propertyNames().iterator();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw bad("'" + where + "' has an unknown field '" + name + "'; allowed: " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    private static String oneOf(JsonNode v, String field, Set<String> allowed) {
        String s = v == null || !v.isString() ? null : v.asString();
        if (s == null || !allowed.contains(s)) {
            throw bad("'" + field + "' must be one of " + String.join(", ", allowed.stream().sorted().toList()));
        }
        return s;
    }

    private static double number(JsonNode v, String field) {
        if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw bad("'" + field + "' must be a number");
        }
        return v.asDouble();
    }

    private static int integer(JsonNode v, String field, int dflt, int min, int max) {
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isIntegralNumber() || v.asInt() < min || v.asInt() > max) {
            throw bad("'" + field + "' must be a whole number from " + min + " to " + max);
        }
        return v.asInt();
    }

    private static Duration duration(JsonNode v, String field, String dflt) {
        String s = v == null || v.isNull() ? dflt : v.isString() ? v.asString() : "";
        var m = DURATION.matcher(s);
        if (!m.matches()) {
            throw bad("'" + field + "' must be a duration such as \"5m\", \"90s\" or \"1h\"");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    static ApiProblem bad(String detail) {
        return ApiProblem.badRequest(detail);
    }
}
