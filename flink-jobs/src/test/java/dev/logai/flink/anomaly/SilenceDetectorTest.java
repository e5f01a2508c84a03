package dev.logai.flink.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logai.common.contract.Metric;
import dev.logai.flink.summary.WindowFindings;
import dev.logai.flink.window.MetricsKey;
import dev.logai.flink.window.WindowMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Silences: the activity profile's odds, the event-time judgement when a source comes back after a
 * gap, and the wall-clock judgement while a live source is still quiet (once, not again when it
 * comes back, never in a restart's grace or after the input ended).
 */
class SilenceDetectorTest {
    static final long MINUTE = WindowSeries.MINUTE;
    static final long T0 = WindowSeries.T0;
    /** When a window is judged in these tests: 30 s after its end, as the job's idleness allows. */
    static final long JUDGED_AFTER = 30_000;

    static KeyedOneInputStreamOperatorTestHarness<String, WindowMetrics, Anomaly> harness(AnomalySettings settings)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DetectAnomalies(settings)), new MetricsKey(), Types.STRING);
    }

    static WindowMetrics window(long minute, long lines) {
        WindowMetrics m = WindowMetrics.empty("org_a", "src_1", T0 + minute * MINUTE, T0 + (minute + 1) * MINUTE);
        m.complete = true;
        if (lines > 0) {
            WindowSeries.add(m, "t1", "request <*> done", lines, lines / 100, false);
            m.counts.firstTs = m.windowStart + 1;
            m.counts.lastTs = m.windowEnd - 1_000;
        }
        return m;
    }

    /** Feeds the window as a live source's: the harness' clock at the window's end plus {@link #JUDGED_AFTER}. */
    static void live(KeyedOneInputStreamOperatorTestHarness<String, WindowMetrics, Anomaly> h, WindowMetrics m)
            throws Exception {
        h.setProcessingTime(m.windowEnd + JUDGED_AFTER);
        h.processElement(new StreamRecord<>(m));
    }

    static List<Anomaly> silences(KeyedOneInputStreamOperatorTestHarness<String, WindowMetrics, Anomaly> h) {
        return h.extractOutputValues().stream()
                .filter(a -> a.is(Metric.SILENCE))
                .toList();
    }

    @Test
    void theProfileLearnsAGapInClosedFormAsWindowByWindow() {
        ActivityProfile stepwise = new ActivityProfile();
        ActivityProfile closed = new ActivityProfile();
        for (long w = 0; w < 3_000; w++) {
            stepwise.learn(T0 + w * MINUTE, MINUTE, 40);
            closed.learn(T0 + w * MINUTE, MINUTE, 40);
        }
        for (long w = 3_000; w < 3_500; w++) {
            stepwise.learn(T0 + w * MINUTE, MINUTE, 0);
        }
        closed.learnSilent(T0 + 3_000 * MINUTE, 500, MINUTE);
        assertThat(closed.activeOverall).isCloseTo(stepwise.activeOverall, within(1e-9));
        assertThat(closed.windows).isEqualTo(stepwise.windows);
        for (int slot = 0; slot < ActivityProfile.SLOTS; slot++) {
            assertThat(closed.active[slot]).as("hour %d", slot).isCloseTo(stepwise.active[slot], within(1e-9));
            assertThat(closed.slotWindows[slot]).isEqualTo(stepwise.slotWindows[slot]);
        }
    }

    @Test
    void oddsOfSilenceFollowTheSourcesUsualActivityAtThatHour() {
        ActivityProfile busy = new ActivityProfile();
        ActivityProfile cron = new ActivityProfile();
        for (long w = 0; w < 2 * 24 * 60; w++) {
            busy.learn(T0 + w * MINUTE, MINUTE, 200);
            cron.learn(T0 + w * MINUTE, MINUTE, w % 30 == 0 ? 400 : 0);
        }
        long next = T0 + 2 * 24 * 60 * MINUTE;
        // two empty minutes of a source that writes 200 lines every minute: e^-400
        assertThat(busy.logChanceOfSilence(next, 2, MINUTE)).isCloseTo(-400, within(1.0));
        assertThat(busy.expectedLines(next, 2, MINUTE)).isCloseTo(400, within(1.0));
        // a job that writes every 30 minutes: 29 empty minutes are routine, a day of them is not
        assertThat(cron.logChanceOfSilence(next, 29, MINUTE)).isGreaterThan(-2);
        assertThat(cron.logChanceOfSilence(next, 24 * 60, MINUTE)).isLessThan(-40);
        assertThat(SilenceDetector.normalQuantileOfLogTail(Math.log(3.167e-5))).isCloseTo(4.0, within(0.05));
        assertThat(SilenceDetector.normalQuantileOfLogTail(Math.log(0.4))).isZero();
    }

    @Test
    void aGapIsReportedWhenTheSourceComesBackDatedAtItsFirstSilentWindow() throws Exception {
        try (var h = harness(AnomalySettings.DEFAULTS)) {
            h.open();
            for (int minute = 0; minute < 60; minute++) {
                h.processElement(new StreamRecord<>(window(minute, 100)));
            }
            h.processElement(new StreamRecord<>(window(61, 100))); // one empty window: no silence
            assertThat(silences(h)).isEmpty();
            h.processElement(new StreamRecord<>(window(67, 100))); // five empty windows, 62..66
            assertThat(silences(h)).hasSize(1);
            Anomaly a = silences(h).get(0);
            assertThat(a.windowStart).isEqualTo(T0 + 62 * MINUTE);
            assertThat(a.windowEnd).isEqualTo(T0 + 63 * MINUTE);
            assertThat(a.observed).isZero();
            assertThat(a.baseline).isCloseTo(100, within(5.0));
            assertThat(a.label).isEqualTo("drop");
            // the empty window 60 taught it that a minute can be empty (1 in 62): still far past the threshold
            assertThat(a.score).isGreaterThan(0.6);
            JsonNode why = new ObjectMapper().readTree(a.explanation);
            assertThat(why.get("reason").asText()).startsWith("no lines for 5 windows (5 min) from ");
            assertThat(why.get("reason").asText()).contains("lines a window at this hour", "last line at");
            assertThat(why.get("silent_windows").asLong()).isEqualTo(5);
            assertThat(h.numProcessingTimeTimers())
                    .as("not live: no wall-clock watch")
                    .isZero();
        }
    }

    @Test
    void aQuietSourceOrAShortGapIsNoSilence() throws Exception {
        try (var h = harness(AnomalySettings.DEFAULTS)) {
            h.open();
            for (int minute = 0; minute < 60; minute++) {
                h.processElement(new StreamRecord<>(window(minute, 3)));
            }
            h.processElement(new StreamRecord<>(window(65, 3))); // 5 windows of usually 3 lines: 15 < 20 lines
            assertThat(silences(h)).isEmpty();
            h.processElement(new StreamRecord<>(window(90, 3))); // 24 windows: 72 lines usually, e^-72
            assertThat(silences(h)).hasSize(1);
        }
    }

    /** Business hours only: the nights are learned as quiet, an afternoon outage is not. */
    @Test
    void nightsASourceIsAlwaysQuietInAreNotSilencesButADaytimeOutageIs() throws Exception {
        try (var h = harness(AnomalySettings.DEFAULTS)) {
            h.open();
            for (int day = 0; day < 4; day++) {
                for (int hour = 8; hour < 20; hour++) {
                    for (int m = 0; m < 60; m++) {
                        boolean outage = day == 3 && hour == 14 && m < 30;
                        if (!outage) {
                            h.processElement(new StreamRecord<>(window(day * 1440L + hour * 60L + m, 50)));
                        }
                    }
                }
            }
            List<Anomaly> found = silences(h);
            assertThat(found)
                    .extracting(a -> (a.windowStart - T0) / MINUTE)
                    .as("the first night (nothing learned about nights yet) and the outage")
                    .containsExactly(20 * 60L, 3 * 1440L + 14 * 60L);
        }
    }

    @Test
    void aLiveSourceGoneQuietIsReportedByTheWallClockOnceAndNotAgainWhenItComesBack() throws Exception {
        AnomalySettings settings = new AnomalySettings("medium", Map.of(), true, Duration.ofSeconds(60));
        try (var h = harness(settings)) {
            h.open();
            for (int minute = 0; minute < 60; minute++) {
                live(h, window(minute, 100));
            }
            assertThat(h.numProcessingTimeTimers())
                    .as("one check per live source")
                    .isEqualTo(1);
            long lastJudged = T0 + 60 * MINUTE + JUDGED_AFTER;

            h.setProcessingTime(lastJudged + MINUTE + 10_000);
            assertThat(silences(h)).as("one empty window so far").isEmpty();
            h.setProcessingTime(lastJudged + 2 * MINUTE + 10_000);
            assertThat(silences(h))
                    .as("two empty windows of a source of 100 lines a minute")
                    .hasSize(1);
            Anomaly a = silences(h).get(0);
            assertThat(a.windowStart).as("dated at the first silent window").isEqualTo(T0 + 60 * MINUTE);
            assertThat(a.explanation).contains("no lines for 2 windows", "(wall clock)");

            h.setProcessingTime(lastJudged + 30 * MINUTE);
            assertThat(silences(h)).as("reported once").hasSize(1);
            assertThat(h.numProcessingTimeTimers())
                    .as("no checks after the report")
                    .isZero();

            live(h, window(90, 100));
            assertThat(silences(h)).as("not again when the source comes back").hasSize(1);
            List<WindowFindings> findings = List.copyOf(h.getSideOutput(DetectAnomalies.FINDINGS)).stream()
                    .map(StreamRecord::getValue)
                    .toList();
            assertThat(findings.get(findings.size() - 1).anomalies)
                    .as("the window that ends it still carries it, for rules and summaries")
                    .anyMatch(x -> x.is(Metric.SILENCE) && x.windowStart == T0 + 60 * MINUTE && x.id.equals(a.id));
            assertThat(h.numProcessingTimeTimers())
                    .as("the source is live again: one check")
                    .isEqualTo(1);
            assertThat(h.numKeyedStateEntries())
                    .as("baselines, one template's rate and the pending check")
                    .isEqualTo(3);
        }
    }

    @Test
    void noWallClockSilenceInARestartsGraceNorForABoundedRunOrAnEndedInput() throws Exception {
        AnomalySettings settings = new AnomalySettings("medium", Map.of(), true, Duration.ofSeconds(60));
        OperatorSubtaskState snapshot;
        long lastJudged = T0 + 60 * MINUTE + JUDGED_AFTER;
        try (var h = harness(settings)) {
            h.open();
            for (int minute = 0; minute < 60; minute++) {
                live(h, window(minute, 100));
            }
            snapshot = h.snapshot(1, lastJudged);
        }
        try (var h = harness(settings)) {
            h.setup();
            h.initializeState(snapshot);
            h.open();
            long restart = lastJudged + 20 * MINUTE; // down for 20 minutes
            h.setProcessingTime(restart);
            h.setProcessingTime(restart + 50_000);
            assertThat(silences(h)).as("within the grace").isEmpty();
            h.setProcessingTime(restart + 61_000);
            assertThat(silences(h)).as("counted from the restart: one window").isEmpty();
            h.setProcessingTime(restart + 2 * MINUTE + 1_000);
            assertThat(silences(h)).hasSize(1);
            assertThat(silences(h).get(0).windowStart).isEqualTo(T0 + 60 * MINUTE);
        }

        try (var h = harness(settings.bounded())) {
            h.open();
            for (int minute = 0; minute < 60; minute++) {
                live(h, window(minute, 100));
            }
            assertThat(h.numProcessingTimeTimers())
                    .as("a bounded run has no wall clock")
                    .isZero();
        }
        try (var h = harness(settings)) {
            h.open();
            for (int minute = 0; minute < 60; minute++) {
                live(h, window(minute, 100));
            }
            h.processWatermark(new Watermark(Long.MAX_VALUE)); // the input ended
            h.setProcessingTime(lastJudged + 10 * MINUTE);
            assertThat(silences(h)).as("the end of the data is no silence").isEmpty();
        }
    }
}
