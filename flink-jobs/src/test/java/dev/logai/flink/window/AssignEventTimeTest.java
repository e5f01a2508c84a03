package dev.logai.flink.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.parse.LogRecord;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class AssignEventTimeTest {
    static final long OOO = 5_000;
    static final long QUIET = 2_000;
    static final long INTERVAL = 200;

    static OneInputStreamOperatorTestHarness<LogRecord, LogRecord> harness() throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new AssignEventTime(OOO, QUIET, INTERVAL));
    }

    static StreamRecord<LogRecord> record(long ts) {
        LogRecord r = new LogRecord();
        r.orgId = "o";
        r.sourceId = "s";
        r.ts = ts;
        r.raw = "line";
        return new StreamRecord<>(r);
    }

    static List<Long> watermarks(OneInputStreamOperatorTestHarness<LogRecord, LogRecord> h) {
        return h.getOutput().stream()
                .filter(e -> e instanceof Watermark)
                .map(e -> ((Watermark) e).getTimestamp())
                .collect(Collectors.toList());
    }

    @Test
    void stampsRecordsAndTrailsTheNewestEventTime() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(0);
            h.open();
            h.processElement(record(100_000));
            h.processElement(record(90_000)); // out of order: does not move event time back
            h.setProcessingTime(INTERVAL);
            assertThat(h.extractOutputStreamRecords())
                    .extracting(StreamRecord::getTimestamp)
                    .containsExactly(100_000L, 90_000L);
            assertThat(watermarks(h)).containsExactly(100_000 - OOO - 1);
        }
    }

    @Test
    void aQuietInputAdvancesWithTheWallClock() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(0);
            h.open();
            h.processElement(record(100_000));
            h.setProcessingTime(INTERVAL);
            h.setProcessingTime(QUIET); // quiet, but not for long enough yet
            assertThat(watermarks(h)).containsExactly(100_000 - OOO - 1);
            h.setProcessingTime(INTERVAL + QUIET + 10_000);
            assertThat(watermarks(h)).last().isEqualTo(100_000 - OOO - 1 + 10_000);
        }
    }

    @Test
    void anInputWithoutLinesGoesIdleAndComesBack() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(0);
            h.open();
            h.setProcessingTime(QUIET + INTERVAL);
            assertThat(h.getOutput()).contains(WatermarkStatus.IDLE);
            h.processElement(record(50_000));
            h.setProcessingTime(QUIET + 2 * INTERVAL);
            assertThat(h.getOutput()).contains(WatermarkStatus.ACTIVE);
            assertThat(watermarks(h)).containsExactly(50_000 - OOO - 1);
        }
    }

    @Test
    void aRestoredInputThatNeverSawALineDoesNotInheritAnotherInputsEventTime() throws Exception {
        OperatorSubtaskState withLines;
        OperatorSubtaskState withoutLines;
        try (var subtask0 =
                        new OneInputStreamOperatorTestHarness<>(new AssignEventTime(OOO, QUIET, INTERVAL), 4, 2, 0);
                var subtask1 =
                        new OneInputStreamOperatorTestHarness<>(new AssignEventTime(OOO, QUIET, INTERVAL), 4, 2, 1)) {
            subtask0.open();
            subtask1.open();
            subtask0.processElement(record(100_000));
            withLines = subtask0.snapshot(1, 1);
            withoutLines = subtask1.snapshot(1, 1);
        }
        OperatorSubtaskState both = AbstractStreamOperatorTestHarness.repackageState(withLines, withoutLines);
        try (var restored1 =
                new OneInputStreamOperatorTestHarness<>(new AssignEventTime(OOO, QUIET, INTERVAL), 4, 2, 1)) {
            restored1.initializeState(AbstractStreamOperatorTestHarness.repartitionOperatorState(both, 4, 2, 2, 1));
            restored1.setProcessingTime(0);
            restored1.open();
            restored1.setProcessingTime(QUIET + INTERVAL);
            // it must not hold the watermark at subtask 0's old event time: it stays idle
            assertThat(watermarks(restored1)).isEmpty();
            assertThat(restored1.getOutput()).contains(WatermarkStatus.IDLE);
        }
        try (var restored0 =
                new OneInputStreamOperatorTestHarness<>(new AssignEventTime(OOO, QUIET, INTERVAL), 4, 2, 0)) {
            restored0.initializeState(AbstractStreamOperatorTestHarness.repartitionOperatorState(both, 4, 2, 2, 0));
            restored0.setProcessingTime(0);
            restored0.open();
            restored0.setProcessingTime(INTERVAL);
            assertThat(watermarks(restored0)).containsExactly(100_000 - OOO - 1);
        }
    }

    @Test
    void eventTimeSurvivesARestoreWithoutNewInput() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.setProcessingTime(0);
            h.open();
            h.processElement(record(100_000));
            snapshot = h.snapshot(1, 1);
        }
        try (var restored = harness()) {
            restored.initializeState(snapshot);
            restored.setProcessingTime(0);
            restored.open();
            restored.setProcessingTime(INTERVAL);
            assertThat(watermarks(restored)).containsExactly(100_000 - OOO - 1);
            restored.setProcessingTime(INTERVAL + QUIET + 70_000);
            // the restored windows can now complete although no line arrived after the restore
            assertThat(watermarks(restored)).last().isEqualTo(100_000 - OOO - 1 + 70_000);
        }
    }
}
