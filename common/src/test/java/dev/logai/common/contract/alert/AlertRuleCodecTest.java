package dev.logai.common.contract.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logai.common.contract.Metric;
import dev.logai.common.contract.alert.AlertCondition.AnomalyLabel;
import dev.logai.common.contract.alert.AlertCondition.Comparison;
import dev.logai.common.contract.alert.AlertRuleCodec.TargetCheck;
import dev.logai.common.outbound.OutboundTargets;
import dev.logai.common.secret.SecretSeal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The alert-rule contract: defaults, canonical form, the rules-topic record and every refusal. */
class AlertRuleCodecTest {
    static final Map<String, Object> EMAIL = Map.of("email", List.of("oncall@example.com"));

    @Test
    void aThresholdConditionTakesItsDefaults() {
        AlertCondition c = AlertRuleCodec.readCondition(Map.of("metric", "error_rate", "op", ">", "threshold", 0.02));
        assertThat(c)
                .isEqualTo(new AlertCondition.Threshold(
                        Metric.ERROR_RATE, Comparison.GT, 0.02, Duration.ofMinutes(1), null, 1, null, null, 3));
        assertThat(AlertRuleCodec.writeCondition(c))
                .containsExactly(
                        Map.entry("metric", "error_rate"),
                        Map.entry("op", ">"),
                        Map.entry("threshold", 0.02),
                        Map.entry("window", "1m"),
                        Map.entry("sustained", 1),
                        Map.entry("resolve_after", 3));
    }

    @Test
    void aFullThresholdConditionIsWrittenCanonicallyAndReadsBackTheSame() {
        Map<String, Object> in = Map.of(
                "metric",
                "latency_p95",
                "op",
                "<=",
                "threshold",
                250,
                "window",
                "1h",
                "service",
                "api",
                "sustained",
                2,
                "escalate_above",
                900,
                "escalate_within",
                "90s",
                "resolve_after",
                5);
        AlertCondition c = AlertRuleCodec.readCondition(in);
        assertThat(c)
                .isEqualTo(new AlertCondition.Threshold(
                        Metric.LATENCY_P95,
                        Comparison.LE,
                        250,
                        Duration.ofMinutes(60),
                        "api",
                        2,
                        900.0,
                        Duration.ofMinutes(1),
                        5));
        Map<String, Object> out = AlertRuleCodec.writeCondition(c);
        assertThat(out).containsEntry("window", "60m").containsEntry("escalate_within", "1m");
        assertThat(AlertRuleCodec.readCondition(out)).isEqualTo(c);
    }

    @Test
    void anomalyAndPatternConditionsTakeTheirDefaults() {
        assertThat(AlertRuleCodec.readCondition(Map.of("anomaly", Map.of())))
                .isEqualTo(new AlertCondition.Anomaly(0.5, null, null));
        AlertCondition anomaly = AlertRuleCodec.readCondition(
                Map.of("anomaly", Map.of("min_score", 0.8, "metric", "volume", "label", "spike")));
        assertThat(anomaly).isEqualTo(new AlertCondition.Anomaly(0.8, Metric.VOLUME, AnomalyLabel.SPIKE));
        assertThat(AlertRuleCodec.writeCondition(anomaly))
                .isEqualTo(Map.of("anomaly", Map.of("min_score", 0.8, "metric", "volume", "label", "spike")));

        AlertCondition absence =
                AlertRuleCodec.readCondition(Map.of("absence", Map.of("for", "10m", "contains", "backup finished")));
        assertThat(absence).isEqualTo(new AlertCondition.Absence(java.time.Duration.ofMinutes(10), "backup finished"));
        assertThat(AlertRuleCodec.writeCondition(absence))
                .isEqualTo(Map.of("absence", Map.of("for", "10m", "contains", "backup finished")));
        assertThat(AlertRuleCodec.readCondition(Map.of("absence", Map.of("for", "1h"))))
                .isEqualTo(new AlertCondition.Absence(java.time.Duration.ofHours(1), null));
        assertThat(AlertRuleCodec.writeCondition(new AlertCondition.Absence(java.time.Duration.ofHours(24), null)))
                .as("whole hours are written as hours")
                .isEqualTo(Map.of("absence", Map.of("for", "24h")));
        AlertCondition pattern =
                AlertRuleCodec.readCondition(Map.of("pattern", Map.of("contains", "OutOfMemoryError")));
        assertThat(pattern).isEqualTo(new AlertCondition.Pattern(false, "OutOfMemoryError"));
        assertThat(AlertRuleCodec.writeCondition(pattern))
                .isEqualTo(Map.of("pattern", Map.of("new_template", false, "contains", "OutOfMemoryError")));
        assertThat(AlertRuleCodec.readCondition(Map.of("pattern", Map.of("new_template", true))))
                .isEqualTo(new AlertCondition.Pattern(true, null));
    }

