package dev.logai.common.contract.alert;

import dev.logai.common.contract.Metric;
import dev.logai.common.contract.alert.AlertCondition.AnomalyLabel;
import dev.logai.common.contract.alert.AlertCondition.Comparison;
import dev.logai.common.outbound.OutboundTargets;
import dev.logai.common.secret.SecretSeal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.stream.Collectors;

/**
 * The alert-rule contract, in one place: what a condition and its channels may say, their
 * defaults and limits, and the JSON of the stored rule and of the rules topic. Works on JSON
 * trees as plain Java values ({@code Map<String, Object>}, {@code List<Object>}, {@code String},
 * {@code Number}, {@code Boolean}, {@code null}), as any Jackson version reads them into
 * {@code Object.class} and writes them back, so the query API (Jackson 3) and the pipeline
 * (Jackson 2) share it without sharing a JSON library.
 *
 * <p>Reading validates and fills in defaults; every refusal is an {@link InvalidAlertRuleException}
 * whose message names the field and says what to fix. Writing gives the canonical form (durations
 * as {@code "Nm"}, defaults spelled out), which reads back to the same value.
 */
public final class AlertRuleCodec {
    /** At most this many targets per channel kind. */
    public static final int MAX_TARGETS = 10;
    /** Longest {@code condition.pattern.contains}, in characters. */
    public static final int MAX_CONTAINS = 500;
    /** Longest {@code condition.service}, in characters. */
    public static final int MAX_SERVICE = 200;
    /** Longest e-mail address, in characters (RFC 5321's path limit less the brackets). */
    public static final int MAX_EMAIL = 254;
    /** Lowest {@code min_score} an anomaly rule may ask for: the detectors' own threshold. */
    public static final double MIN_ANOMALY_SCORE = 0.5;

    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
    public static final Duration MAX_WINDOW = Duration.ofMinutes(60);
    public static final Duration DEFAULT_ESCALATE_WITHIN = Duration.ofMinutes(10);
    public static final Duration MAX_ESCALATE_WITHIN = Duration.ofHours(24);
    /** The longest silence an absence rule may allow. */
    public static final Duration MAX_ABSENCE = Duration.ofHours(24);

    public static final int DEFAULT_SUSTAINED = 1;
    public static final int DEFAULT_RESOLVE_AFTER = 3;
    /** Upper bound of {@code sustained} and {@code resolve_after}, in windows. */
    public static final int MAX_WINDOWS = 60;
    /**
     * {@code page_max_age} when a rule does not say: transitions on data whose window ended an hour
     * or more before the job decides them are recorded, not sent.
     */
    public static final Duration DEFAULT_PAGE_MAX_AGE = Duration.ofMinutes(60);

    public static final Duration MIN_PAGE_MAX_AGE = Duration.ofMinutes(1);
    public static final Duration MAX_PAGE_MAX_AGE = Duration.ofDays(30);
    /** The wire value of {@code page_max_age} that pages for data of any age. */
    public static final String PAGE_ANY_AGE = "off";

    private static final java.util.regex.Pattern EMAIL = java.util.regex.Pattern.compile(
            "^[^@\\s<>\"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$");
    private static final java.util.regex.Pattern DURATION = java.util.regex.Pattern.compile("^(\\d{1,4})(s|m|h)$");
    // Days too: a backfill's age is counted in days. Kept apart from DURATION, whose fields top out at 24h.
    private static final java.util.regex.Pattern AGE = java.util.regex.Pattern.compile("^(\\d{1,5})(m|h|d)$");
    private static final Set<String> THRESHOLD_FIELDS = Set.of(
            "metric",
            "op",
            "threshold",
            "window",
            "service",
            "sustained",
            "escalate_above",
            "escalate_within",
            "resolve_after");
    private static final List<String> CHANNEL_KINDS = List.of("slack", "email", "webhook");

    private AlertRuleCodec() {}

