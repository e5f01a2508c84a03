package dev.logai.flink.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.window.WindowMetrics;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class ApplyTenantSensitivityTest {

    private static WindowMetrics window(String org, String source) {
        WindowMetrics m = WindowMetrics.empty(org, source, 0, 60_000);
        m.complete = true;
        return m;
    }

    private static String judgedAt(
            BroadcastOperatorTestHarness<WindowMetrics, SensitivityUpdate, WindowMetrics> h, String org, String source)
            throws Exception {
        h.getOutput().clear();
        h.processElement(window(org, source), 0);
        return ((org.apache.flink.streaming.runtime.streamrecord.StreamRecord<WindowMetrics>)
                        h.getOutput().poll())
                .getValue()
                .sensitivity;
    }

    @Test
    void aSourcesOwnValueWinsOverItsOrgsAndAClearedValueInheritsAgain() throws Exception {
        try (var h = ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
                new ApplyTenantSensitivity(), ApplyTenantSensitivity.SETTINGS)) {
            assertThat(judgedAt(h, "org_a", "src_1"))
                    .as("nothing set: the deployment's")
                    .isNull();
            h.processBroadcastElement(new SensitivityUpdate("org_a", "high"), 0);
            h.processBroadcastElement(new SensitivityUpdate("org_a/src_2", "low"), 0);
            assertThat(judgedAt(h, "org_a", "src_1")).isEqualTo("high");
            assertThat(judgedAt(h, "org_a", "src_2")).isEqualTo("low");
            assertThat(judgedAt(h, "org_b", "src_1")).as("another org").isNull();
            h.processBroadcastElement(new SensitivityUpdate("org_a/src_2", null), 0);
            assertThat(judgedAt(h, "org_a", "src_2")).isEqualTo("high");
            h.processBroadcastElement(new SensitivityUpdate("org_a", null), 0);
            assertThat(judgedAt(h, "org_a", "src_1")).isNull();
        }
    }
}