    static List<Object[]> refusedConditions() {
        Map<String, Object> nullService = new HashMap<>(Map.of("metric", "error_rate", "op", ">", "threshold", 1));
        nullService.put("service", null);
        return List.of(
                new Object[] {"not an object", "'condition' must be a JSON object"},
                new Object[] {
                    threshold("metric", "cpu"),
                    "'condition.metric' must be one of error_count, error_rate,"
                            + " latency_p95, line_count, new_templates"
                },
                new Object[] {threshold("metric", "volume"), "'condition.metric' must be one of"},
                new Object[] {threshold("op", "="), "'condition.op' must be one of <, <=, >, >="},
                new Object[] {threshold("threshold", "high"), "'condition.threshold' must be a number"},
                new Object[] {threshold("threshold", Double.NaN), "'condition.threshold' must be a number"},
                new Object[] {threshold("window", "2d"), "'condition.window' must be a duration such as \"5m\""},
                new Object[] {threshold("window", "90s"), "'condition.window' must be whole minutes from 1m to 60m"},
                new Object[] {threshold("window", "61m"), "'condition.window' must be whole minutes from 1m to 60m"},
                new Object[] {nullService, "'condition.service' must be a service name of 1 to 200 characters"},
                new Object[] {threshold("service", "x".repeat(201)), "'condition.service' must be a service name"},
                new Object[] {threshold("sustained", 0), "'condition.sustained' must be a whole number from 1 to 60"},
                new Object[] {threshold("sustained", 1.5), "'condition.sustained' must be a whole number from 1 to 60"},
                new Object[] {
                    threshold("resolve_after", 61), "'condition.resolve_after' must be a whole number from 1 to 60"
                },
                new Object[] {threshold("escalate_above", "x"), "'condition.escalate_above' must be a number"},
                new Object[] {
                    Map.of(
                            "metric",
                            "error_rate",
                            "op",
                            ">",
                            "threshold",
                            1,
                            "escalate_above",
                            2,
                            "escalate_within",
                            "25h"),
                    "'condition.escalate_within' must be from 1m to 24h"
                },
                new Object[] {
                    threshold("limit", 3),
                    "'condition' has an unknown field 'limit'; allowed: escalate_above,"
                            + " escalate_within, metric, op, resolve_after, service, sustained, threshold, window"
                },
                new Object[] {Map.of("anomaly", "x"), "'condition.anomaly' must be a JSON object"},
                new Object[] {
                    Map.of("anomaly", Map.of("min_score", 0.4)),
                    "'condition.anomaly.min_score' must be between 0.5 (the detector's threshold) and 1"
                },
                new Object[] {
                    Map.of("anomaly", Map.of("metric", "line_count")),
                    "'condition.anomaly.metric' must be one of"
                            + " error_rate, latency_geomean, latency_p95, new_templates, silence, template_rate, volume"
                },
                new Object[] {
                    Map.of("anomaly", Map.of("label", "up")),
                    "'condition.anomaly.label' must be one of drop, new, spike"
                },
                new Object[] {Map.of("anomaly", Map.of("score", 1)), "'condition.anomaly' has an unknown field 'score'"
                },
                new Object[] {
                    Map.of("pattern", Map.of("new_template", false)),
                    "'condition.pattern' needs \"new_template\": true and/or a non-empty \"contains\" text"
                },
                new Object[] {
                    Map.of("pattern", Map.of("contains", "x".repeat(501))),
                    "'condition.pattern.contains' must be at most 500 characters"
                },
                new Object[] {Map.of("absence", Map.of()), "'condition.absence.for' is required"},
                new Object[] {
                    Map.of("absence", Map.of("for", "30s")),
                    "'condition.absence.for' must be whole minutes from 1m to 24h"
                },
                new Object[] {
                    Map.of("absence", Map.of("for", "25h")),
                    "'condition.absence.for' must be whole minutes from 1m to 24h"
                },
                new Object[] {
                    // the format error names only values the field then accepts
                    Map.of("absence", Map.of("for", "1.5m")),
                    "'condition.absence.for' must be a duration such as \"10m\" or \"2h\" (whole minutes)"
                });
    }

    static Map<String, Object> threshold(String field, Object value) {
        Map<String, Object> c = new HashMap<>(Map.of("metric", "error_rate", "op", ">", "threshold", 1));
        c.put(field, value);
        return c;
    }