    /**
     * Checks a Slack or webhook target before it is accepted (the query API: SSRF rules of
     * {@link OutboundTargets}); e-mail addresses are checked by the codec itself.
     */
    @FunctionalInterface
    public interface TargetCheck {
        /** Accepts everything: the pipeline checks each target again right before sending. */
        TargetCheck NONE = (kind, target) -> {};

        /**
         * @param kind {@code slack} or {@code webhook}
         * @throws OutboundTargets.UnsafeTargetException with a message saying what is wrong
         */
        void check(String kind, String target) throws OutboundTargets.UnsafeTargetException;

        /** Slack URLs through {@link OutboundTargets#slack}, webhooks through {@link OutboundTargets#webhook}. */
        static TargetCheck of(OutboundTargets targets) {
            return (kind, target) -> {
                if (kind.equals("slack")) {
                    targets.slack(target);
                } else {
                    targets.webhook(target);
                }
            };
        }
    }

    // ---- conditions

    /**
     * Reads a condition: an object with {@code "anomaly"}, {@code "pattern"} or {@code "absence"}, or
     * else a threshold.
     *
     * @param tree the {@code condition} JSON as plain Java values
     * @throws InvalidAlertRuleException naming the field at fault
     */
    public static AlertCondition readCondition(Object tree) {
        if (!(tree instanceof Map<?, ?> c)) {
            throw invalid("'condition' must be a JSON object, e.g. {\"metric\": \"error_rate\", \"op\": \">\","
                    + " \"threshold\": 0.02, \"window\": \"5m\"}");
        }
        if (c.containsKey("anomaly")) {
            return anomaly(c.get("anomaly"));
        }
        if (c.containsKey("pattern")) {
            return pattern(c.get("pattern"));
        }
        if (c.containsKey("absence")) {
            return absence(c.get("absence"));
        }
        return threshold(c);
    }

    private static AlertCondition.Anomaly anomaly(Object tree) {
        Map<?, ?> a = object(tree, "condition.anomaly", Set.of("min_score", "metric", "label"));
        double minScore = a.containsKey("min_score")
                ? number(a.get("min_score"), "condition.anomaly.min_score")
                : MIN_ANOMALY_SCORE;
        if (minScore < MIN_ANOMALY_SCORE || minScore > 1) {
            throw invalid("'condition.anomaly.min_score' must be between 0.5 (the detector's threshold) and 1");
        }
        Metric metric = null;
        if (a.containsKey("metric")) {
            String name = oneOf(a.get("metric"), "condition.anomaly.metric", Metric.detectedNames());
            metric = Metric.fromWireName(name).orElseThrow();
        }
        AnomalyLabel label = a.containsKey("label")
                ? wireEnum(a.get("label"), "condition.anomaly.label", AnomalyLabel.class, AnomalyLabel::wireName)
                : null;
        return new AlertCondition.Anomaly(minScore, metric, label);
    }

    private static AlertCondition.Pattern pattern(Object tree) {
        Map<?, ?> p = object(tree, "condition.pattern", Set.of("new_template", "contains"));
        Object nt = p.get("new_template");
        boolean newTemplate = Boolean.TRUE.equals(nt) || "true".equals(nt);
        Object raw = p.get("contains");
        String contains =
                raw instanceof String || raw instanceof Number || raw instanceof Boolean ? raw.toString() : "";
        if (!newTemplate && contains.isBlank()) {
            throw invalid("'condition.pattern' needs \"new_template\": true and/or a non-empty \"contains\" text");
        }
        if (contains.length() > MAX_CONTAINS) {
            throw invalid("'condition.pattern.contains' must be at most " + MAX_CONTAINS + " characters");
        }
        return new AlertCondition.Pattern(newTemplate, contains.isBlank() ? null : contains);
    }

