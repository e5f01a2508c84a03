package dev.logai.flink.alert.rule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.anomaly.Anomaly;
import dev.logai.flink.window.TemplateCount;
import dev.logai.flink.window.WindowMetrics;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An alert's life from window verdicts: opens once after the sustained breaches, counts instead of
 * re-sending, escalates once, reminds after the cool-down, resolves after clean windows; the same
 * windows replayed from the same state give the same transitions and event ids.
 */
class AlertStateMachineTest {
    static final long MINUTE = 60_000;

    static AlertRule rule(String conditionJson) {
        return AlertRule.parse("{\"id\":\"rule_1\",\"org_id\":\"org_1\",\"name\":\"API errors\",\"condition\":" + conditionJson
                + ",\"channels\":{\"webhook\":[\"https://198.51.100.7/h\"]},\"is_active\":true,\"version\":2,"
                + "\"signing_secret\":\"whsec_x\"}");
    }

    static WindowMetrics window(int minute, long lines, long errors) {
        WindowMetrics m = WindowMetrics.empty("org_1", "src_1", minute * MINUTE, (minute + 1) * MINUTE);
        m.counts.lines = lines;
        m.counts.error = errors;
        return m;
    }

    /** Feeds windows (lines, errors) from minute 0 and returns "minute:kind" of every transition. */
    static List<String> run(AlertRule rule, AlertState s, long[][] windows) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < windows.length; i++) {
            WindowMetrics m = window(i, windows[i][0], windows[i][1]);
            double v = RuleValues.value(rule, s, m, new Anomaly[0]);
            for (AlertTransition t : AlertStateMachine.onWindow(rule, s, "org_1", "src_1", m.windowStart, m.windowEnd,
                    RuleValues.breaches(rule, v), v)) {
                out.add(i + ":" + t.kind + (t.kind.equals("resolved") ? "" : "@" + t.count));
            }
        }
        return out;
    }

    @Test
    void oneNotificationPerAlertThenResolved() {
        AlertRule r = rule("{\"metric\":\"error_rate\",\"op\":\">\",\"threshold\":0.02,\"window\":\"1m\",\"sustained\":1,"
                + "\"resolve_after\":2}");
        List<String> t = run(r, new AlertState(), new long[][] {{1000, 5}, {1000, 300}, {1000, 250}, {1000, 280},
                {1000, 5}, {1000, 4}, {1000, 3}});
        assertThat(t).containsExactly("1:firing@1", "5:resolved");
    }

    @Test
    void sustainedNeedsConsecutiveBreachesAndEscalationHappensOnce() {
        AlertRule r = rule("{\"metric\":\"error_count\",\"op\":\">=\",\"threshold\":100,\"window\":\"1m\",\"sustained\":3,"
                + "\"escalate_above\":500,\"escalate_within\":\"10m\",\"resolve_after\":3}");
        List<String> t = run(r, new AlertState(), new long[][] {{1000, 150}, {1000, 150}, {1000, 10}, {1000, 150},
                {1000, 160}, {1000, 170}, {1000, 600}, {1000, 700}, {1000, 0}, {1000, 0}, {1000, 0}});
        assertThat(t).containsExactly("5:firing@3", "6:escalated@4", "10:resolved");
    }

    @Test
    void aLongAlertIsRemindedAfterTheCoolDownNotEveryMinute() {
        AlertRule r = rule("{\"metric\":\"error_count\",\"op\":\">\",\"threshold\":10,\"window\":\"1m\"}");
        long[][] windows = new long[130][];
        for (int i = 0; i < windows.length; i++) {
            windows[i] = new long[] {100, 50};
        }
        assertThat(run(r, new AlertState(), windows)).containsExactly("0:firing@1", "60:reminder@61", "120:reminder@121");
    }

    @Test
    void ruleWindowsOfSeveralMinutesJudgeTheirTotals() {
        AlertRule r = rule("{\"metric\":\"error_rate\",\"op\":\">\",\"threshold\":0.05,\"window\":\"3m\"}");
        // 0/100, 0/100, 20/100: 6.7% over three minutes -> breach; the spike alone would be 20%.
        List<String> t = run(r, new AlertState(), new long[][] {{100, 0}, {100, 0}, {100, 20}, {100, 0}, {100, 0},
                {100, 0}, {100, 0}, {100, 0}});
        assertThat(t).containsExactly("2:firing@1", "7:resolved");
    }

    @Test
    void aReplayFromTheSameStateGivesTheSameTransitionsAndEventIds() {
        AlertRule r = rule("{\"metric\":\"error_count\",\"op\":\">\",\"threshold\":10,\"window\":\"1m\"}");
        AlertState checkpointed = new AlertState();
        List<String> ids = new ArrayList<>();
        List<String> replayed = new ArrayList<>();
        for (List<String> into : List.of(ids, replayed)) {
            AlertState s = copy(checkpointed);
            for (int i = 0; i < 6; i++) {
                WindowMetrics m = window(i, 100, i < 3 ? 50 : 0);
                double v = RuleValues.value(r, s, m, new Anomaly[0]);
                AlertStateMachine.onWindow(r, s, "org_1", "src_1", m.windowStart, m.windowEnd, RuleValues.breaches(r, v), v)
                        .forEach(t -> into.add(t.eventId));
            }
        }
        assertThat(ids).hasSize(2).doesNotHaveDuplicates();
        assertThat(replayed).isEqualTo(ids);
    }

    @Test
    void anomalyAndPatternRulesJudgeTheWindowsFindings() {
        AlertRule anomalyRule = rule("{\"anomaly\":{\"min_score\":0.8,\"metric\":\"error_rate\"}}");
        Anomaly weak = new Anomaly();
        weak.metric = "error_rate";
        weak.label = "spike";
        weak.score = 0.6;
        Anomaly strong = new Anomaly();
        strong.metric = "error_rate";
        strong.label = "spike";
        strong.score = 0.95;
        WindowMetrics m = window(0, 100, 30);
        assertThat(RuleValues.breaches(anomalyRule, RuleValues.value(anomalyRule, new AlertState(), m, new Anomaly[] {weak})))
                .isFalse();
        assertThat(RuleValues.breaches(anomalyRule, RuleValues.value(anomalyRule, new AlertState(), m,
                new Anomaly[] {weak, strong}))).isTrue();

        AlertRule patternRule = rule("{\"pattern\":{\"new_template\":true,\"contains\":\"outofmemory\"}}");
        TemplateCount known = new TemplateCount();
        known.template = "java.lang.OutOfMemoryError: Java heap space";
        m.templates.put("t1", known);
        assertThat(RuleValues.value(patternRule, new AlertState(), m, new Anomaly[0])).as("not new").isZero();
        known.isNew = true;
        assertThat(RuleValues.value(patternRule, new AlertState(), m, new Anomaly[0])).isEqualTo(1);
        assertThat(patternRule.watches("org_1", "any")).isTrue();
        assertThat(patternRule.watches("org_2", "any")).as("another org's data").isFalse();
    }

    private static AlertState copy(AlertState s) {
        AlertState c = new AlertState();
        c.status = s.status;
        c.consecutiveBreaches = s.consecutiveBreaches;
        c.cleanWindows = s.cleanWindows;
        c.firstSeen = s.firstSeen;
        c.lastNotified = s.lastNotified;
        c.count = s.count;
        c.episode = s.episode;
        c.recentNumerators = s.recentNumerators.clone();
        c.recentDenominators = s.recentDenominators.clone();
        return c;
    }
}
