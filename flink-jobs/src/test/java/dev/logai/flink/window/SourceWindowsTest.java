package dev.logai.flink.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.parse.Level;
import dev.logai.flink.parse.LogRecord;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Per-source event time on Flink's keyed test harness: every source is judged on its own clock, so
 * a source days behind or hours ahead of another on the same subtask loses nothing; late lines are
 * those behind their own source only; quiet sources complete by the wall clock; state and timers
 * stay bounded; a restore continues exactly.
 */
class SourceWindowsTest {
    static final long MINUTE = 60_000;
    static final long SECOND = 1_000;
    static final long NOW = 1_780_000_000_000L - 1_780_000_000_000L % MINUTE;
    static final long OOO = 30 * SECOND;
    static final long LATENESS = 5 * MINUTE;
    static final long FLUSH = 10 * SECOND;
    static final long IDLE = 30 * SECOND;
    static final long TTL = 7 * 24 * 60 * MINUTE;

    static KeyedOneInputStreamOperatorTestHarness<String, LogRecord, WindowMetrics> harness() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new SourceWindows(MINUTE, OOO, LATENESS, FLUSH, IDLE, TTL), new OrgSourceKey(), Types.STRING);
        h.setProcessingTime(1_000_000);
        return h;
    }

    static StreamRecord<LogRecord> line(String source, long ts) {
        LogRecord r = new LogRecord();
        r.orgId = "org_a";
        r.sourceId = source;
        r.ts = ts;
        r.level = Level.INFO;
        r.message = "hello";
        r.raw = "hello";
        r.templateId = "t1";
        r.template = "hello";
        return new StreamRecord<>(r);
    }

    /** Complete windows emitted, as source@minutes-from-NOW → lines (the last emission of each). */
    static Map<String, Long> complete(KeyedOneInputStreamOperatorTestHarness<String, LogRecord, WindowMetrics> h) {
        return h.extractOutputValues().stream()
                .filter(m -> m.complete)
                .collect(Collectors.toMap(
                        m -> m.sourceId + "@" + Math.floorDiv(m.windowStart - NOW, MINUTE),
                        m -> m.counts.lines,
                        (a, b) -> b));
    }

    static SourceWindows operator(KeyedOneInputStreamOperatorTestHarness<String, LogRecord, WindowMetrics> h) {
        return (SourceWindows) h.getOneInputOperator();
    }

    @Test
    void aSourceDaysBehindAndOneHoursAheadCountInFullBesideALiveOne() throws Exception {
        try (var h = harness()) {
            h.open();
            long old = NOW - 3 * 24 * 60 * MINUTE;
            long ahead = NOW + 120 * MINUTE;
            // Interleaved: live, 3 days old, and one that jumps 2 h ahead half way.
            for (int i = 0; i < 180; i++) {
                long offset = i * SECOND;
                h.processElement(line("live", NOW + offset));
                h.processElement(line("old", old + offset));
                h.processElement(line("jump", (i < 90 ? NOW : ahead) + offset));
            }
            assertThat(h.getSideOutput(LateLines.TAG))
                    .as("nobody is late against another's clock")
                    .isNull();
            assertThat(complete(h))
                    .containsEntry("live@0", 60L)
                    .containsEntry("live@1", 60L)
                    .containsEntry("old@-4320", 60L)
                    .containsEntry("old@-4319", 60L)
                    .containsEntry("jump@0", 60L)
                    .containsEntry("jump@1", 30L)
                    .containsEntry("jump@121", 30L);
            // Quiet now: every window completes by the wall clock, with exact totals.
            h.setProcessingTime(h.getProcessingTime() + 3 * MINUTE);
            assertThat(complete(h))
                    .containsEntry("live@2", 60L)
                    .containsEntry("old@-4318", 60L)
                    .containsEntry("jump@122", 60L);
            long total =
                    complete(h).values().stream().mapToLong(Long::longValue).sum();
            assertThat(total).isEqualTo(3 * 180);
            assertThat(h.numKeyedStateEntries())
                    .as("nothing written before a checkpoint")
                    .isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.numProcessingTimeTimers()).as("no per-source timers").isZero();
        }
    }

    @Test
    void aLineIsLateOnlyAgainstItsOwnSourceAndIsCountedNotLost() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement(line("a", NOW + 10 * MINUTE));
            h.processElement(line("b", NOW));
            // 7 minutes behind a's newest line: its window ended more than the lateness before a's watermark.
            h.processElement(line("a", NOW + 3 * MINUTE));
            // Within the out-of-orderness of b: on time.
            h.processElement(line("b", NOW - 20 * SECOND));
            // Within a's allowed lateness: updates a's complete window.
            h.processElement(line("a", NOW + 7 * MINUTE));
            assertThat(h.getSideOutput(LateLines.TAG))
                    .extracting(r -> r.getValue().sourceId + "@" + (r.getValue().ts - NOW) / MINUTE)
                    .containsExactly("a@3");
            h.setProcessingTime(h.getProcessingTime() + FLUSH);
            assertThat(h.getSideOutput(SourceWindows.LATENESS))
                    .extracting(r -> r.getValue().toString())
                    .containsExactly("org_a/a@" + (NOW + 3 * MINUTE) + " late=1");
            assertThat(h.extractOutputValues().stream().filter(m -> m.sourceId.equals("a") && m.complete))
                    .as("the update within the allowed lateness is emitted, complete")
                    .extracting(m -> (m.windowStart - NOW) / MINUTE)
                    .contains(7L);
            assertThat(h.extractOutputValues().stream().filter(m -> m.sourceId.equals("b")))
                    .extracting(m -> m.counts.lines)
                    .as("b's two windows, still open, one line each")
                    .containsExactly(1L, 1L);
        }
    }

    @Test
    void openWindowsPublishRunningTotalsAndAQuietSourceCompletes() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement(line("a", NOW + SECOND));
            h.processElement(line("a", NOW + 2 * SECOND));
            h.setProcessingTime(h.getProcessingTime() + FLUSH);
            assertThat(h.extractOutputValues()).singleElement().satisfies(m -> {
                assertThat(m.complete).isFalse();
                assertThat(m.counts.lines).isEqualTo(2);
            });
            h.setProcessingTime(h.getProcessingTime() + FLUSH);
            assertThat(h.extractOutputValues())
                    .as("nothing changed, nothing emitted")
                    .hasSize(1);
            h.setProcessingTime(h.getProcessingTime() + MINUTE + OOO);
            assertThat(complete(h)).containsExactly(Map.entry("a@0", 2L));
        }
    }

    @Test
    void aRestoreContinuesExactlyAndStateShrinksToTheClock() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            for (int i = 0; i < 100; i++) {
                h.processElement(line("a", NOW + i * SECOND));
            }
            snapshot = h.snapshot(1, 1);
            assertThat(h.numKeyedStateEntries())
                    .as("one entry per source, written at the checkpoint")
                    .isEqualTo(1);
            assertThat(complete(h)).containsExactly(Map.entry("a@0", 60L));
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            for (int i = 100; i < 120; i++) {
                h.processElement(line("a", NOW + i * SECOND));
            }
            h.processElement(line("a", NOW - 10 * MINUTE)); // behind the restored clock: late
            assertThat(h.getSideOutput(LateLines.TAG)).hasSize(1);
            h.setProcessingTime(h.getProcessingTime() + 10 * MINUTE);
            assertThat(complete(h))
                    .as("the window open at the snapshot, with every line, and nothing emitted twice")
                    .containsExactly(Map.entry("a@1", 60L));
            SourceWindowState s = operator(h).heapState("org_a/a");
            assertThat(s.windows)
                    .as("windows past the allowed lateness are forgotten")
                    .isEmpty();
            assertThat(s.newestEventTime).isEqualTo(NOW + 119 * SECOND);
        }
    }

    @Test
    void aSourceRestoredWithOpenWindowsCompletesEvenIfItNeverSpeaksAgain() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processElement(line("a", NOW + SECOND));
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.setProcessingTime(h.getProcessingTime() + 2 * MINUTE);
            assertThat(complete(h)).containsExactly(Map.entry("a@0", 1L));
        }
    }

    @Test
    void theEndOfABoundedInputCompletesEveryWindow() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement(line("a", NOW));
            h.processElement(line("b", NOW - 5 * MINUTE));
            h.processWatermark(new Watermark(NOW)); // not the end: ignored, not forwarded
            assertThat(h.getOutput().stream().filter(o -> o instanceof Watermark))
                    .isEmpty();
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(complete(h)).containsOnlyKeys("a@0", "b@-5");
            assertThat(h.getOutput().stream()
                            .filter(o -> o instanceof Watermark)
                            .toList())
                    .containsExactly(new Watermark(Long.MAX_VALUE));
        }
    }

    @Test
    void aQuietSourcesClockIsForgottenAfterItsTtl() throws Exception {
        try (var h = harness()) {
            h.setStateTtlProcessingTime(0);
            h.open();
            h.processElement(line("a", NOW));
            h.setProcessingTime(h.getProcessingTime() + 10 * MINUTE);
            h.snapshot(1, 1);
            assertThat(operator(h).storedClock("org_a/a")).isNotNull();
            h.setStateTtlProcessingTime(TTL + 1);
            assertThat(operator(h).storedClock("org_a/a"))
                    .as("expired: a line it sends later starts a new clock")
                    .isNull();
        }
    }

    @Test
    void aLineWithoutItsOwnTimestampJoinsItsSourcesTimelineAndDoesNotEndABackfill() throws Exception {
        try (var h = harness()) {
            h.open();
            long threeHoursAgo = NOW - 180 * MINUTE;
            for (int i = 0; i < 30; i++) {
                StreamRecord<LogRecord> backfill = line("backfill", threeHoursAgo + i * SECOND);
                backfill.getValue().tsFromLine = true;
                h.processElement(backfill);
                if (i == 10) {
                    h.processElement(line("backfill", NOW)); // no timestamp of its own: ts is the receive time
                }
            }
            h.processElement(line("plain", NOW)); // a source that never writes timestamps: receive time
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(h.getSideOutput(LateLines.TAG))
                    .as("nothing of the backfill is late")
                    .isNull();
            assertThat(complete(h)).containsExactlyInAnyOrderEntriesOf(Map.of("backfill@-180", 31L, "plain@0", 1L));
        }
    }
}
