package dev.logai.flink.parse.multiline;

import static dev.logai.flink.parse.multiline.ParseSourceLinesTest.harness;
import static dev.logai.flink.parse.multiline.ParseSourceLinesTest.line;
import static dev.logai.flink.parse.multiline.ParseSourceLinesTest.records;
import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.parse.Level;
import dev.logai.flink.parse.LogRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * Container runtime lines through the parse operator: CRI partial chunks reassembled per stream
 * whatever the cut points, the application's time and level winning over the runtime's, trace
 * lines joined inside the wrappers, and the stream kept as an attribute, never a level.
 */
class ContainerLogsTest {
    private static final Random SEEDS = new Random();

    /** Application lines of a Java service: header lines, and an exception with its frames every 7th event. */
    static List<List<String>> events(Random random, int count) {
        List<List<String>> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String ts = String.format("2024-05-14 09:%02d:%02d,%03d", i / 60 % 60, i % 60, i % 1000);
            List<String> lines = new ArrayList<>();
            if (i % 7 == 3) {
                lines.add(ts + " ERROR [http-" + random.nextInt(9) + "] c.e.Api - order " + i + " failed: "
                        + "x".repeat(random.nextInt(300)));
                lines.add("java.lang.IllegalStateException: stock " + random.nextInt(100) + " gone");
                lines.add("\tat c.e.Stock.take(Stock.java:" + random.nextInt(90) + ")");
                lines.add("\tat c.e.Api.order(Api.java:12)");
            } else {
                lines.add(ts + " INFO  [http-" + random.nextInt(9) + "] c.e.Api - handled order " + i + " in "
                        + random.nextInt(80) + " ms " + "y".repeat(random.nextInt(200)));
            }
            events.add(lines);
        }
        return events;
    }

    /** Each physical line as CRI records, cut at random offsets into P chunks and a final F chunk. */
    static List<String> criChunks(List<List<String>> events, Random random) {
        List<String> out = new ArrayList<>();
        long nanos = 0;
        for (List<String> event : events) {
            String stream = event.size() > 1 ? "stderr" : "stdout";
            for (String text : event) {
                int at = 0;
                while (true) {
                    String time = Instant.ofEpochSecond(1_715_677_920L, nanos += 37_000)
                            .toString();
                    int rest = text.length() - at;
                    if (rest > 1 && random.nextInt(3) == 0) {
                        int cut = at + 1 + random.nextInt(rest - 1);
                        out.add(time + " " + stream + " P " + text.substring(at, cut));
                        at = cut;
                    } else {
                        out.add(time + " " + stream + " F " + text.substring(at));
                        break;
                    }
                }
            }
        }
        return out;
    }

    static List<LogRecord> parse(List<String> lines) throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(0);
            h.open();
            for (String l : lines) h.processElement(line("src_pod", l), ParseSourceLinesTest.T0);
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            return records(h);
        }
    }

    @RepeatedTest(5)
    void randomlyChunkedCriLinesReassembleToTheSameEvents() throws Exception {
        long seed = SEEDS.nextLong();
        Random random = new Random(seed);
        List<List<String>> events = events(random, 90);
        List<String> plain = events.stream().flatMap(List::stream).toList();
        List<LogRecord> expected = parse(plain);
        List<LogRecord> actual = parse(criChunks(events, random));

        assertThat(actual).as("seed %d", seed).hasSize(events.size()).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            LogRecord e = expected.get(i);
            LogRecord a = actual.get(i);
            assertThat(a.message).as("seed %d event %d", seed, i).isEqualTo(e.message);
            assertThat(a.level).as("seed %d event %d", seed, i).isEqualTo(e.level);
            assertThat(a.ts)
                    .as("seed %d event %d: the application's time wins", seed, i)
                    .isEqualTo(e.ts);
            assertThat(a.lineCount).isEqualTo(e.lineCount);
            assertThat(a.attributes).containsKey("stream");
        }
    }

    @Test
    void chunksOfTwoStreamsInterleavedAreJoinedPerStream() throws Exception {
        List<LogRecord> out = parse(List.of(
                "2024-05-14T09:12:18.100Z stderr P 2024-05-14 09:12:18,100 ERROR [w] c.e.Api - order 7 rej",
                "2024-05-14T09:12:18.101Z stdout F 2024-05-14 09:12:18,101 INFO  [w] c.e.Api - handled order 8",
                "2024-05-14T09:12:18.102Z stderr F ected: no stock"));
        assertThat(out).extracting(r -> r.message).containsExactly("handled order 8", "order 7 rejected: no stock");
        assertThat(out).extracting(r -> r.level).containsExactly(Level.INFO, Level.ERROR);
    }

    @Test
    void aHealthyPodIsNeverFatalAndTheStreamIsAnAttribute() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            lines.add(String.format(
                    "2024-05-14T10:00:%02d.100300412Z %s F time=2024-05-14T10:00:%02d.100Z level=INFO msg=\"request served\" status=200",
                    i % 60, i % 2 == 0 ? "stdout" : "stderr", i % 60));
        }
        List<LogRecord> out = parse(lines);
        assertThat(out).hasSize(80);
        assertThat(out).extracting(r -> r.level).containsOnly(Level.INFO);
        assertThat(out).extracting(r -> r.attributes.get("stream")).containsOnly("stdout", "stderr");
        assertThat(out).extracting(r -> r.message).containsOnly("request served");
    }

    @Test
    void dockerLinesJoinTheirTraceAndReadTheLevelInsideTheLog() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("{\"log\":\"WARNING: An illegal reflective access operation has occurred\\n\",\"stream\":\"stderr\","
                + "\"time\":\"2021-03-22T10:07:30.120000427Z\"}");
        for (int i = 0; i < 10; i++) {
            lines.add("{\"log\":\"[22-03-2021 10:07:4" + i
                    + ".126] [main] \\u001b[34mINFO \\u001b[0;39m c.e.App - charge "
                    + "accepted id=ch_" + i + "\\n\",\"stream\":\"stdout\",\"time\":\"2021-03-22T10:07:4" + i
                    + ".126000427Z\"}");
        }
        lines.add(
                "{\"log\":\"[22-03-2021 10:08:05.126] [qtp] \\u001b[31mERROR\\u001b[0;39m c.e.App - charge failed\\n\","
                        + "\"stream\":\"stdout\",\"time\":\"2021-03-22T10:08:05.126000427Z\"}");
        lines.add(
                "{\"log\":\"com.example.GatewayException: rejected\\n\",\"stream\":\"stdout\",\"time\":\"2021-03-22T10:08:05.127Z\"}");
        lines.add(
                "{\"log\":\"\\tat com.example.Gateway.charge(Gateway.java:88)\\n\",\"stream\":\"stdout\",\"time\":\"2021-03-22T10:08:05.128Z\"}");
        lines.add(
                "{\"log\":\"\\t... 4 common frames omitted\\n\",\"stream\":\"stdout\",\"time\":\"2021-03-22T10:08:05.129Z\"}");
        List<LogRecord> out = parse(lines);
        assertThat(out).hasSize(12);
        assertThat(out.get(0).level).isEqualTo(Level.WARN);
        assertThat(Instant.ofEpochMilli(out.get(0).ts)).isEqualTo(Instant.parse("2021-03-22T10:07:30.120Z"));
        assertThat(out.subList(1, 11)).extracting(r -> r.level).containsOnly(Level.INFO);
        assertThat(out.get(1).message).isEqualTo("charge accepted id=ch_0"); // no ANSI codes left
        LogRecord error = out.get(11);
        assertThat(error.level).isEqualTo(Level.ERROR);
        assertThat(error.lineCount).isEqualTo(4);
        assertThat(error.message).endsWith("\t... 4 common frames omitted");
    }

    @Test
    void aStdoutLineNeverJoinsAStderrTraceAndDatelessTimesTakeTheRuntimesDate() throws Exception {
        List<LogRecord> out = parse(List.of(
                "2024-05-14T09:12:03.100Z stderr F 2024-05-14 09:12:03,100 ERROR [w] c.e.Api - failed order 4",
                "2024-05-14T09:12:03.101Z stdout F Started ServerConnector@5f{HTTP/1.1}{0.0.0.0:8080}",
                "2024-05-14T09:12:03.102Z stderr F java.lang.IllegalStateException: boom",
                "2024-05-14T09:12:03.103Z stderr F \tat c.e.Api.order(Api.java:12)",
                "2024-05-14T09:12:04.000Z stderr F I0514 09:12:04.000000 1 main.go:42] Starting controller"));
        assertThat(out).noneMatch(r -> r.message.contains("Started ServerConnector") && r.lineCount > 1);
        assertThat(out)
                .filteredOn(r -> r.message.contains("Started ServerConnector"))
                .singleElement()
                .satisfies(r -> assertThat(r.attributes).containsEntry("stream", "stdout"));
        // klog writes no year and a month-day fused with its level letter: the date is the runtime's
        assertThat(out)
                .filteredOn(r -> r.message.contains("Starting controller"))
                .singleElement()
                .satisfies(
                        r -> assertThat(Instant.ofEpochMilli(r.ts).toString()).startsWith("2024-05-14T09:12:04"));
    }

    @Test
    void aBareDateInTheContentDoesNotOverrideTheRuntimesTime() throws Exception {
        List<LogRecord> out = parse(List.of("2024-06-14T09:47:07.590Z stdout F 2023-01-01 INFO app started healthy"));
        assertThat(out)
                .singleElement()
                .satisfies(r ->
                        assertThat(Instant.ofEpochMilli(r.ts)).isEqualTo(Instant.parse("2024-06-14T09:47:07.590Z")));
    }
}
