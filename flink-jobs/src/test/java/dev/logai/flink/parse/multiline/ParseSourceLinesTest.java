package dev.logai.flink.parse.multiline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.ingest.LineSourceKey;
import dev.logai.flink.ingest.LogLine;
import dev.logai.flink.parse.Level;
import dev.logai.flink.parse.LogRecord;
import dev.logai.flink.parse.ParseSourceLines;
import dev.logai.flink.parse.SourceParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The parse operator on Flink's keyed test harness: format learned per source from its first
 * lines, stack traces of five runtimes joined into one event, the open event flushed by time
 * and at the end of input, and the learned format kept across a restore.
 */
class ParseSourceLinesTest {
    static final long WAIT = 1_000;
    static final long T0 = 1_718_359_200_000L; // 2024-06-14T10:00:00Z

    static KeyedOneInputStreamOperatorTestHarness<String, LogLine, LogRecord> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ParseSourceLines(WAIT, WAIT)), new LineSourceKey(), Types.STRING);
    }

    static LogLine line(String source, String text) {
        return LogLine.ofText("org_a", source, T0, text);
    }

    static List<String> headerLines(int n) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(String.format(
                    "2024-06-14 10:%02d:%02d,%03d INFO [main] com.acme.Worker: processed item %d",
                    i / 60, i % 60, i, i));
        }
        return lines;
    }

    static List<LogRecord> records(KeyedOneInputStreamOperatorTestHarness<String, LogLine, LogRecord> h) {
        return new ArrayList<>(h.extractOutputValues());
    }

    @Test
    void stackTracesOfEachRuntimeBecomeOneEvent() throws Exception {
        String java = "2024-06-14 10:59:00,000 ERROR [main] com.acme.Worker: request failed\n"
                + "java.lang.IllegalStateException: pool exhausted\n"
                + "\tat com.acme.Pool.take(Pool.java:42)\n"
                + "\tat com.acme.Worker.run(Worker.java:17)\n"
                + "Caused by: java.net.SocketTimeoutException: connect timed out\n"
                + "\t... 2 more";
        String python = "2024-06-14 10:59:01,000 ERROR [main] com.acme.Worker: job crashed\n"
                + "Traceback (most recent call last):\n"
                + "  File \"/app/job.py\", line 12, in <module>\n"
                + "    run()\n"
                + "ValueError: bad input";
        String go = "2024-06-14 10:59:02,000 ERROR [main] com.acme.Worker: panic\n"
                + "panic: runtime error: index out of range [5] with length 3\n"
                + "\n"
                + "goroutine 1 [running]:\n"
                + "main.main()\n"
                + "\t/tmp/x.go:8 +0x1d";
        String node = "2024-06-14 10:59:03,000 ERROR [main] com.acme.Worker: node failed\n"
                + "TypeError: Cannot read properties of undefined (reading 'id')\n"
                + "    at handler (/app/index.js:10:15)\n"
                + "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)";
        String dotnet = "2024-06-14 10:59:04,000 ERROR [main] com.acme.Worker: dotnet failed\n"
                + "System.InvalidOperationException: Sequence contains no elements\n"
                + "   at System.Linq.ThrowHelper.ThrowNoElementsException()\n"
                + "   --- End of inner exception stack trace ---";
        try (var h = harness()) {
            h.setProcessingTime(0);
            h.open();
            List<String> lines = new ArrayList<>(headerLines(SourceParser.LEARN_LINES));
            for (String trace : List.of(java, python, go, node, dotnet)) {
                lines.addAll(List.of(trace.split("\n", -1)));
            }
            lines.add("2024-06-14 10:59:05,000 INFO [main] com.acme.Worker: recovered");
            for (String l : lines) h.processElement(line("src_java", l), T0);
            h.processWatermark(new Watermark(Long.MAX_VALUE)); // end of input flushes the open event
            List<LogRecord> out = records(h);
            assertThat(out).hasSize(SourceParser.LEARN_LINES + 6);
            List<LogRecord> events = out.subList(SourceParser.LEARN_LINES, out.size());
            assertThat(events).extracting(r -> r.lineCount).containsExactly(6, 5, 6, 4, 4, 1);
            assertThat(events.get(0).message)
                    .startsWith("request failed\njava.lang.IllegalStateException")
                    .endsWith("... 2 more");
            assertThat(events.get(1).message).endsWith("ValueError: bad input");
            assertThat(events.get(2).message).contains("goroutine 1 [running]:\nmain.main()");
            assertThat(events)
                    .extracting(r -> r.level)
                    .containsExactly(Level.ERROR, Level.ERROR, Level.ERROR, Level.ERROR, Level.ERROR, Level.INFO);
            assertThat(events).allMatch(r -> r.service.equals("com.acme.Worker"));
        }
    }

    @Test
    void theLastEventIsFlushedByTimeAndLearningWaitsAtMostTheLearnWait() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(0);
            h.open();
            h.processElement(line("src_t", "2024-06-14 10:00:00,000 WARN [main] a.B: only line"), T0);
            h.processElement(line("src_t", "\tat x.Y(Y.java:1)"), T0);
            assertThat(records(h)).isEmpty(); // still learning
            h.setProcessingTime(WAIT); // learn wait over: learned from two lines, event stays open
            assertThat(records(h)).isEmpty();
            h.setProcessingTime(3 * WAIT);
            List<LogRecord> out = records(h);
            assertThat(out).hasSize(1);
            assertThat(out.get(0).lineCount).isEqualTo(2);
            assertThat(out.get(0).message).isEqualTo("only line\n\tat x.Y(Y.java:1)");
        }
    }

    @Test
    void aSourceThatSendsWholeEventsWaitsBrieflyUntilItSplitsOne() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(0);
            h.open();
            for (String l : headerLines(SourceParser.LEARN_LINES)) {
                h.processElement(line("src_q", l), T0);
            }
            h.processElement(
                    LogLine.ofText(
                            "org_a",
                            "src_q",
                            T0 + 1_000,
                            "2024-06-14 10:30:00,000 ERROR [main] com.acme.Worker: request failed"),
                    T0);
            h.setProcessingTime(250);
            List<LogRecord> out = records(h);
            assertThat(out)
                    .as("whole events so far: a short wait, not the full hold")
                    .hasSize(SourceParser.LEARN_LINES + 1);
            long errorTs = out.get(out.size() - 1).ts;

            // The trace comes in a later request, after its event went on: a separate event at the
            // event's time (not the receive time), and from now on the source gets the full hold.
            h.processElement(
                    LogLine.ofText("org_a", "src_q", T0 + 3_600_000, "\tat com.acme.Pool.take(Pool.java:42)"), T0);
            h.processElement(
                    LogLine.ofText(
                            "org_a",
                            "src_q",
                            T0 + 3_600_000,
                            "2024-06-14 10:31:00,000 ERROR [main] com.acme.Worker: again"),
                    T0);
            h.setProcessingTime(250 + 500);
            out = records(h);
            assertThat(out).hasSize(SourceParser.LEARN_LINES + 2);
            LogRecord orphan = out.get(out.size() - 1);
            assertThat(orphan.raw).startsWith("\tat com.acme.Pool");
            assertThat(orphan.ts).isEqualTo(errorTs);
            h.setProcessingTime(250 + WAIT + 10);
            assertThat(records(h)).hasSize(SourceParser.LEARN_LINES + 3);
        }
    }

    @Test
    void jsonSourcesEmitEachLineAtOnce() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(0);
            h.open();
            for (int i = 0; i < SourceParser.LEARN_LINES; i++) {
                h.processElement(line("src_json", "{\"level\":\"info\",\"msg\":\"m" + i + "\"}"), T0);
            }
            assertThat(records(h)).hasSize(SourceParser.LEARN_LINES);
            h.processElement(line("src_json", "{\"level\":\"error\",\"msg\":\"now\"}"), T0);
            assertThat(records(h)).hasSize(SourceParser.LEARN_LINES + 1);
        }
    }

    @Test
    void sourcesAreLearnedSeparatelyAndTheFormatSurvivesARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.setProcessingTime(0);
            h.open();
            for (String l : headerLines(SourceParser.LEARN_LINES)) h.processElement(line("src_a", l), T0);
            for (int i = 0; i < SourceParser.LEARN_LINES; i++) {
                h.processElement(line("src_b", "{\"level\":\"info\",\"msg\":\"m\"}"), T0);
            }
            snapshot = h.snapshot(1, 1);
        }
        try (var restored = harness()) {
            restored.setProcessingTime(0);
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(
                    line("src_a", "2024-06-14 11:00:00,000 ERROR [main] com.acme.Worker: after restore"), T0);
            restored.processElement(line("src_b", "{\"level\":\"warn\",\"msg\":\"json after restore\"}"), T0);
            restored.processWatermark(new Watermark(Long.MAX_VALUE));
            List<LogRecord> out = records(restored);
            // the open event of src_a from before the snapshot comes first, then the new lines, parsed at once
            assertThat(out).extracting(r -> r.message).contains("after restore", "json after restore");
            LogRecord a = out.stream()
                    .filter(r -> r.message.equals("after restore"))
                    .findFirst()
                    .orElseThrow();
            assertThat(a.level).isEqualTo(Level.ERROR);
            assertThat(a.format).isEqualTo("text");
        }
    }

    @Test
    void aHeaderThatChangesMidStreamIsRelearned() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(0);
            h.open();
            for (String l : headerLines(SourceParser.LEARN_LINES)) h.processElement(line("src_c", l), T0);
            for (int i = 0; i < 4 * SourceParser.LEARN_LINES; i++) {
                h.processElement(
                        line(
                                "src_c",
                                String.format(
                                        "Jun 14 10:%02d:%02d web01 api[42]: new layout line %d",
                                        i / 60 % 60, i % 60, i)),
                        T0);
            }
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            List<LogRecord> out = records(h);
            LogRecord last = out.get(out.size() - 1);
            assertThat(last.message).isEqualTo("new layout line " + (4 * SourceParser.LEARN_LINES - 1));
            assertThat(last.service).isEqualTo("api");
            assertThat(last.hasFlag(LogRecord.FLAG_FORMAT_MISMATCH)).isFalse();
            // lines before the relearn are still their own records, flagged, never merged away
            assertThat(out).hasSize(SourceParser.LEARN_LINES + 4 * SourceParser.LEARN_LINES);
            assertThat(out)
                    .filteredOn(r -> r.hasFlag(LogRecord.FLAG_FORMAT_MISMATCH))
                    .isNotEmpty()
                    .allMatch(r -> r.tsFromLine && r.lineCount == 1);
        }
    }

    @Test
    void badInputBecomesFlaggedRecordsAndNeverFailsTheOperator() throws Exception {
        byte[] garbage = new byte[4096];
        new java.util.Random(1).nextBytes(garbage);
        byte[] invalidUtf8 = {'o', 'k', ' ', (byte) 0xC3, (byte) 0x28, ' ', (byte) 0xFF};
        String deepJson = "[".repeat(10_000) + "]".repeat(10_000);
        String deepObject = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
        String truncatedJson = "{\"level\":\"error\",\"msg\":\"cut he";
        String huge = "x".repeat(10 * 1024 * 1024);
        try (var h = harness()) {
            h.setProcessingTime(0);
            h.open();
            for (int i = 0; i < SourceParser.LEARN_LINES; i++) {
                h.processElement(line("src_bad", "{\"level\":\"info\",\"msg\":\"m\"}"), T0);
            }
            h.processElement(new LogLine("org_a", "src_bad", T0, garbage, false, false), T0);
            h.processElement(new LogLine("org_a", "src_bad", T0, invalidUtf8, false, false), T0);
            h.processElement(line("src_bad", deepJson), T0);
            h.processElement(line("src_bad", deepObject), T0);
            h.processElement(
                    new LogLine("org_a", "src_bad", T0, truncatedJson.getBytes(StandardCharsets.UTF_8), true, true),
                    T0);
            h.processElement(line("src_bad", huge), T0);
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            List<LogRecord> out = records(h).subList(SourceParser.LEARN_LINES, SourceParser.LEARN_LINES + 6);
            assertThat(out.get(0).hasFlag(LogRecord.FLAG_BINARY)).isTrue();
            assertThat(out.get(0).hasFlag(LogRecord.FLAG_INVALID_UTF8)).isTrue();
            assertThat(out.get(0).message).doesNotContain("\u0000");
            assertThat(out.get(1).hasFlag(LogRecord.FLAG_INVALID_UTF8)).isTrue();
            assertThat(out.get(1).message).startsWith("ok ");
            assertThat(out.get(3).hasFlag(LogRecord.FLAG_INVALID_JSON)).isTrue();
            assertThat(out.get(4).hasFlag(LogRecord.FLAG_INVALID_JSON)).isTrue();
            assertThat(out.get(4).hasFlag(LogRecord.FLAG_TRUNCATED)).isTrue();
            assertThat(out.get(5).message).hasSize(huge.length());
            assertThat(out).allMatch(r -> r.hasFlag(LogRecord.FLAG_FORMAT_MISMATCH) && r.ts == T0 && !r.tsFromLine);
        }
    }

    @Test
    void aParserHintOverridesDetectionFromTheFirstLine() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(0);
            h.open();
            // Few lines, all of a shape detection would read as "ts + level" text: the hint's
            // captures win, with no wait for a sample.
            String hint =
                    "%{TIMESTAMP_ISO8601:timestamp} \\| %{WORD:tenant} \\| %{LOGLEVEL:level} \\| %{GREEDYDATA:message}";
            LogLine first = line("src_hint", "2024-06-14T10:00:00Z | acme | WARN | disk 91% full");
            first.parserHint = hint;
            h.processElement(first, T0);
            h.setProcessingTime(WAIT); // a text-like line waits its short hold for continuation lines
            List<LogRecord> out = records(h);
            assertThat(out).hasSize(1);
            assertThat(out.get(0).format).isEqualTo("pattern");
            assertThat(out.get(0).level).isEqualTo(Level.WARN);
            assertThat(out.get(0).message).isEqualTo("disk 91% full");
            assertThat(out.get(0).attributes).containsEntry("tenant", "acme");

            LogLine json =
                    line("src_json_hint", "{\"ts\":\"2024-06-14T10:00:00Z\",\"level\":\"error\",\"msg\":\"boom\"}");
            json.parserHint = "JSON";
            h.processElement(json, T0);
            LogRecord parsed = records(h).get(1);
            assertThat(parsed.format).isEqualTo("json");
            assertThat(parsed.level).isEqualTo(Level.ERROR);
        }
    }

    @Test
    void aHintWithoutAMessageCaptureLeavesItsTimeAndLevelOutOfTheMessage() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(0);
            h.open();
            for (String level : List.of("ERROR", "INFO", "WARN")) {
                LogLine l = line("src_nomsg", "job=42 at=2024-05-01T10:00:05Z status=" + level);
                l.parserHint = "job=%{INT:job} at=%{TIMESTAMP_ISO8601:timestamp} status=%{LOGLEVEL:level}";
                h.processElement(l, T0);
            }
            h.setProcessingTime(WAIT);
            // one message for every level: the level is the record's, not part of its template
            assertThat(records(h)).extracting(r -> r.message).containsOnly("job=42 at= status=");
            assertThat(records(h)).extracting(r -> r.level).containsExactly(Level.ERROR, Level.INFO, Level.WARN);
        }
    }
}
