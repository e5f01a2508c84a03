package dev.logai.flink.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.logai.flink.parse.text.HeaderShape;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(
            delimiter = '¦',
            value = {
                // text ¦ milliseconds (-1: none)
                "GET /orders 200 duration=87ms ¦ 87",
                "GET /orders 200 duration=87 ¦ 87",
                "checkout done latency: 1.5s ¦ 1500",
                "query elapsed_ms=12 rows=4 ¦ 12",
                "db call took 12 ms ¦ 12",
                "db call took 800us ¦ 0.8",
                "Completed 200 OK in 12ms (Views: 5.2ms | ActiveRecord: 1.1ms) ¦ 12",
                "request completed in 3.1ms ¦ 3.1",
                "handled GET /a in 2 seconds. ¦ 2000",
                "job finished in 41.5 s ¦ 41500",
                "{\"msg\":\"x\",\"duration\":12} ¦ 12",
                "http.duration_ms=25 status=200 ¦ 25",
                "render time=14ms ¦ 14",
                // not durations
                "retrying in 5s ¦ -1",
                "timeout=30s exceeded ¦ -1",
                "took 12 items from the queue ¦ -1",
                "processed 12 items in batch 3 ¦ -1",
                "upload of 12kb finished ¦ -1",
                "time=2024-06-14T10:00:00Z level=info ¦ -1",
                "user 12ms logged in ¦ -1",
                "took #12ms ¦ -1",
                "v1.2.3 took 4 ¦ -1",
                "order 12_000ms ¦ -1",
                "Unhandled error, retrying in 5s ¦ -1",
                "Sync completed. Next sync in 300s ¦ -1",
                "Sync completed, next sync in 300s ¦ -1",
                "elapsed=1m30.5s ¦ -1",
                "elapsed=2h0m0s ¦ -1",
                "Duration: 00:01:23 ¦ -1",
                "elapsed=0:00:05.12 ¦ -1",
                "GET /v1/items?time=30s 200 ¦ -1",
                "GET /v1/items?a=1&duration=10 200 ¦ -1",
                "at Foo.java:123 ¦ -1",
                "12:30:45 done ¦ -1",
                "observed a spike in 5s ¦ -1",
                "Root WebApplicationContext: initialization completed in 1018 ms ¦ 1018",
                "nightly export took 2 min ¦ 120000",
                "scheduled job finished in 500 ms ¦ 500",
                "cache miss for key user:123 ¦ -1",
                "connection pool exhausted, waiting 40 ms ¦ -1",
            })
    void readsADurationWrittenInText(String text, double expected) {
        assertThat(Durations.inText(text)).isCloseTo(expected, within(1e-9));
    }

    @ParameterizedTest(name = "{0}={1} → {2}")
    @CsvSource({
        "duration_ms, 12, 12",
        "latency, 1.5s, 1500",
        "response_time_s, 0.25, 250",
        "elapsed_us, 800, 0.8",
        "requestTime, 40ms, 40",
        "timeout, 30, -1",
        "durationMs, 12, 12",
        "latencyMs, 5, 5",
        "responseTimeMs, 7, 7",
        "duration-ms, 3, 3",
        "http.duration_ms, 25, 25",
        "request_time, 0.123, 123",
        "upstream.request_time_ms, 4, 4",
        "status, 200, -1",
        "duration, soon, -1",
    })
    void readsADurationField(String name, String value, double expected) {
        assertThat(Durations.ofFields(Map.of(name, value))).isCloseTo(expected, within(1e-9));
    }

    @org.junit.jupiter.api.Test
    void aPlainTextLineWithADurationGetsTheDurationField() {
        RecordParser parser = new RecordParser();
        LogRecord out = new LogRecord();
        parser.parse(
                SourceFormat.text(HeaderShape.NONE),
                "2026-12-02 11:00:01 INFO api GET /orders 200 duration=123ms",
                0,
                out);
        assertThat(out.durationMs).isEqualTo(123);
        assertThat(out.attributes)
                .as("a duration read from the text is not a field")
                .isEmpty();

        LogRecord logfmt = new LogRecord();
        parser.parse(SourceFormat.LOGFMT, "level=info msg=\"completed in 9ms\" duration=15ms", 0, logfmt);
        assertThat(logfmt.durationMs).as("a field wins over the text").isEqualTo(15);
        assertThat(logfmt.attributes).containsKey("duration").doesNotContainKey("duration_ms");

        LogRecord none = new LogRecord();
        parser.parse(SourceFormat.text(HeaderShape.NONE), "INFO retrying in 5s", 0, none);
        assertThat(none.durationMs).isEqualTo(-1);
        assertThat(Durations.of(new LogRecord()))
                .as("a record built in code, no fields")
                .isEqualTo(-1);
    }
}
