package dev.logai.flink.alert;

import dev.logai.flink.alert.rule.AlertRule;
import dev.logai.flink.alert.rule.AlertSignal;
import dev.logai.flink.alert.rule.AlertState;
import dev.logai.flink.alert.rule.AlertTransition;
import dev.logai.flink.alert.rule.RuleVerdict;
import dev.logai.flink.template.TemplateIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * One rule's alert on one source (keyed by org, source and rule), from the verdicts and the
 * sequences CEP matched on them: deduplicate, throttle, escalate, resolve.
 *
 * <table>
 *   <tr><th>Signal</th><th>Alert</th><th>Notified</th></tr>
 *   <tr><td>sustained run</td><td>ok → firing</td><td>once ("firing")</td></tr>
 *   <tr><td>breaching window</td><td>counted while open</td><td>no — one alert, not one message a minute;
 *       a reminder if still on {@link #REMIND_AFTER_MS} after the last message</td></tr>
 *   <tr><td>escalation</td><td>firing → escalated, within {@code escalate_within} of opening</td><td>once</td></tr>
 *   <tr><td>recovery</td><td>open → ok</td><td>once ("resolved")</td></tr>
 * </table>
 *
 * A window's signals arrive on four paths (the verdict and the three CEP sequences, all made when
 * the verdict was judged); they are held for {@link #HOLD_MS} of processing time, which gathers a
 * window's signals from all paths, and then applied in a fixed order (window end, then kind), so a
 * replay after a restore decides as the first run did. There is no shared event time to wait for:
 * each source runs on its own clock, and its verdicts reach this operator in window order. A
 * signal that arrives after its window's others were applied (a path held up for longer than the
 * hold) is applied on its own, never dropped. At the end of a bounded input everything held is
 * applied.
 */
public class AlertLifecycle extends KeyedProcessFunction<String, AlertSignal, AlertTransition> {
    /** While an alert stays on, people are reminded at most this often (event time). */
    public static final long REMIND_AFTER_MS = 60 * 60_000L;
    /** How long a window's first signal waits for the others (processing time). */
    static final long HOLD_MS = 250;
    /** State of an alert whose source sent no window for this long (or whose rule was deleted) is dropped. */
    static final Duration FORGET_AFTER = Duration.ofDays(30);

    private transient ValueState<AlertState> alert;
    private transient ListState<AlertSignal> pending;

    @Override
    public void open(OpenContext ctx) {
        ValueStateDescriptor<AlertState> d = new ValueStateDescriptor<>("alert", AlertState.class);
        d.enableTimeToLive(StateTtlConfig.newBuilder(FORGET_AFTER).build());
        alert = getRuntimeContext().getState(d);
        pending = getRuntimeContext().getListState(new ListStateDescriptor<>("pending-signals", AlertSignal.class));
    }

    @Override
    public void processElement(AlertSignal signal, Context ctx, Collector<AlertTransition> out) throws Exception {
        pending.add(signal);
        long now = ctx.timerService().currentProcessingTime();
        // Aligned to the hold, so the signals of one window (and of a burst of windows) share a timer.
        ctx.timerService().registerProcessingTimeTimer(now - now % HOLD_MS + 2 * HOLD_MS);
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE); // the end of a bounded input
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertTransition> out) throws Exception {
        List<AlertSignal> due = new ArrayList<>();
        for (AlertSignal s : pending.get()) {
            due.add(s);
        }
        if (due.isEmpty()) {
            return;
        }
        pending.clear();
        ctx.timerService().deleteEventTimeTimer(Long.MAX_VALUE);
        due.sort(
                Comparator.comparingLong((AlertSignal s) -> s.verdict.windowEnd).thenComparingInt(AlertSignal::rank));
        apply(due, out);
    }

    private void apply(List<AlertSignal> signals, Collector<AlertTransition> out) throws Exception {
        AlertState s = alert.value();
        if (s == null) {
            s = new AlertState();
        }
        for (AlertSignal signal : signals) {
            decide(s, signal).forEach(out::collect);
        }
        alert.update(s);
    }

    /** What one signal does to the alert, and what to tell people. */
    public static List<AlertTransition> decide(AlertState s, AlertSignal signal) {
        RuleVerdict v = signal.verdict;
        AlertRule rule = v.rule;
        List<AlertTransition> out = new ArrayList<>(1);
        switch (signal.kind) {
            case AlertSignal.SUSTAINED -> {
                if (!s.open()) {
                    s.status = AlertState.FIRING;
                    s.episode++;
                    s.firstSeen = signal.runStart;
                    s.count = signal.windows;
                    s.countedUpTo = v.windowEnd;
                    s.lastNotified = v.windowEnd;
                    out.add(transition(s, v, "firing", ""));
                }
            }
            case AlertSignal.ESCALATION -> {
                if (s.status.equals(AlertState.FIRING) && v.windowEnd - s.firstSeen <= rule.escalateWithinMs) {
                    count(s, v);
                    s.status = AlertState.ESCALATED;
                    s.lastNotified = v.windowEnd;
                    out.add(transition(s, v, "escalated", ""));
                }
            }
            case AlertSignal.WINDOW -> {
                if (s.open() && v.breach) {
                    count(s, v);
                    if (v.windowEnd - s.lastNotified >= REMIND_AFTER_MS) {
                        s.lastNotified = v.windowEnd;
                        out.add(transition(s, v, "reminder", Long.toString(v.windowEnd)));
                    }
                }
            }
            default -> {
                if (s.open()) {
                    out.add(transition(s, v, "resolved", ""));
                    s.status = AlertState.OK;
                    s.count = 0;
                }
            }
        }
        return out;
    }

    private static void count(AlertState s, RuleVerdict v) {
        if (v.windowEnd > s.countedUpTo) {
            s.count++;
            s.countedUpTo = v.windowEnd;
        }
    }

    private static AlertTransition transition(AlertState s, RuleVerdict v, String kind, String discriminator) {
        AlertRule rule = v.rule;
        AlertTransition t = AlertTransition.of(rule, v.orgId, v.sourceId, kind);
        t.firstSeen = s.firstSeen;
        t.windowStart = v.windowStart;
        t.windowEnd = v.windowEnd;
        t.value = v.value;
        t.count = s.count;
        t.traceParents = v.traceParents;
        t.alertId = TemplateIds.of(String.join("|", v.orgId, rule.id, v.sourceId, Integer.toString(s.episode)));
        t.eventId = TemplateIds.of(
                String.join("|", v.orgId, rule.id, v.sourceId, Integer.toString(s.episode), kind, discriminator));
        if (kind.equals("resolved")) {
            t.severity = "info";
            t.title = "Resolved: " + rule.name;
            t.bullets = new String[] {
                "Clean for " + rule.resolveAfter + " window" + (rule.resolveAfter == 1 ? "" : "s") + " after " + s.count
                        + " breaching window" + (s.count == 1 ? "" : "s"),
                "Open since " + Instant.ofEpochMilli(s.firstSeen)
            };
            return t;
        }
        boolean critical = kind.equals("escalated") || v.worse;
        t.severity = critical ? "critical" : v.severity;
        String prefix = switch (kind) {
            case "escalated" -> "Escalated: ";
            case "reminder" -> "Still firing: ";
            default -> "";
        };
        t.title = prefix + rule.name + " — " + v.summaryTitle;
        t.bullets = v.bullets;
        t.topLines = v.topLines;
        return t;
    }
}
