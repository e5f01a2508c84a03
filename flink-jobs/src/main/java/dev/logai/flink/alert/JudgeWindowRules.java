package dev.logai.flink.alert;

import dev.logai.flink.alert.rule.AlertRule;
import dev.logai.flink.alert.rule.AlertRuleUpdate;
import dev.logai.flink.alert.rule.RuleBook;
import dev.logai.flink.alert.rule.RuleValues;
import dev.logai.flink.alert.rule.RuleVerdict;
import dev.logai.flink.alert.rule.RuleWindowState;
import dev.logai.flink.summary.ExtractiveSummarizer;
import dev.logai.flink.summary.SummaryAnswer;
import dev.logai.flink.summary.SummaryPrompt;
import dev.logai.flink.summary.SummaryRequest;
import dev.logai.flink.summary.WindowFindings;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Every judged window of a source against its org's window rules (threshold and anomaly): one
 * {@link RuleVerdict} per rule and window — the value, breach or not, and where runs start. The
 * rules arrive as broadcast state (a change applies from the next window, without a restart); what
 * a rule remembers between windows (its recent values, the last verdict) is keyed state per source,
 * so a restore judges the replayed windows the same way. A breaching verdict carries what a
 * notification would say: the window's extractive summary (title, bullets, scrubbed evidence).
 * Verdicts of a source come out in window order, as its windows do: the sequences rely on it.
 */
public class JudgeWindowRules
        extends KeyedBroadcastProcessFunction<String, WindowFindings, AlertRuleUpdate, RuleVerdict> {
    private transient RuleBook rules;
    private transient MapState<String, RuleWindowState> ruleStates;

    @Override
    public void open(OpenContext ctx) {
        rules = new RuleBook(rule -> !rule.perLine());
        MapStateDescriptor<String, RuleWindowState> d =
                new MapStateDescriptor<>("rule-windows", String.class, RuleWindowState.class);
        d.enableTimeToLive(
                StateTtlConfig.newBuilder(AlertLifecycle.FORGET_AFTER).build()); // deleted rules, gone sources
        ruleStates = getRuntimeContext().getMapState(d);
    }

    @Override
    public void processBroadcastElement(AlertRuleUpdate update, Context ctx, Collector<RuleVerdict> out)
            throws Exception {
        rules.apply(update, ctx.getBroadcastState(RuleBook.RULES));
    }

    @Override
    public void processElement(WindowFindings f, ReadOnlyContext ctx, Collector<RuleVerdict> out) throws Exception {
        List<AlertRule> watching =
                rules.watching(f.metrics.orgId, f.metrics.sourceId, ctx.getBroadcastState(RuleBook.RULES));
        SummaryAnswer summary = null;
        for (AlertRule rule : watching) {
            RuleWindowState state = ruleStates.get(rule.id);
            if (state == null) {
                state = new RuleWindowState();
            }
            RuleVerdict v = judge(rule, state, f);
            ruleStates.put(rule.id, state);
            if (v.breach) {
                if (summary == null) {
                    summary = alertSummary(f);
                }
                v.severity = summary.severity();
                v.summaryTitle = summary.title();
                v.bullets = summary.bullets().toArray(String[]::new);
                v.topLines = summary.evidence().toArray(String[]::new);
            }
            out.collect(v);
        }
    }

    /**
     * What a notification about window {@code f} says: its extractive summary, as an incident that
     * began at the earliest onset of the window's anomalies (a slow leak's bullets then say since
     * when it has been building), else at the window.
     */
    static SummaryAnswer alertSummary(WindowFindings f) {
        long start = dev.logai.flink.anomaly.Anomaly.earliestOnset(f.anomalies, f.metrics.windowStart, Long.MIN_VALUE);
        SummaryRequest r = SummaryRequest.forWindow(
                f.metrics.orgId + "/" + f.metrics.sourceId + "/" + f.metrics.windowStart,
                f.metrics,
                f.anomalies,
                start,
                "anomaly");
        return ExtractiveSummarizer.summarize(r, SummaryPrompt.build(r, ExtractiveSummarizer.MODEL, 3000));
    }

    /** One rule's verdict on one window, given (and updating) what the rule remembers about the source. */
    public static RuleVerdict judge(AlertRule rule, RuleWindowState state, WindowFindings f) {
        RuleVerdict v = new RuleVerdict();
        v.orgId = f.metrics.orgId;
        v.sourceId = f.metrics.sourceId;
        v.ruleId = rule.id;
        v.rule = rule;
        v.windowStart = f.metrics.windowStart;
        v.windowEnd = f.metrics.windowEnd;
        v.traceParents = f.metrics.traceParents;
        v.value = RuleValues.value(rule, state, f.metrics, f.anomalies);
        v.breach = RuleValues.breaches(rule, v.value);
        v.breachOnset = v.breach && !Boolean.TRUE.equals(state.lastBreach);
        v.calmOnset = !v.breach && Boolean.TRUE.equals(state.lastBreach);
        v.worse = v.breach && !Double.isNaN(rule.escalateAbove) && rule.worse(v.value, rule.escalateAbove);
        state.lastBreach = v.breach;
        return v;
    }
}
