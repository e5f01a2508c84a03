package dev.logai.flink.alert.rule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A rule's page_max_age reaches its transitions, and the age gate reads it, default and off included. */
class AlertTransitionTest {
    static final long HOUR = Duration.ofHours(1).toMillis();

    static AlertRule rule(String pageMaxAge) {
        return AlertRule.parse("{\"id\": \"rule_a\", \"org_id\": \"org_a\", \"condition\": {\"pattern\":"
                + " {\"new_template\": true}}, \"channels\": {\"email\": [\"a@example.com\"]}"
                + (pageMaxAge == null ? "" : ", \"page_max_age\": \"" + pageMaxAge + "\"") + "}");
    }

    static AlertTransition line(AlertRule rule, long at) {
        AlertTransition t = AlertTransition.of(rule, "org_a", "src_a", "triggered");
        t.windowStart = at;
        t.windowEnd = at;
        return t;
    }

    @Test
    void theRulesLimitReachesItsTransitions() {
        assertThat(rule(null).pageMaxAgeMs).as("the default").isEqualTo(HOUR);
        assertThat(rule("2d").pageMaxAgeMs).isEqualTo(48 * HOUR);
        assertThat(rule("off").pageMaxAgeMs).isEqualTo(AlertTransition.PAGE_ANY_AGE);
        assertThat(line(rule("6h"), 0).pageMaxAgeMs).isEqualTo(6 * HOUR);
    }

    @Test
    void dataAsOldAsTheLimitIsNotSentAndSaysWhy() {
        long now = 1_790_000_000_000L;
        assertThat(line(rule(null), now - HOUR + 1).oldDataReason(now)).isNull();
        assertThat(line(rule(null), now - HOUR).oldDataReason(now))
                .isEqualTo("Not sent: the data (line at 2026-09-21T13:13:20Z) was 1h 0m old when the alert was"
                        + " decided; this rule pages only for data less than 1h old (page_max_age).");
        assertThat(line(rule("off"), now - 30 * 24 * HOUR).oldDataReason(now)).isNull();
        assertThat(line(rule("30d"), now - 30 * 24 * HOUR - 5 * HOUR).oldDataReason(now))
                .contains("was 30d 5h old", "less than 30d old");

        AlertTransition restored = line(rule("off"), now - 2 * HOUR);
        restored.pageMaxAgeMs = 0; // state written before the option: Flink fills in 0
        assertThat(restored.oldDataReason(now)).as("the default applies").contains("less than 1h old");
    }

    @Test
    void agesReadAsTheirTwoLargestUnits() {
        assertThat(AlertTransition.humane(Duration.ofSeconds(42))).isEqualTo("42s");
        assertThat(AlertTransition.humane(Duration.ofMinutes(59))).isEqualTo("59m");
        assertThat(AlertTransition.humane(Duration.ofMinutes(192))).isEqualTo("3h 12m");
        assertThat(AlertTransition.humane(Duration.ofHours(52))).isEqualTo("2d 4h");
    }
}