    private static AlertCondition.Absence absence(Object tree) {
        Map<?, ?> a = object(tree, "condition.absence", Set.of("for", "contains"));
        if (!a.containsKey("for")) {
            throw invalid("'condition.absence.for' is required: how long the source may stay silent, e.g. \"10m\"");
        }
        Duration forDuration =
                duration(a.get("for"), "condition.absence.for", null, "\"10m\" or \"2h\" (whole minutes)");
        if (forDuration.toMinutes() < 1
                || forDuration.compareTo(MAX_ABSENCE) > 0
                || forDuration.toSeconds() % 60 != 0) {
            throw invalid("'condition.absence.for' must be whole minutes from 1m to 24h");
        }
        Object raw = a.get("contains");
        String contains =
                raw instanceof String || raw instanceof Number || raw instanceof Boolean ? raw.toString() : "";
        if (contains.length() > MAX_CONTAINS) {
            throw invalid("'condition.absence.contains' must be at most " + MAX_CONTAINS + " characters");
        }
        return new AlertCondition.Absence(forDuration, contains.isBlank() ? null : contains);
    }

    private static AlertCondition.Threshold threshold(Map<?, ?> c) {
        object(c, "condition", THRESHOLD_FIELDS);
        String metricName = oneOf(c.get("metric"), "condition.metric", Metric.thresholdRuleNames());
        Comparison op = wireEnum(c.get("op"), "condition.op", Comparison.class, Comparison::symbol);
        double threshold = number(c.get("threshold"), "condition.threshold");
        Duration window = duration(c.get("window"), "condition.window", DEFAULT_WINDOW, "\"5m\" (whole minutes)");
        if (window.toMinutes() < 1 || window.compareTo(MAX_WINDOW) > 0 || window.toSeconds() % 60 != 0) {
            throw invalid("'condition.window' must be whole minutes from 1m to 60m");
        }
        String service = null;
        if (c.containsKey("service")) {
            Object s = c.get("service");
            service = s instanceof String || s instanceof Number || s instanceof Boolean ? s.toString() : "";
            if (service.isBlank() || service.length() > MAX_SERVICE) {
                throw invalid("'condition.service' must be a service name of 1 to " + MAX_SERVICE + " characters");
            }
        }
        int sustained = integer(c.get("sustained"), "condition.sustained", DEFAULT_SUSTAINED, 1, MAX_WINDOWS);
        Double escalateAbove = null;
        Duration escalateWithin = null;
        if (c.containsKey("escalate_above")) {
            escalateAbove = number(c.get("escalate_above"), "condition.escalate_above");
            escalateWithin = duration(
                    c.get("escalate_within"),
                    "condition.escalate_within",
                    DEFAULT_ESCALATE_WITHIN,
                    "\"30m\" or \"2h\"");
            if (escalateWithin.toMinutes() < 1 || escalateWithin.compareTo(MAX_ESCALATE_WITHIN) > 0) {
                throw invalid("'condition.escalate_within' must be from 1m to 24h");
            }
            // Stored, and judged, in whole minutes.
            escalateWithin = Duration.ofMinutes(escalateWithin.toMinutes());
        }
        int resolveAfter =
                integer(c.get("resolve_after"), "condition.resolve_after", DEFAULT_RESOLVE_AFTER, 1, MAX_WINDOWS);
        return new AlertCondition.Threshold(
                Metric.fromWireName(metricName).orElseThrow(),
                op,
                threshold,
                window,
                service,
                sustained,
                escalateAbove,
                escalateWithin,
                resolveAfter);
    }

