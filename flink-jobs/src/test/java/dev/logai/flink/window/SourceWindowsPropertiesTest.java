package dev.logai.flink.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.parse.Level;
import dev.logai.flink.parse.LogRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * {@link SourceWindows} against a reference that knows nothing of Flink: for random interleavings
 * of several sources with random clock skews (hours to days apart), bursts, gaps and out-of-order
 * lines, and a snapshot/restore at a random point, the complete windows hold exactly the lines a
 * per-source count says they should, and the lines sent to the late output are exactly those
 * behind their own source's newest line by more than the out-of-orderness plus the allowed
 * lateness (window end included). 300 seeded cases; a failure names its seed.
 */
class SourceWindowsPropertiesTest {
    static final long MINUTE = 60_000;
    static final long OOO = 20_000;
    static final long LATENESS = 2 * MINUTE;
    static final long T0 = 1_780_000_000_000L;

    /** One generated line: its source, event time and a unique number (carried in the message). */
    record Line(String source, long ts, int id) {}

    @Test
    void windowTotalsAndLateLinesMatchAPerSourceReference() throws Exception {
        for (int seed = 0; seed < 300; seed++) {
            check(seed);
        }
    }

    private static void check(int seed) throws Exception {
        Random random = new Random(seed);
        List<Line> lines = generate(random);
        int restoreAt = random.nextInt(lines.size() + 1);

        // The reference: per source, in arrival order; late iff the line's window ended more than
        // the allowed lateness before (newest so far - out-of-orderness).
        Map<String, Long> newest = new HashMap<>();
        Map<String, Map<Long, Long>> expected = new TreeMap<>();
        Set<Integer> expectedLate = new HashSet<>();
        for (Line l : lines) {
            long start = Math.floorDiv(l.ts, MINUTE) * MINUTE;
            Long n = newest.get(l.source);
            if (n != null && start + MINUTE - 1 + LATENESS <= n - OOO) {
                expectedLate.add(l.id);
                continue;
            }
            expected.computeIfAbsent(l.source, k -> new TreeMap<>()).merge(start, 1L, Long::sum);
            newest.merge(l.source, l.ts, Math::max);
        }

        Map<String, Map<Long, Long>> actual = new TreeMap<>();
        Set<Integer> late = new HashSet<>();
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            for (Line l : lines.subList(0, restoreAt)) {
                h.processElement(record(l));
            }
            h.prepareSnapshotPreBarrier(1);
            snapshot = h.snapshot(1, 1);
            collect(h, actual, late);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            for (Line l : lines.subList(restoreAt, lines.size())) {
                h.processElement(record(l));
            }
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            collect(h, actual, late);
        }
        assertThat(actual).as("seed " + seed + ": complete windows").isEqualTo(expected);
        assertThat(late).as("seed " + seed + ": late lines").isEqualTo(expectedLate);
    }

    /** The last complete emission of each window, and the late lines. */
    private static void collect(
            KeyedOneInputStreamOperatorTestHarness<String, LogRecord, WindowMetrics> h,
            Map<String, Map<Long, Long>> complete,
            Set<Integer> late) {
        for (WindowMetrics m : h.extractOutputValues()) {
            if (m.complete) {
                complete.computeIfAbsent(m.sourceId, k -> new TreeMap<>()).put(m.windowStart, m.counts.lines);
            }
        }
        if (h.getSideOutput(LateLines.TAG) != null) {
            h.getSideOutput(LateLines.TAG).forEach(r -> late.add(Integer.parseInt(r.getValue().message)));
        }
    }

    /**
     * 2–6 sources, each on its own clock (up to 3 days behind or 2 hours ahead of the first), sent
     * in bursts of random length, interleaved; time moves on with random gaps and sometimes jumps;
     * 15% of lines are out of order, up to 10 minutes behind their source's newest.
     */
    private static List<Line> generate(Random random) {
        int sources = 2 + random.nextInt(5);
        long[] clock = new long[sources];
        for (int s = 0; s < sources; s++) {
            clock[s] = T0
                    + (s == 0
                            ? 0
                            : (random.nextBoolean() ? -1 : 1) * (long) (random.nextDouble() * 3 * 24 * 60) * MINUTE);
        }
        List<Line> out = new ArrayList<>();
        int lines = 50 + random.nextInt(400);
        int id = 0;
        while (id < lines) {
            int s = random.nextInt(sources);
            int burst = 1 + random.nextInt(30);
            for (int i = 0; i < burst && id < lines; i++) {
                double p = random.nextDouble();
                if (p < 0.02) {
                    clock[s] += (1 + random.nextInt(120)) * MINUTE; // an idle gap or a jump ahead
                } else {
                    clock[s] += random.nextInt(5_000);
                }
                long ts = random.nextDouble() < 0.15 ? clock[s] - random.nextInt(10 * 60_000) : clock[s];
                out.add(new Line("src" + s, ts, id++));
            }
        }
        return out;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, LogRecord, WindowMetrics> harness() throws Exception {
        // No early firings and an idleness no test run reaches: the windows move by event time only.
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new SourceWindows(MINUTE, OOO, LATENESS, 0, Long.MAX_VALUE / 4, 0), new OrgSourceKey(), Types.STRING);
    }

    private static StreamRecord<LogRecord> record(Line l) {
        LogRecord r = new LogRecord();
        r.orgId = "org";
        r.sourceId = l.source;
        r.ts = l.ts;
        r.level = Level.INFO;
        r.message = Integer.toString(l.id);
        r.raw = r.message;
        r.templateId = "t";
        r.template = "t";
        return new StreamRecord<>(r);
    }
}
