package dev.logai.flink.alert;

import dev.logai.flink.alert.rule.AlertRule;
import dev.logai.flink.alert.rule.AlertRuleUpdate;
import dev.logai.flink.alert.rule.AlertState;
import dev.logai.flink.alert.rule.AlertStateMachine;
import dev.logai.flink.alert.rule.AlertTransition;
import dev.logai.flink.alert.rule.RuleValues;
import dev.logai.flink.summary.ExtractiveSummarizer;
import dev.logai.flink.summary.SummaryAnswer;
import dev.logai.flink.summary.SummaryPrompt;
import dev.logai.flink.summary.SummaryRequest;
import dev.logai.flink.summary.WindowFindings;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Every judged window of a source against the org's rules: the rules arrive as broadcast state
 * (the rules topic, read from its start, so every instance holds every rule's latest version and a
 * change applies from the next window, without a restart); each rule's alert on this source lives
 * in keyed state ({@link AlertState}), so an alert survives a restart and a replay decides the same
 * transitions. A transition carries what to say (from the window: the extractive summary's title,
 * bullets and evidence lines, already scrubbed) and where, so sending needs no lookups.
 */
public class EvaluateAlertRules extends KeyedBroadcastProcessFunction<String, WindowFindings, AlertRuleUpdate, AlertTransition> {
    public static final MapStateDescriptor<String, AlertRule> RULES =
            new MapStateDescriptor<>("alert-rules", String.class, AlertRule.class);

    private transient MapState<String, AlertState> alerts;

    @Override
    public void open(OpenContext ctx) {
        alerts = getRuntimeContext().getMapState(new MapStateDescriptor<>("alerts", String.class, AlertState.class));
    }

    @Override
    public void processBroadcastElement(AlertRuleUpdate update, Context ctx, Collector<AlertTransition> out) throws Exception {
        BroadcastState<String, AlertRule> rules = ctx.getBroadcastState(RULES);
        if (update.rule == null) {
            rules.remove(update.ruleId);
            return;
        }
        AlertRule known = rules.get(update.ruleId);
        if (known == null || known.version <= update.rule.version) {
            rules.put(update.ruleId, update.rule);
        }
    }

    @Override
    public void processElement(WindowFindings f, ReadOnlyContext ctx, Collector<AlertTransition> out) throws Exception {
        ReadOnlyBroadcastState<String, AlertRule> rules = ctx.getBroadcastState(RULES);
        String org = f.metrics.orgId;
        String source = f.metrics.sourceId;
        for (Map.Entry<String, AlertRule> e : rules.immutableEntries()) {
            AlertRule rule = e.getValue();
            if (!rule.watches(org, source)) {
                continue;
            }
            AlertState state = alerts.get(rule.id);
            if (state == null) {
                state = new AlertState();
            }
            double value = RuleValues.value(rule, state, f.metrics, f.anomalies);
            var transitions = AlertStateMachine.onWindow(rule, state, org, source, f.metrics.windowStart,
                    f.metrics.windowEnd, RuleValues.breaches(rule, value), value);
            alerts.put(rule.id, state);
            for (AlertTransition t : transitions) {
                describe(t, rule, f);
                out.collect(t);
            }
        }
    }

    /** What the notification says: the window's extractive summary, or the resolution. */
    static void describe(AlertTransition t, AlertRule rule, WindowFindings f) {
        t.ruleName = rule.name;
        t.slack = rule.slack;
        t.email = rule.email;
        t.webhook = rule.webhook;
        t.signingSecret = rule.signingSecret;
        if (t.kind.equals("resolved")) {
            t.severity = "info";
            t.title = "Resolved: " + rule.name;
            t.bullets = new String[] {"Clean for " + rule.resolveAfter + " window" + (rule.resolveAfter == 1 ? "" : "s")
                    + " after " + t.count + " breaching window" + (t.count == 1 ? "" : "s"),
                    "Open since " + Instant.ofEpochMilli(t.firstSeen)};
            return;
        }
        SummaryRequest r = SummaryRequest.forWindow(t.alertId, f.metrics, f.anomalies, t.firstSeen, "anomaly");
        SummaryAnswer a = ExtractiveSummarizer.summarize(r, SummaryPrompt.build(r, ExtractiveSummarizer.MODEL, 3000));
        t.severity = t.kind.equals("escalated") && !a.severity().equals("critical") ? "critical" : a.severity();
        t.title = (t.kind.equals("firing") ? "" : t.kind.substring(0, 1).toUpperCase(Locale.ROOT) + t.kind.substring(1) + ": ")
                + rule.name + " — " + a.title();
        t.bullets = a.bullets().toArray(String[]::new);
        t.topLines = a.evidence().toArray(String[]::new);
    }
}
