package dev.logai.flink.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.alert.rule.AlertRule;
import dev.logai.flink.alert.rule.AlertTransition;
import dev.logai.flink.alert.rule.RuleValues;
import dev.logai.flink.alert.rule.RuleVerdict;
import dev.logai.flink.alert.rule.RuleWindowState;
import dev.logai.flink.anomaly.Anomaly;
import dev.logai.flink.summary.WindowFindings;
import dev.logai.flink.support.PipelineHarness;
import dev.logai.flink.window.WindowMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An alert's life on the real operators: windows judged by {@link JudgeWindowRules#judge}, the
 * sequences matched by Flink CEP ({@link AlertSequences}) in event time, the lifecycle in keyed
 * state ({@link AlertLifecycle}), on a MiniCluster. Opens once after the sustained breaches,
 * counts instead of re-sending, escalates once, reminds after the cool-down, resolves after clean
 * windows; the same windows give the same event ids.
 */
class AlertSequencesTest {
    static final long MINUTE = 60_000;

    @RegisterExtension
    static final MiniClusterExtension FLINK = PipelineHarness.miniCluster();

    static AlertRule rule(String id, String conditionJson) {
        return AlertRule.parse("{\"id\":\"" + id + "\",\"org_id\":\"org_1\",\"name\":\"API errors\",\"condition\":"
                + conditionJson + ",\"channels\":{\"webhook\":[\"https://198.51.100.7/h\"]},\"is_active\":true,"
                + "\"version\":2,\"signing_secret\":\"whsec_x\"}");
    }

    static WindowMetrics window(int minute, long lines, long errors) {
        WindowMetrics m = WindowMetrics.empty("org_1", "src_1", minute * MINUTE, (minute + 1) * MINUTE);
        m.counts.lines = lines;
        m.counts.error = errors;
        return m;
    }

    /** Windows (lines, errors) from minute 0 → verdicts of the rule, as the judge makes them. */
    static List<RuleVerdict> verdicts(AlertRule rule, long[][] windows) {
        RuleWindowState state = new RuleWindowState();
        List<RuleVerdict> out = new ArrayList<>();
        for (int i = 0; i < windows.length; i++) {
            RuleVerdict v = JudgeWindowRules.judge(
                    rule, state, new WindowFindings(window(i, windows[i][0], windows[i][1]), new Anomaly[0]));
            if (v.breach) {
                v.severity = "high";
                v.summaryTitle = "errors in minute " + i;
            }
            out.add(v);
        }
        return out;
    }