    /**
     * The canonical JSON tree of a condition (insertion-ordered maps), as stored in
     * {@code alert_rule.condition_json} and sent on the rules topic; optional parts that are not
     * set are left out.
     */
    public static Map<String, Object> writeCondition(AlertCondition condition) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (condition instanceof AlertCondition.Anomaly a) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("min_score", a.minScore());
            if (a.metric() != null) n.put("metric", a.metric().wireName());
            if (a.label() != null) n.put("label", a.label().wireName());
            out.put("anomaly", n);
        } else if (condition instanceof AlertCondition.Pattern p) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("new_template", p.newTemplate());
            if (p.contains() != null) n.put("contains", p.contains());
            out.put("pattern", n);
        } else if (condition instanceof AlertCondition.Absence a) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("for", hoursOrMinutes(a.forDuration().toMinutes())); // "24h", not "1440m"
            if (a.contains() != null) n.put("contains", a.contains());
            out.put("absence", n);
        } else if (condition instanceof AlertCondition.Threshold t) {
            out.put("metric", t.metric().wireName());
            out.put("op", t.op().symbol());
            out.put("threshold", t.threshold());
            out.put("window", t.window().toMinutes() + "m");
            if (t.service() != null) out.put("service", t.service());
            out.put("sustained", t.sustained());
            if (t.escalateAbove() != null) {
                out.put("escalate_above", t.escalateAbove());
                out.put("escalate_within", t.escalateWithin().toMinutes() + "m");
            }
            out.put("resolve_after", t.resolveAfter());
        }
        return out;
    }

    // ---- channels

    /**
     * Reads channels: {@code {"slack": [url], "email": [address], "webhook": [url]}}, each optional,
     * at least one target in all. Targets are stripped of surrounding blanks.
     *
     * @param tree the {@code channels} JSON as plain Java values
     * @param check applied to each Slack and webhook target ({@link TargetCheck#NONE}: none)
     * @throws InvalidAlertRuleException naming the field or target at fault
     */
    public static AlertChannels readChannels(Object tree, TargetCheck check) {
        if (!(tree instanceof Map<?, ?>)) {
            throw invalid(
                    "'channels' must be a JSON object such as {\"slack\": [\"https://hooks.slack.com/services/...\"],"
                            + " \"email\": [\"oncall@example.com\"], \"webhook\": [\"https://...\"]}");
        }
        Map<?, ?> ch = object(tree, "channels", Set.copyOf(CHANNEL_KINDS));
        List<List<String>> lists = new ArrayList<>();
        for (String kind : CHANNEL_KINDS) {
            Object list = ch.get(kind);
            List<String> targets = new ArrayList<>();
            if (list != null) {
                if (!(list instanceof List<?> items) || items.size() > MAX_TARGETS) {
                    throw invalid("'channels." + kind + "' must be an array of at most " + MAX_TARGETS + " entries");
                }
                for (Object item : items) {
                    targets.add(target(kind, item instanceof String s ? s.strip() : "", check));
                }
            }
            lists.add(targets);
        }
        AlertChannels channels = new AlertChannels(lists.get(0), lists.get(1), lists.get(2));
        if (channels.size() == 0) {
            throw invalid("'channels' needs at least one Slack webhook, email address or webhook URL");
        }
        return channels;
    }

    private static String target(String kind, String target, TargetCheck check) {
        if (kind.equals("email")) {
            if (target.length() > MAX_EMAIL || !EMAIL.matcher(target).matches()) {
                throw invalid("'" + target + "' in channels.email is not an email address");
            }
            return target;
        }
        try {
            check.check(kind, target);
            return target;
        } catch (OutboundTargets.UnsafeTargetException e) {
            throw invalid("channels." + kind + ": " + e.getMessage());
        }
    }

    /** The JSON tree of channels: only the kinds that have targets. */
    public static Map<String, Object> writeChannels(AlertChannels channels) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!channels.slack().isEmpty()) out.put("slack", channels.slack());
        if (!channels.email().isEmpty()) out.put("email", channels.email());
        if (!channels.webhook().isEmpty()) out.put("webhook", channels.webhook());
        return out;
    }

    // ---- page_max_age

    /**
     * Reads {@code page_max_age}: how old a rule's data may be for a transition to be sent. A
     * duration in whole minutes, hours or days ({@code "90m"}, {@code "6h"}, {@code "2d"}) from 1m
     * to 30d, measured from the end of the data's window (a pattern rule: the line's event time) to
     * the moment the job decides, on the wall clock; older transitions are recorded, not sent.
     *
     * @param tree the JSON value: absent or {@code null} gives {@link #DEFAULT_PAGE_MAX_AGE};
     *     {@code "off"} gives null (page for data of any age)
     * @return the limit, or null for "off"
     * @throws InvalidAlertRuleException for anything else
     */
    public static Duration readPageMaxAge(Object tree) {
        if (tree == null) {
            return DEFAULT_PAGE_MAX_AGE;
        }
        if (PAGE_ANY_AGE.equals(tree)) {
            return null;
        }
        Matcher m = AGE.matcher(tree instanceof String s ? s : "");
        Duration age = null;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            age = switch (m.group(2)) {
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        if (age == null || age.compareTo(MIN_PAGE_MAX_AGE) < 0 || age.compareTo(MAX_PAGE_MAX_AGE) > 0) {
            throw invalid("'page_max_age' must be a duration from 1m to 30d such as \"60m\", \"6h\" or \"2d\""
                    + " (alerts on data older than that are recorded, not sent), or \"off\" to page for data of"
                    + " any age");
        }
        return age;
    }

    /**
     * The canonical wire form of {@code page_max_age}: {@code "off"} for null, else the largest whole
     * unit ({@code "2d"}, {@code "6h"}, {@code "90m"}); reads back to the same value.
     */
    public static String writePageMaxAge(Duration age) {
        if (age == null) {
            return PAGE_ANY_AGE;
        }
        long minutes = age.toMinutes();
        if (minutes % (24 * 60) == 0) {
            return minutes / (24 * 60) + "d";
        }
        return hoursOrMinutes(minutes);
    }

    /** Whole minutes in the largest of the two units that holds them whole: {@code "6h"}, {@code "90m"}. */
    private static String hoursOrMinutes(long minutes) {
        return minutes % 60 == 0 ? minutes / 60 + "h" : minutes + "m";
    }

    // ---- the rules topic

    /** {@link #writeRule(AlertRuleSpec, SecretSeal)} with the key of the environment. */
    public static Map<String, Object> writeRule(AlertRuleSpec rule) {
        return writeRule(rule, SecretSeal.fromEnvironment());
    }

    /**
     * The rules-topic value of a rule: {@code {"id", "org_id", "source_id" (null: all sources),
     * "name", "condition", "channels", "page_max_age", "is_active", "version", "signing_secret"}},
     * the signing secret sealed by {@code seal} for this rule ({@link #secretContext}), so the topic
     * never holds it in clear when a key is set.
     */
    public static Map<String, Object> writeRule(AlertRuleSpec rule, SecretSeal seal) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", rule.id());
        out.put("org_id", rule.orgId());
        out.put("source_id", rule.sourceId());
        out.put("name", rule.name());
        out.put("condition", writeCondition(rule.condition()));
        out.put("channels", writeChannels(rule.channels()));
        out.put("page_max_age", writePageMaxAge(rule.pageMaxAge()));
        out.put("is_active", rule.active());
        out.put("version", rule.version());
        out.put("signing_secret", seal.seal(rule.signingSecret(), secretContext(rule.orgId(), rule.id())));
        return out;
    }

    /** What a rule's sealed secret is bound to: it opens only in the same org's same rule. */
    static String secretContext(String orgId, String ruleId) {
        return "alert_rule/" + orgId + "/" + ruleId;
    }

    /** {@link #readRule(Object, SecretSeal)} with the key of the environment. */
    public static AlertRuleSpec readRule(Object tree) {
        return readRule(tree, SecretSeal.fromEnvironment());
    }

    /**
     * Reads a rules-topic value (see {@link #writeRule}). {@code id} and {@code org_id} are
     * required; {@code name} defaults to "", {@code is_active} to true, {@code version} to 0 and
     * {@code signing_secret} to "", {@code page_max_age} to {@link #DEFAULT_PAGE_MAX_AGE} (records
     * written before the option existed). The condition, channels and {@code page_max_age} are read
     * as a client's are, except that Slack and webhook targets are not checked again here (the
     * sender checks them).
     *
     * A sealed {@code signing_secret} is opened with {@code seal}; one in clear (written before
     * sealing, or without a key) is taken as it is.
     *
     * @throws InvalidAlertRuleException when the record breaks the contract, or its secret does not
     *     open (no key, another key, altered)
     */
    public static AlertRuleSpec readRule(Object tree, SecretSeal seal) {
        if (!(tree instanceof Map<?, ?> n)) {
            throw invalid("An alert rule must be a JSON object");
        }
        String id = requiredString(n, "id");
        String orgId = requiredString(n, "org_id");
        String sourceId = n.get("source_id") instanceof String s ? s : null;
        String name = n.get("name") instanceof String s ? s : "";
        boolean active = !(n.get("is_active") instanceof Boolean b) || b;
        long version = n.get("version") instanceof Number v ? v.longValue() : 0;
        String secret;
        try {
            secret = seal.open(n.get("signing_secret") instanceof String s ? s : "", secretContext(orgId, id));
        } catch (IllegalArgumentException e) {
            throw invalid("'signing_secret' cannot be read: " + e.getMessage());
        }
        return new AlertRuleSpec(
                id,
                orgId,
                sourceId,
                name,
                readCondition(n.get("condition")),
                readChannels(n.get("channels"), TargetCheck.NONE),
                readPageMaxAge(n.get("page_max_age")),
                active,
                version,
                secret);
    }

    // ---- field readers

    private static String requiredString(Map<?, ?> n, String field) {
        if (!(n.get(field) instanceof String s) || s.isEmpty()) {
            throw invalid("'" + field + "' is required");
        }
        return s;
    }

    private static Map<?, ?> object(Object tree, String where, Set<String> allowed) {
        if (!(tree instanceof Map<?, ?> node)) {
            throw invalid("'" + where + "' must be a JSON object");
        }
        for (Object name : node.keySet()) {
            if (!allowed.contains(String.valueOf(name))) {
                throw invalid("'" + where + "' has an unknown field '" + name + "'; allowed: "
                        + String.join(", ", new TreeSet<>(allowed)));
            }
        }
        return node;
    }

    private static String oneOf(Object v, String field, Set<String> allowed) {
        if (!(v instanceof String s) || !allowed.contains(s)) {
            throw invalid("'" + field + "' must be one of " + String.join(", ", new TreeSet<>(allowed)));
        }
        return s;
    }

    private static <E extends Enum<E>> E wireEnum(
            Object v, String field, Class<E> type, java.util.function.Function<E, String> wireName) {
        Map<String, E> byName = EnumSet.allOf(type).stream()
                .collect(Collectors.toMap(wireName, e -> e, (a, b) -> a, LinkedHashMap::new));
        return byName.get(oneOf(v, field, byName.keySet()));
    }

    private static double number(Object v, String field) {
        if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw invalid("'" + field + "' must be a number");
        }
        return n.doubleValue();
    }

    private static int integer(Object v, String field, int dflt, int min, int max) {
        if (v == null) {
            return dflt;
        }
        boolean integral = v instanceof Integer
                || v instanceof Long
                || v instanceof Short
                || v instanceof Byte
                || v instanceof BigInteger;
        long n = integral ? ((Number) v).longValue() : Long.MIN_VALUE;
        if (!integral || n < min || n > max) {
            throw invalid("'" + field + "' must be a whole number from " + min + " to " + max);
        }
        return (int) n;
    }

    /**
     * A duration written as a number and a unit ({@code s}, {@code m}, {@code h}), or {@code dflt}
     * when absent.
     *
     * @param examples what the error names as valid values of this field, e.g. {@code "10m" or "2h"}
     * @throws InvalidAlertRuleException when {@code v} is not such a string
     */
    private static Duration duration(Object v, String field, Duration dflt, String examples) {
        if (v == null) {
            return dflt;
        }
        Matcher m = DURATION.matcher(v instanceof String s ? s : "");
        if (!m.matches()) {
            throw invalid("'" + field + "' must be a duration such as " + examples);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    private static InvalidAlertRuleException invalid(String message) {
        return new InvalidAlertRuleException(message);
    }
}
