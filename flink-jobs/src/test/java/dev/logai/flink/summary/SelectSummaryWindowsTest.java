package dev.logai.flink.summary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.anomaly.Anomaly;
import dev.logai.flink.window.TemplateCount;
import dev.logai.flink.window.WindowMetrics;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Which windows are summarized and how incidents group them: one summary per incident, the model
 * asked again only for a new signal, windows continuing an error incident while errors stay near
 * the onset, a new incident after the gap, and a non-error incident not kept open by background
 * errors.
 */
class SelectSummaryWindowsTest {
    static final long MINUTE = 60_000;

    static KeyedOneInputStreamOperatorTestHarness<String, WindowFindings, SummaryRequest> harness() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SelectSummaryWindows(SummarySettings.DEFAULTS)),
                new FindingsKey(),
                Types.STRING);
        h.open();
        return h;
    }

    static WindowFindings window(int minute, long lines, long errors, String topErrorTemplate, String... anomalies) {
        WindowMetrics m = WindowMetrics.empty("org", "src", minute * MINUTE, (minute + 1) * MINUTE);
        m.complete = true;
        m.counts.lines = lines;
        m.counts.error = errors;
        TemplateCount t = new TemplateCount();
        t.lines = errors;
        t.errors = errors;
        m.templates.put(topErrorTemplate, t);
        List<Anomaly> found = new ArrayList<>();
        for (String metric : anomalies) {
            Anomaly a = new Anomaly();
            a.id = metric + minute;
            a.metric = metric;
            found.add(a);
        }
        return new WindowFindings(m, found.toArray(Anomaly[]::new));
    }

    static List<SummaryRequest> feed(
            KeyedOneInputStreamOperatorTestHarness<String, WindowFindings, SummaryRequest> h, WindowFindings f)
            throws Exception {
        int before = h.extractOutputValues().size();
        h.processElement(new StreamRecord<>(f));
        List<SummaryRequest> all = h.extractOutputValues();
        return all.subList(before, all.size());
    }

    @Test
    void anIncidentOfALastingChangeStartsWhereItsEvidenceBegan() throws Exception {
        try (var h = harness()) {
            WindowFindings leak = window(100, 1000, 0, "t", "latency_geomean");
            leak.anomalies[0].onset = 88 * MINUTE; // a slow leak, certain after 13 windows
            assertThat(feed(h, leak)).singleElement().satisfies(r -> {
                assertThat(r.incidentStart).isEqualTo(88 * MINUTE);
                assertThat(r.windowStart).isEqualTo(100 * MINUTE);
            });
        }
        try (var h = harness()) {
            WindowFindings spike = window(100, 1000, 0, "t", "volume");
            spike.anomalies[0].onset = 100 * MINUTE;
            assertThat(feed(h, spike))
                    .singleElement()
                    .satisfies(r -> assertThat(r.incidentStart).isEqualTo(100 * MINUTE));
        }
    }

    @Test
    void anOnsetNeverReachesIntoTheIncidentBeforeAndMovingTheStartAsksAgain() throws Exception {
        try (var h = harness()) {
            feed(h, window(50, 1000, 0, "t", "volume")); // an incident of minute 50, over by minute 51
            // a rise whose run began before that incident starts where it ended
            assertStart(feed(h, lasting(100, "error_rate", 30)), 51, true);
            // the same incident, a signal already known, and no earlier onset: nothing new
            feed(h, window(101, 1000, 0, "t", "error_rate"));
            assertStart(feed(h, lasting(102, "error_rate", 101)), 51, false);
        }
        try (var h = harness()) {
            feed(h, window(100, 1000, 0, "t", "latency_geomean"));
            // a known signal, but its onset moves the start back: the summary is asked again
            assertStart(feed(h, lasting(101, "latency_geomean", 90)), 90, true);
        }
    }

    /** A window whose one anomaly, about {@code metric}, is a lasting change begun at {@code onsetMinute}. */
    static WindowFindings lasting(int minute, String metric, int onsetMinute) {
        WindowFindings f = window(minute, 1000, 0, "t", metric);
        f.anomalies[0].onset = onsetMinute * MINUTE;
        return f;
    }

    static void assertStart(List<SummaryRequest> out, int startMinute, boolean refresh) {
        assertThat(out).singleElement().satisfies(r -> {
            assertThat(r.incidentStart).isEqualTo(startMinute * MINUTE);
            assertThat(r.refresh).as("asked again").isEqualTo(refresh);
        });
    }

    @Test
    void anIncidentHasOneSummaryRefreshedOnlyByNewSignals() throws Exception {
        var h = harness();
        assertThat(feed(h, window(0, 1000, 10, "t-bg"))).as("a quiet window").isEmpty();

        SummaryRequest onset =
                feed(h, window(1, 1000, 300, "t-pay", "error_rate")).get(0);
        assertThat(onset.trigger).isEqualTo("anomaly");
        assertThat(onset.refresh).isTrue();
        assertThat(onset.windows).isEqualTo(1);

        SummaryRequest ongoing = feed(h, window(2, 1000, 250, "t-pay")).get(0);
        assertThat(ongoing.id).isEqualTo(onset.id);
        assertThat(ongoing.refresh).as("nothing new: only the end moves").isFalse();
        assertThat(ongoing.windows).isEqualTo(2);
        assertThat(ongoing.trigger).isEqualTo("anomaly");

        SummaryRequest worse =
                feed(h, window(3, 1000, 260, "t-pay", "latency_p95")).get(0);
        assertThat(worse.id).isEqualTo(onset.id);
        assertThat(worse.refresh).as("a new signal").isTrue();
        assertThat(worse.signals).containsExactly("error_rate", "errors:t-pay", "latency_p95");

        SummaryRequest otherFailure = feed(h, window(4, 1000, 200, "t-db")).get(0);
        assertThat(otherFailure.refresh).as("another top error template").isTrue();

        assertThat(feed(h, window(5, 1000, 40, "t-db")))
                .as("errors back near normal: the incident rests")
                .isEmpty();
        assertThat(feed(h, window(20, 1000, 300, "t-pay", "error_rate")).get(0).id)
                .as("after the gap, a new incident")
                .isNotEqualTo(onset.id);
    }

    @Test
    void anIncidentIsReaskedEveryRefreshWindowsWithoutNewSignals() throws Exception {
        var h = harness();
        feed(h, window(0, 1000, 300, "t-pay", "error_rate"));
        List<Boolean> refreshes = new ArrayList<>();
        for (int m = 1; m <= 30; m++) {
            refreshes.add(feed(h, window(m, 1000, 300, "t-pay")).get(0).refresh);
        }
        assertThat(refreshes.stream().filter(r -> r).count()).isEqualTo(2); // windows 16 and 31
    }

    @Test
    void backgroundErrorsDoNotKeepANonErrorIncidentOpen() throws Exception {
        var h = harness();
        assertThat(feed(h, window(0, 1000, 12, "t-bg", "new_templates")).get(0).trigger)
                .isEqualTo("anomaly");
        assertThat(feed(h, window(1, 1000, 12, "t-bg"))).isEmpty();
        assertThat(feed(h, window(2, 1000, 14, "t-other"))).isEmpty();
    }

    @Test
    void errorLinesAboveTheSourcesThresholdAreSummarizedWithoutAnAnomaly() throws Exception {
        var h = harness();
        assertThat(feed(h, window(0, 5000, 99, "t-bg"))).isEmpty();
        SummaryRequest r = feed(h, window(1, 5000, 100, "t-bg")).get(0);
        assertThat(r.trigger).isEqualTo("errors");
        assertThat(r.refresh).isTrue();
    }
}