    /** Runs verdicts through CEP and the lifecycle on the MiniCluster. */
    static List<AlertTransition> run(List<RuleVerdict> verdicts) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<RuleVerdict> in = env.fromData(RuleVerdict.class, verdicts.toArray(RuleVerdict[]::new))
                .assignTimestampsAndWatermarks(
                        WatermarkStrategy.<RuleVerdict>forBoundedOutOfOrderness(Duration.ofMinutes(2))
                                .withTimestampAssigner((v, ts) -> v.windowEnd - 1));
        List<AlertTransition> out = new ArrayList<>();
        AlertSequences.signals(in)
                .keyBy(s -> s.verdict.alertKey())
                .process(new AlertLifecycle())
                .executeAndCollect()
                .forEachRemaining(out::add);
        out.sort((a, b) -> Long.compare(a.windowEnd, b.windowEnd));
        return out;
    }

    /** "minute:kind@count" of every transition. */
    static List<String> summary(List<AlertTransition> transitions) {
        List<String> out = new ArrayList<>();
        for (AlertTransition t : transitions) {
            out.add((t.windowStart / MINUTE) + ":" + t.kind + (t.kind.equals("resolved") ? "" : "@" + t.count));
        }
        return out;
    }

    static long[][] same(int n, long lines, long errors) {
        long[][] w = new long[n][];
        for (int i = 0; i < n; i++) {
            w[i] = new long[] {lines, errors};
        }
        return w;
    }

    @Test
    void oneNotificationPerAlertThenResolved() throws Exception {
        AlertRule r = rule(
                "r1",
                "{\"metric\":\"error_rate\",\"op\":\">\",\"threshold\":0.02,\"window\":\"1m\","
                        + "\"sustained\":1,\"resolve_after\":2}");
        List<AlertTransition> t = run(verdicts(
                r, new long[][] {{1000, 5}, {1000, 300}, {1000, 250}, {1000, 280}, {1000, 5}, {1000, 4}, {1000, 3}}));
        assertThat(summary(t)).containsExactly("1:firing@1", "5:resolved");
        assertThat(t.get(0).title).isEqualTo("API errors — errors in minute 1");
        assertThat(t.get(0).webhook).containsExactly("https://198.51.100.7/h");
        assertThat(t.get(0).alertId).isEqualTo(t.get(1).alertId);
    }

    @Test
    void sustainedNeedsConsecutiveBreachesAndEscalationHappensOnce() throws Exception {
        AlertRule r = rule(
                "r2",
                "{\"metric\":\"error_count\",\"op\":\">=\",\"threshold\":100,\"window\":\"1m\","
                        + "\"sustained\":3,\"escalate_above\":500,\"escalate_within\":\"10m\",\"resolve_after\":3}");
        List<AlertTransition> t = run(verdicts(r, new long[][] {
            {1000, 150},
            {1000, 150},
            {1000, 10},
            {1000, 150},
            {1000, 160},
            {1000, 170},
            {1000, 600},
            {1000, 700},
            {1000, 0},
            {1000, 0},
            {1000, 0}
        }));
        assertThat(summary(t)).containsExactly("5:firing@3", "6:escalated@4", "10:resolved");
        assertThat(t.get(0).firstSeen).as("the sustained run's first window").isEqualTo(3 * MINUTE);
        assertThat(t.get(1).severity).isEqualTo("critical");
    }

    @Test
    void worseAfterTheEscalationWindowDoesNotEscalate() throws Exception {
        AlertRule r = rule(
                "r3",
                "{\"metric\":\"error_count\",\"op\":\">\",\"threshold\":100,\"window\":\"1m\","
                        + "\"escalate_above\":500,\"escalate_within\":\"3m\"}");
        List<AlertTransition> t = run(verdicts(r, new long[][] {
            {1000, 150}, {1000, 150}, {1000, 150}, {1000, 150}, {1000, 900}, {1000, 0}, {1000, 0}, {1000, 0}
        }));
        assertThat(summary(t)).as("resolve_after defaults to 3").containsExactly("0:firing@1", "7:resolved");
    }

    @Test
    void aLongAlertIsRemindedAfterTheCoolDownNotEveryMinute() throws Exception {
        AlertRule r = rule("r4", "{\"metric\":\"error_count\",\"op\":\">\",\"threshold\":10,\"window\":\"1m\"}");
        assertThat(summary(run(verdicts(r, same(130, 100, 50)))))
                .containsExactly("0:firing@1", "60:reminder@61", "120:reminder@121");
    }

    @Test
    void aBreachInterruptingRecoveryKeepsTheAlertOpen() throws Exception {
        AlertRule r = rule(
                "r5",
                "{\"metric\":\"error_count\",\"op\":\">\",\"threshold\":10,\"window\":\"1m\","
                        + "\"resolve_after\":3}");
        List<AlertTransition> t = run(verdicts(
                r, new long[][] {{100, 50}, {100, 0}, {100, 0}, {100, 50}, {100, 0}, {100, 0}, {100, 0}, {100, 50}}));
        assertThat(summary(t))
                .as("one alert through the short lull, then a second one")
                .containsExactly("0:firing@1", "6:resolved", "7:firing@1");
        assertThat(t.get(2).alertId).isNotEqualTo(t.get(0).alertId);
    }

    @Test
    void ruleWindowsOfSeveralMinutesJudgeTheirTotals() throws Exception {
        AlertRule r = rule("r6", "{\"metric\":\"error_rate\",\"op\":\">\",\"threshold\":0.05,\"window\":\"3m\"}");
        // 0/100, 0/100, 20/100: 6.7% over three minutes -> breach; the spike alone would be 20%.
        assertThat(summary(run(verdicts(
                        r, new long[][] {{100, 0}, {100, 0}, {100, 20}, {100, 0}, {100, 0}, {100, 0}, {100, 0}, {100, 0}
                        }))))
                .containsExactly("2:firing@1", "7:resolved");
    }

    @Test
    void theSameWindowsGiveTheSameEventIds() throws Exception {
        AlertRule r = rule("r7", "{\"metric\":\"error_count\",\"op\":\">\",\"threshold\":10,\"window\":\"1m\"}");
        long[][] windows = {{100, 50}, {100, 50}, {100, 50}, {100, 0}, {100, 0}, {100, 0}};
        List<String> first =
                run(verdicts(r, windows)).stream().map(t -> t.eventId).toList();
        List<String> again =
                run(verdicts(r, windows)).stream().map(t -> t.eventId).toList();
        assertThat(first).hasSize(2).doesNotHaveDuplicates();
        assertThat(again).isEqualTo(first);
    }

    @Test
    void anomalyRulesJudgeTheWindowsFindingsAndRulesStayInTheirOrg() {
        AlertRule anomalyRule = rule("r8", "{\"anomaly\":{\"min_score\":0.8,\"metric\":\"error_rate\"}}");
        Anomaly weak = new Anomaly();
        weak.metric = "error_rate";
        weak.label = "spike";
        weak.score = 0.6;
        Anomaly strong = new Anomaly();
        strong.metric = "error_rate";
        strong.label = "spike";
        strong.score = 0.95;
        WindowMetrics m = window(0, 100, 30);
        assertThat(RuleValues.breaches(
                        anomalyRule, RuleValues.value(anomalyRule, new RuleWindowState(), m, new Anomaly[] {weak})))
                .isFalse();
        assertThat(RuleValues.breaches(
                        anomalyRule,
                        RuleValues.value(anomalyRule, new RuleWindowState(), m, new Anomaly[] {weak, strong})))
                .isTrue();
        assertThat(anomalyRule.watches("org_1", "any")).isTrue();
        assertThat(anomalyRule.watches("org_2", "any")).as("another org's data").isFalse();
    }
}
