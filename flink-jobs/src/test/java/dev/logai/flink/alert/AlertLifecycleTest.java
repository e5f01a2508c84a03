package dev.logai.flink.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.alert.rule.AlertRule;
import dev.logai.flink.alert.rule.AlertSignal;
import dev.logai.flink.alert.rule.AlertTransition;
import dev.logai.flink.alert.rule.RuleVerdict;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The alert lifecycle on Flink's keyed test harness: a window's signals are held briefly (processing
 * time) to gather the signals of every path, then fire, count and resolve one alert; the pending
 * signals and their timers are gone once applied; and an alert open at a snapshot is resolved, with
 * its count, by the restored operator.
 */
class AlertLifecycleTest {
    static final long MINUTE = 60_000;
    static final long T0 = 1_718_359_200_000L;
    static final KeySelector<AlertSignal, String> KEY = s -> s.verdict.alertKey();

    static KeyedOneInputStreamOperatorTestHarness<String, AlertSignal, AlertTransition> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AlertLifecycle()), KEY, Types.STRING);
    }

    static AlertRule rule() {
        AlertRule rule = new AlertRule();
        rule.id = "r1";
        rule.orgId = "org_a";
        rule.name = "Errors on checkout";
        rule.resolveAfter = 2;
        return rule;
    }

    /** A signal of the window starting {@code minute} minutes after T0, stamped with the window's last ms. */
    static StreamRecord<AlertSignal> signal(String kind, int minute, boolean breach) {
        RuleVerdict v = new RuleVerdict();
        v.orgId = "org_a";
        v.sourceId = "src_1";
        v.ruleId = "r1";
        v.rule = rule();
        v.windowStart = T0 + minute * MINUTE;
        v.windowEnd = v.windowStart + MINUTE;
        v.breach = breach;
        v.value = breach ? 0.3 : 0.01;
        v.severity = "warning";
        v.summaryTitle = "error rate 30%";
        return new StreamRecord<>(new AlertSignal(kind, v, 1), v.windowEnd - 1);
    }

    /** Lets the hold pass: every held signal is applied. */
    static void release(KeyedOneInputStreamOperatorTestHarness<String, AlertSignal, AlertTransition> h)
            throws Exception {
        h.setProcessingTime(h.getProcessingTime() + 2 * AlertLifecycle.HOLD_MS);
    }

    @Test
    void firesOnceCountsAndResolvesAfterTheHold() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement(signal(AlertSignal.WINDOW, 0, true));
            h.processElement(signal(AlertSignal.SUSTAINED, 0, true));
            assertThat(h.extractOutputValues())
                    .as("held until the window's other signals had time to arrive")
                    .isEmpty();
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
            assertThat(h.numEventTimeTimers()).as("the end of a bounded input").isEqualTo(1);

            release(h);
            h.processElement(signal(AlertSignal.WINDOW, 1, true));
            release(h);
            h.processElement(signal(AlertSignal.RECOVERY, 3, false));
            release(h);

            List<AlertTransition> out = h.extractOutputValues();
            assertThat(out).extracting(t -> t.kind).containsExactly("firing", "resolved");
            assertThat(out.get(1).count).as("both breaching windows").isEqualTo(2);
            assertThat(out.get(1).alertId).isEqualTo(out.get(0).alertId);
            assertThat(h.numEventTimeTimers())
                    .as("every timer fired or was deleted")
                    .isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();
            assertThat(h.numKeyedStateEntries())
                    .as("the alert only: the pending signals are cleared")
                    .isEqualTo(1);
        }
    }

    @Test
    void aRestoredOperatorAppliesThePendingSignalsAndKeepsTheOpenAlert() throws Exception {
        OperatorSubtaskState snapshot;
        String alertId;
        try (var h = harness()) {
            h.open();
            h.processElement(signal(AlertSignal.SUSTAINED, 0, true));
            release(h);
            alertId = h.extractOutputValues().get(0).alertId;
            h.processElement(signal(AlertSignal.WINDOW, 1, true));
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            assertThat(h.numProcessingTimeTimers())
                    .as("the pending window's timer was restored")
                    .isEqualTo(1);
            release(h);
            h.processElement(signal(AlertSignal.RECOVERY, 3, false));
            release(h);
            List<AlertTransition> out = h.extractOutputValues();
            assertThat(out).extracting(t -> t.kind).containsExactly("resolved");
            assertThat(out.get(0).alertId).isEqualTo(alertId);
            assertThat(out.get(0).count).isEqualTo(2);
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        }
    }
}