    @ParameterizedTest
    @MethodSource("refusedConditions")
    void badConditionsAreRefusedWithWhatToFix(Object condition, String message) {
        assertThatThrownBy(() -> AlertRuleCodec.readCondition(condition))
                .isInstanceOf(InvalidAlertRuleException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void channelsAreStrippedCheckedAndWrittenWithoutEmptyKinds() {
        List<String> checked = new java.util.ArrayList<>();
        AlertChannels ch = AlertRuleCodec.readChannels(
                Map.of(
                        "email",
                        List.of(" oncall@example.com "),
                        "webhook",
                        List.of("https://198.51.100.7/h"),
                        "slack",
                        List.of()),
                (kind, t) -> checked.add(kind + " " + t));
        assertThat(ch)
                .isEqualTo(
                        new AlertChannels(List.of(), List.of("oncall@example.com"), List.of("https://198.51.100.7/h")));
        assertThat(checked).containsExactly("webhook https://198.51.100.7/h");
        assertThat(AlertRuleCodec.writeChannels(ch)).containsOnlyKeys("email", "webhook");
    }

    static List<Object[]> refusedChannels() {
        return List.of(
                new Object[] {List.of(), "'channels' must be a JSON object such as"},
                new Object[] {Map.of(), "'channels' needs at least one Slack webhook, email address or webhook URL"},
                new Object[] {
                    Map.of("sms", List.of("1")), "'channels' has an unknown field 'sms'; allowed: email, slack, webhook"
                },
                new Object[] {
                    Map.of("email", "a@example.com"), "'channels.email' must be an array of at most 10 entries"
                },
                new Object[] {
                    Map.of("webhook", java.util.Collections.nCopies(11, "https://198.51.100.7/h")),
                    "'channels.webhook' must be an array of at most 10 entries"
                },
                new Object[] {
                    Map.of("email", List.of("not-an-address")),
                    "'not-an-address' in channels.email is not an email address"
                },
                new Object[] {Map.of("slack", List.of("https://198.51.100.7/x")), "channels.slack: refused"});
    }

    @ParameterizedTest
    @MethodSource("refusedChannels")
    void badChannelsAreRefusedWithWhatToFix(Object channels, String message) {
        TargetCheck refuseAll = (kind, t) -> {
            throw new OutboundTargets.UnsafeTargetException("refused");
        };
        assertThatThrownBy(() -> AlertRuleCodec.readChannels(channels, refuseAll))
                .isInstanceOf(InvalidAlertRuleException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void theSigningSecretIsSealedOnTheTopicAndOpensOnlyForItsOwnRule() {
        AlertRuleSpec rule = new AlertRuleSpec(
                "rule_a",
                "org_a",
                null,
                "API errors",
                new AlertCondition.Pattern(true, "OOM"),
                new AlertChannels(List.of(), List.of("a@example.com"), List.of()),
                Duration.ofHours(6),
                true,
                1,
                "whsec_secret");
        SecretSeal seal = SecretSeal.of(SecretSeal.newKey());
        Map<String, Object> wire = AlertRuleCodec.writeRule(rule, seal);
        assertThat((String) wire.get("signing_secret")).startsWith("sealed:v1:").doesNotContain("whsec_");
        assertThat(AlertRuleCodec.readRule(wire, seal)).isEqualTo(rule);

        Map<String, Object> moved = new java.util.HashMap<>(wire);
        moved.put("org_id", "org_b");
        assertThatThrownBy(() -> AlertRuleCodec.readRule(moved, seal))
                .isInstanceOf(InvalidAlertRuleException.class)
                .hasMessageContaining("signing_secret");
        assertThatThrownBy(() -> AlertRuleCodec.readRule(wire, SecretSeal.NONE))
                .isInstanceOf(InvalidAlertRuleException.class)
                .hasMessageContaining(SecretSeal.ENV);
    }

    @Test
    void theRulesTopicRecordRoundTripsAndTakesEnvelopeDefaults() {
        AlertRuleSpec rule = new AlertRuleSpec(
                "rule_a",
                "org_a",
                null,
                "API errors",
                new AlertCondition.Pattern(true, "OOM"),
                new AlertChannels(List.of(), List.of("a@example.com"), List.of()),
                Duration.ofHours(6),
                false,
                7,
                "whsec_x");
        Map<String, Object> wire = AlertRuleCodec.writeRule(rule);
        assertThat(wire.keySet())
                .containsExactly(
                        "id",
                        "org_id",
                        "source_id",
                        "name",
                        "condition",
                        "channels",
                        "page_max_age",
                        "is_active",
                        "version",
                        "signing_secret");
        assertThat(wire).containsEntry("page_max_age", "6h");
        assertThat(AlertRuleCodec.readRule(wire)).isEqualTo(rule);

        AlertRuleSpec minimal = AlertRuleCodec.readRule(Map.of(
                "id",
                "rule_b",
                "org_id",
                "org_a",
                "condition",
                Map.of("metric", "error_count", "op", ">=", "threshold", 5),
                "channels",
                EMAIL));
        assertThat(minimal.active()).isTrue();
        assertThat(minimal.version()).isZero();
        assertThat(minimal.name()).isEmpty();
        assertThat(minimal.signingSecret()).isEmpty();
        assertThat(minimal.sourceId()).isNull();
        assertThat(minimal.pageMaxAge()).as("a record from before the option").isEqualTo(Duration.ofMinutes(60));
    }

    @Test
    void pageMaxAgeDefaultsToAnHourTakesMinutesHoursOrDaysAndOff() {
        assertThat(AlertRuleCodec.readPageMaxAge(null)).isEqualTo(Duration.ofMinutes(60));
        assertThat(AlertRuleCodec.readPageMaxAge("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(AlertRuleCodec.readPageMaxAge("90m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(AlertRuleCodec.readPageMaxAge("6h")).isEqualTo(Duration.ofHours(6));
        assertThat(AlertRuleCodec.readPageMaxAge("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(AlertRuleCodec.readPageMaxAge("off"))
                .as("page for data of any age")
                .isNull();

        assertThat(AlertRuleCodec.writePageMaxAge(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(AlertRuleCodec.writePageMaxAge(Duration.ofMinutes(120))).isEqualTo("2h");
        assertThat(AlertRuleCodec.writePageMaxAge(Duration.ofDays(30))).isEqualTo("30d");
        assertThat(AlertRuleCodec.writePageMaxAge(Duration.ofMinutes(60 * 24))).isEqualTo("1d");
        assertThat(AlertRuleCodec.writePageMaxAge(null)).isEqualTo("off");
        for (String wire : List.of("1m", "59m", "60m", "25h", "7d", "off")) {
            Duration age = AlertRuleCodec.readPageMaxAge(wire);
            assertThat(AlertRuleCodec.readPageMaxAge(AlertRuleCodec.writePageMaxAge(age)))
                    .as(wire)
                    .isEqualTo(age);
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {"0m", "31d", "721h", "90s", "1w", "60", "Off", "", "1.5h"})
    void pageMaxAgeOutOfBoundsOrMalformedIsRefusedWithWhatToFix(String wire) {
        assertThatThrownBy(() -> AlertRuleCodec.readPageMaxAge(wire))
                .isInstanceOf(InvalidAlertRuleException.class)
                .hasMessage("'page_max_age' must be a duration from 1m to 30d such as \"60m\", \"6h\" or \"2d\""
                        + " (alerts on data older than that are recorded, not sent), or \"off\" to page for data of"
                        + " any age");
    }

    @Test
    void pageMaxAgeMustBeAString() {
        assertThatThrownBy(() -> AlertRuleCodec.readPageMaxAge(60)).isInstanceOf(InvalidAlertRuleException.class);
        assertThatThrownBy(() -> AlertRuleCodec.readPageMaxAge(false)).isInstanceOf(InvalidAlertRuleException.class);
        Map<String, Object> record = new HashMap<>(Map.of(
                "id",
                "rule_b",
                "org_id",
                "org_a",
                "condition",
                Map.of("pattern", Map.of("new_template", true)),
                "channels",
                EMAIL,
                "page_max_age",
                "0m"));
        assertThatThrownBy(() -> AlertRuleCodec.readRule(record)).hasMessageStartingWith("'page_max_age' must be");
    }

    @Test
    void aRulesTopicRecordWithoutItsOrgIsRefused() {
        assertThatThrownBy(
                        () -> AlertRuleCodec.readRule(Map.of("id", "rule_b", "condition", Map.of(), "channels", EMAIL)))
                .isInstanceOf(InvalidAlertRuleException.class)
                .hasMessage("'org_id' is required");
        assertThatThrownBy(() -> AlertRuleCodec.readRule("[]")).hasMessage("An alert rule must be a JSON object");
    }

    @Test
    void comparisonsBreachInTheirDirection() {
        assertThat(Comparison.GT.breaches(2, 1)).isTrue();
        assertThat(Comparison.GE.breaches(1, 1)).isTrue();
        assertThat(Comparison.LT.breaches(1, 1)).isFalse();
        assertThat(Comparison.LE.breaches(1, 1)).isTrue();
        assertThat(Comparison.GE.upward()).isTrue();
        assertThat(Comparison.LT.upward()).isFalse();
    }
}
