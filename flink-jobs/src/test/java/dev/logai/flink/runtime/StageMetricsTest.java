package dev.logai.flink.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.parse.LogRecord;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/** The per-line counters: one series per format and per parse flag, and templates created. */
class StageMetricsTest {

    /** A metric group that remembers every counter under its label path, e.g. {@code format=json/linesParsed}. */
    static final class Recording extends UnregisteredMetricsGroup {
        final Map<String, Counter> counters;
        final String path;

        Recording(Map<String, Counter> counters, String path) {
            this.counters = counters;
            this.path = path;
        }

        @Override
        public Counter counter(String name) {
            return counters.computeIfAbsent(path + name, k -> new SimpleCounter());
        }

        @Override
        public MetricGroup addGroup(String key, String value) {
            return new Recording(counters, path + key + "=" + value + "/");
        }
    }

    static LogRecord record(String format, int flags) {
        LogRecord r = new LogRecord();
        r.format = format;
        r.flags = flags;
        return r;
    }

    @Test
    void countsLinesPerFormatEachFlagAndNewTemplates() {
        Map<String, Counter> counters = new TreeMap<>();
        StageMetrics.Lines lines = new StageMetrics.Lines(new Recording(counters, ""));
        lines.count(record("json", 0), true);
        lines.count(record("json", LogRecord.FLAG_TRUNCATED | LogRecord.FLAG_INVALID_JSON), false);
        lines.count(record("syslog", LogRecord.FLAG_FUTURE_TIMESTAMP), false);
        lines.count(record(null, LogRecord.FLAG_NO_TIMESTAMP), true);

        assertThat(counters.get("format=json/linesParsed").getCount()).isEqualTo(2);
        assertThat(counters.get("format=syslog/linesParsed").getCount()).isEqualTo(1);
        assertThat(counters.get("format=unknown/linesParsed").getCount()).isEqualTo(1);
        assertThat(counters.get("flag=truncated/parseFlags").getCount()).isEqualTo(1);
        assertThat(counters.get("flag=invalid_json/parseFlags").getCount()).isEqualTo(1);
        assertThat(counters.get("flag=future_timestamp/parseFlags").getCount()).isEqualTo(1);
        assertThat(counters.get("flag=no_timestamp/parseFlags").getCount()).isEqualTo(1);
        assertThat(counters.get("flag=binary/parseFlags").getCount()).isZero();
        assertThat(counters.get("templatesCreated").getCount()).isEqualTo(2);
    }
}
