package dev.logai.flink.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.parse.LogRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * A savepoint of {@link SourceWindows} at parallelism 2, restored at 1 and at 3: every source's
 * clock and pending windows move with its key group, so the windows open at the savepoint complete
 * with exactly their lines, and lines behind a restored clock are still late.
 */
class SourceWindowsRescaleTest {
    static final long MINUTE = 60_000;
    static final long T0 = 1_780_000_000_000L - 1_780_000_000_000L % MINUTE;
    static final int MAX_PARALLELISM = 128;
    static final List<String> SOURCES = List.of("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7");

    static KeyedOneInputStreamOperatorTestHarness<String, LogRecord, WindowMetrics> harness(
            int parallelism, int subtask) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new SourceWindows(MINUTE, 10_000, MINUTE, 0, Long.MAX_VALUE / 4, 0),
                new OrgSourceKey(),
                Types.STRING,
                MAX_PARALLELISM,
                parallelism,
                subtask);
    }

    /** Source i runs i days behind s0; each sends 90 lines over 90 s before the savepoint and 60 after. */
    static StreamRecord<LogRecord> line(String source, int n) {
        LogRecord r = new LogRecord();
        r.orgId = "org";
        r.sourceId = source;
        r.ts = T0 - Integer.parseInt(source.substring(1)) * 24 * 60 * MINUTE + n * 1_000L;
        r.message = source + "#" + n;
        r.raw = r.message;
        r.templateId = "t";
        r.template = "t";
        return new StreamRecord<>(r);
    }

    static int subtaskOf(String source, int parallelism) {
        return KeyGroupRangeAssignment.assignKeyToParallelOperator("org/" + source, MAX_PARALLELISM, parallelism);
    }

    @Test
    void restoresAtOneAndAtThreeWithExactWindows() throws Exception {
        List<OperatorSubtaskState> snapshots = new ArrayList<>();
        Map<String, Long> completeBefore = new TreeMap<>();
        for (int subtask = 0; subtask < 2; subtask++) {
            try (var h = harness(2, subtask)) {
                h.open();
                for (int n = 0; n < 90; n++) {
                    for (String s : SOURCES) {
                        if (subtaskOf(s, 2) == subtask) h.processElement(line(s, n));
                    }
                }
                h.prepareSnapshotPreBarrier(1);
                snapshots.add(h.snapshot(1, 1));
                collect(h, completeBefore);
            }
        }
        OperatorSubtaskState savepoint =
                AbstractStreamOperatorTestHarness.repackageState(snapshots.toArray(OperatorSubtaskState[]::new));
        for (String s : SOURCES) {
            assertThat(completeBefore)
                    .as(s + "'s first minute completed before the savepoint")
                    .containsEntry(s + "@0", 60L);
        }

        for (int parallelism : new int[] {1, 3}) {
            Map<String, Long> complete = new TreeMap<>();
            long late = 0;
            for (int subtask = 0; subtask < parallelism; subtask++) {
                try (var h = harness(parallelism, subtask)) {
                    h.initializeState(AbstractStreamOperatorTestHarness.repartitionOperatorState(
                            savepoint, MAX_PARALLELISM, 2, parallelism, subtask));
                    h.open();
                    for (int n = 90; n < 150; n++) {
                        for (String s : SOURCES) {
                            if (subtaskOf(s, parallelism) == subtask) h.processElement(line(s, n));
                        }
                    }
                    for (String s : SOURCES) {
                        if (subtaskOf(s, parallelism) == subtask) h.processElement(line(s, -120)); // 2 min behind: late
                    }
                    h.processWatermark(new Watermark(Long.MAX_VALUE));
                    collect(h, complete);
                    late += h.getSideOutput(LateLines.TAG) == null
                            ? 0
                            : h.getSideOutput(LateLines.TAG).size();
                }
            }
            for (String s : SOURCES) {
                assertThat(complete)
                        .as("restored at parallelism " + parallelism + ": " + s + "'s second and third minutes")
                        .containsEntry(s + "@1", 60L)
                        .containsEntry(s + "@2", 30L)
                        .doesNotContainKey(s + "@0");
            }
            assertThat(late).as("every source's clock came back").isEqualTo(SOURCES.size());
        }
    }

    private static void collect(
            KeyedOneInputStreamOperatorTestHarness<String, LogRecord, WindowMetrics> h, Map<String, Long> complete) {
        for (WindowMetrics m : h.extractOutputValues()) {
            if (m.complete) {
                long dayShift = Integer.parseInt(m.sourceId.substring(1)) * 24 * 60 * MINUTE;
                complete.put(m.sourceId + "@" + (m.windowStart + dayShift - T0) / MINUTE, m.counts.lines);
            }
        }
    }
}
