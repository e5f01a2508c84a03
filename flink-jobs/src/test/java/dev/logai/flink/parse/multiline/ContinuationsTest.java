package dev.logai.flink.parse.multiline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.parse.Level;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which lines continue an event, per runtime, and which open one. */
class ContinuationsTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "\tat com.acme.Pool.take(Pool.java:42)",
                "Caused by: java.io.IOException: reset",
                "\t... 4 common frames omitted",
                "... 12 more",
                "Traceback (most recent call last):",
                "During handling of the above exception, another exception occurred:",
                "    ~~^~~~~~~",
                "ZeroDivisionError: division by zero",
                "goroutine 57 [running]:",
                "[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x6b8e2a]",
                "created by net/http.(*Server).Serve in goroutine 1",
                "app/models/order.rb:10:in `total'",
                "lib/worker.py:88: in run",
                "src/server.ts:12:7",
                "   --- End of inner exception stack trace ---",
                "System.InvalidOperationException: Sequence contains no elements",
                "",
            })
    void traceLinesContinue(String line) {
        assertThat(Continuations.looksLikeContinuation(line)).as(line).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2024-05-14 10:00:00,100 INFO worker started",
                "WARNING: An illegal reflective access operation has occurred",
                "panic: runtime error: index out of range",
                "I0501 12:00:00.000000 1 controller.go:123] synced",
                "ready: 3 of 3 pods",
                "version 1.2.3: released",
            })
    void eventLinesDoNotContinue(String line) {
        assertThat(Continuations.looksLikeContinuation(line)).as(line).isFalse();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "panic: runtime error: invalid memory address|FATAL",
                "fatal error: all goroutines are asleep - deadlock!|FATAL",
                "Traceback (most recent call last):|ERROR",
                "Exception in thread \"main\" java.lang.IllegalStateException: x|ERROR",
                "java.lang.IllegalStateException: stock gone|ERROR",
                "DeprecationWarning: x is deprecated|UNKNOWN",
                "listening on :8080|UNKNOWN",
            })
    void crashOpenersHaveALevel(String line, Level level) {
        assertThat(Continuations.eventStartLevel(line)).as(line).isEqualTo(level);
    }
}
