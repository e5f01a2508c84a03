package dev.logai.flink.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.parse.Level;
import dev.logai.flink.parse.LogRecord;
import org.junit.jupiter.api.Test;

/** A window keeps a few of its requests' traces, distinct, error lines' requests first (WindowMetrics#traceParents). */
class WindowTraceLinksTest {

    static LogRecord line(String traceParent, Level level) {
        LogRecord r = new LogRecord();
        r.orgId = "org";
        r.sourceId = "src";
        r.level = level;
        r.message = "m";
        r.traceParent = traceParent;
        return r;
    }

    static String trace(int i) {
        return String.format("00-%032x-%016x-01", i + 1, i + 1);
    }

    @Test
    void distinctBoundedAndErrorRequestsFirst() {
        WindowMetrics m = WindowMetrics.empty("org", "src", 0, 60_000);
        for (int i = 0; i < 12; i++) {
            m.add(line(trace(i), Level.INFO));
            m.add(line(trace(i), Level.INFO)); // the same request's next line
            m.add(line(null, Level.INFO));
        }
        assertThat(m.traceParents).hasSize(WindowMetrics.MAX_TRACE_LINKS).startsWith(trace(0), trace(1));
        m.add(line(trace(20), Level.ERROR));
        assertThat(m.traceParents)
                .hasSize(WindowMetrics.MAX_TRACE_LINKS)
                .startsWith(trace(20), trace(0))
                .doesNotContain(trace(7));

        WindowMetrics other = WindowMetrics.empty("org", "src", 0, 60_000);
        other.add(line(trace(30), Level.INFO));
        WindowMetrics small = WindowMetrics.empty("org", "src", 0, 60_000);
        small.add(line(trace(1), Level.INFO));
        small.merge(other);
        assertThat(small.traceParents).containsExactly(trace(1), trace(30));
        assertThat(small.emitted(true).traceParents).containsExactly(trace(1), trace(30));
    }
}
