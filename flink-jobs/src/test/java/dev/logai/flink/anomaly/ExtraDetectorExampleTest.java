package dev.logai.flink.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.common.contract.Metric;
import dev.logai.flink.window.MetricsKey;
import dev.logai.flink.window.WindowMetrics;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The worked example of {@code docs/extending.md}: a new detector, written as one class, tried on
 * the keyed test harness beside the production detectors before it is added to {@link
 * DetectAnomalies#DETECTORS}. It flags every window with FATAL lines, however usual they are.
 */
class ExtraDetectorExampleTest {

    /** Step 1: the detector. Stateless; what it needs to remember would go into {@link SourceBaselines}. */
    static final class FatalLinesDetector implements WindowDetector {
        @Override
        public List<Anomaly> judge(WindowMetrics m, Baselines baselines) {
            if (m.counts.fatal == 0) {
                return List.of();
            }
            String reason = m.counts.fatal + " FATAL line" + (m.counts.fatal == 1 ? "" : "s");
            return List.of(Anomaly.of(
                    m,
                    Metric.ERROR_RATE,
                    "",
                    "",
                    m.counts.fatal,
                    0,
                    Double.NaN,
                    1.0,
                    "spike",
                    baselines.why.of(Explanations.Focus.ERRORS, reason)));
        }
    }

    @Test
    void aWindowWithFatalLinesIsFlaggedOnceTheSourceIsWarm() throws Exception {
        // Step 2: the operator with the production detectors and the new one, on the keyed harness.
        List<WindowDetector> detectors = new ArrayList<>(DetectAnomalies.DETECTORS);
        detectors.add(new FatalLinesDetector());
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DetectAnomalies(AnomalySettings.DEFAULTS, detectors)),
                new MetricsKey(),
                Types.STRING)) {
            h.open();
            // Step 3: a steady source, then one window with two FATAL lines and nothing else unusual.
            for (int minute = 0; minute < 60; minute++) {
                h.processElement(new StreamRecord<>(DetectAnomaliesTest.window(minute, 1_000, 10 + minute % 3)));
            }
            assertThat(h.extractOutputValues()).isEmpty();
            WindowMetrics fatal = DetectAnomaliesTest.window(60, 1_000, 11);
            fatal.counts.fatal = 2;
            h.processElement(new StreamRecord<>(fatal));

            // Step 4: exactly the new detector's anomaly, explained, and nothing kept beyond the baselines.
            assertThat(h.extractOutputValues()).singleElement().satisfies(a -> {
                assertThat(a.metric).isEqualTo(Metric.ERROR_RATE.wireName());
                assertThat(a.observed).isEqualTo(2.0);
                assertThat(a.explanation).contains("2 FATAL lines");
            });
            assertThat(h.numKeyedStateEntries()).isEqualTo(3);
        }
    }
}
