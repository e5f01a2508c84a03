package dev.logai.flink.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.parse.Level;
import dev.logai.flink.parse.LogRecord;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The pre-aggregation operator on Flink's test harness: lines folded into one partial per (org,
 * source, window), emitted when a watermark closes the window, when the bundle is full, on the
 * flush timer and before a checkpoint barrier (so a snapshot holds nothing, and a restored
 * operator loses no line); lines past the allowed lateness go to the late-lines side output.
 */
class PreAggregateWindowsTest {
    static final long MINUTE = 60_000;
    static final long T0 = 1_718_359_200_000L; // 2024-06-14T10:00:00Z, on a minute

    static OneInputStreamOperatorTestHarness<LogRecord, WindowMetrics> harness(long flushIntervalMs, int maxLines)
            throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new PreAggregateWindows(MINUTE, 0, flushIntervalMs, maxLines));
    }

    static StreamRecord<LogRecord> line(String source, long ts, Level level) {
        LogRecord r = new LogRecord();
        r.orgId = "org_a";
        r.sourceId = source;
        r.ts = ts;
        r.level = level;
        r.templateId = "t1";
        r.template = "request <*> done";
        r.message = "request 7 done";
        return new StreamRecord<>(r, ts);
    }

    @Test
    void foldsLinesPerSourceAndWindowUntilAWatermarkClosesTheWindow() throws Exception {
        try (var h = harness(0, 1_000)) {
            h.open();
            h.processElement(line("a", T0 + 1_000, Level.INFO));
            h.processElement(line("a", T0 + 2_000, Level.ERROR));
            h.processElement(line("b", T0 + 3_000, Level.INFO));
            h.processElement(line("a", T0 + MINUTE + 1_000, Level.INFO));
            h.processWatermark(new Watermark(T0 + MINUTE - 2));
            assertThat(h.extractOutputValues()).as("no window closed yet").isEmpty();

            h.processWatermark(new Watermark(T0 + MINUTE - 1));
            List<WindowMetrics> out = h.extractOutputValues();
            assertThat(out)
                    .extracting(m -> m.sourceId, m -> m.windowStart, m -> m.counts.lines, m -> m.counts.error)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("a", T0, 2L, 1L),
                            org.assertj.core.groups.Tuple.tuple("b", T0, 1L, 0L),
                            org.assertj.core.groups.Tuple.tuple("a", T0 + MINUTE, 1L, 0L));
            assertThat(h.getOutput())
                    .as("partials, stamped with their window's last ms, then the watermark")
                    .last()
                    .isEqualTo(new Watermark(T0 + MINUTE - 1));
            assertThat(h.getOutput().stream()
                            .filter(e -> e instanceof StreamRecord<?>)
                            .map(e -> ((StreamRecord<?>) e).getTimestamp()))
                    .containsOnly(T0 + MINUTE - 1, T0 + 2 * MINUTE - 1);

            h.processElement(line("a", T0 + 5_000, Level.INFO));
            assertThat(h.getSideOutput(LateLines.TAG))
                    .as("a line of a closed window")
                    .hasSize(1);
            assertThat(h.getProcessingTimeService().getNumActiveTimers())
                    .as("no flush interval, no timer")
                    .isZero();
        }
    }

    @Test
    void flushesWhenTheBundleIsFullAndOnTheFlushTimer() throws Exception {
        try (var h = harness(1_000, 3)) {
            h.setProcessingTime(0);
            h.open();
            for (int i = 0; i < 3; i++) {
                h.processElement(line("a", T0 + i, Level.INFO));
            }
            assertThat(h.extractOutputValues())
                    .as("full at 3 lines")
                    .extracting(m -> m.counts.lines)
                    .containsExactly(3L);

            h.processElement(line("a", T0 + 10, Level.INFO));
            h.setProcessingTime(1_000);
            assertThat(h.extractOutputValues()).extracting(m -> m.counts.lines).containsExactly(3L, 1L);
            assertThat(h.getProcessingTimeService().getNumActiveTimers())
                    .as("the next flush, only")
                    .isEqualTo(1);
        }
    }

    @Test
    void aSnapshotHoldsNoLinesAndARestoredOperatorContinues() throws Exception {
        OperatorSubtaskState snapshot;
        long before;
        try (var h = harness(0, 1_000)) {
            h.open();
            h.processElement(line("a", T0 + 1_000, Level.INFO));
            h.processElement(line("a", T0 + 2_000, Level.ERROR));
            h.prepareSnapshotPreBarrier(1);
            snapshot = h.snapshot(1, 1);
            before = h.extractOutputValues().stream()
                    .mapToLong(m -> m.counts.lines)
                    .sum();
        }
        assertThat(before).as("the bundle went out before the barrier").isEqualTo(2);
        assertThat(snapshot.getManagedOperatorState()).isEmpty();
        assertThat(snapshot.getManagedKeyedState()).isEmpty();

        try (var h = harness(0, 1_000)) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(line("a", T0 + 3_000, Level.INFO));
            h.processWatermark(new Watermark(T0 + MINUTE - 1));
            assertThat(h.extractOutputValues())
                    .extracting(m -> m.windowStart, m -> m.counts.lines)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(T0, 1L));
        }
    }
}
