package dev.logai.flink.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.logai.flink.parse.Level;
import dev.logai.flink.parse.LogRecord;
import org.junit.jupiter.api.Test;

class WindowStatsTest {
    private static LogRecord line(Long durationMs) {
        LogRecord r = new LogRecord();
        r.level = Level.INFO;
        r.templateId = "t";
        r.raw = r.message = "request";
        if (durationMs != null) r.attributes.put("duration_ms", durationMs.toString());
        return r;
    }

    @Test
    void aWindowsRowCarriesItsLatencyWhenItsLinesHadDurations() {
        WindowMetrics m = WindowMetrics.empty("org", "src", 0, 60_000);
        for (long ms = 1; ms <= 100; ms++) m.add(line(ms));
        m.add(line(null));
        WindowStats s = WindowStats.of(m);
        assertThat(s.lines).isEqualTo(101);
        assertThat(s.latencyCount).isEqualTo(100);
        assertThat(s.latencyP50Ms).isCloseTo(50, within(50 * 0.06));
        assertThat(s.latencyP95Ms).isCloseTo(95, within(95 * 0.06));

        WindowMetrics none = WindowMetrics.empty("org", "src", 0, 60_000);
        none.add(line(null));
        WindowStats without = WindowStats.of(none);
        assertThat(without.latencyCount).isZero();
        assertThat(without.latencyP95Ms).isNaN();
    }
}
