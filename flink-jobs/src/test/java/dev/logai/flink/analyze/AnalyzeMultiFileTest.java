package dev.logai.flink.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.PipelineOptions;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./logai analyze} over several generated files of one 90-minute corpus, of different
 * lengths and formats, read in parallel: every file's events are counted exactly (a stack trace
 * joined to its line counts once), its physical lines are reported beside them, nothing is late,
 * and a second run reports the same numbers. (Before per-source clocks, files read at different
 * speeds made each other's lines late: one JSON file counted 5,546 of its 32,694 lines.)
 */
class AnalyzeMultiFileTest {
    static final Instant START = Instant.parse("2024-06-03T08:00:00Z");
    static final long SPAN_MS = 90 * 60_000L;
    static final DateTimeFormatter JAVA_TS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS").withZone(ZoneOffset.UTC);
    static final DateTimeFormatter ACCESS_TS = DateTimeFormatter.ofPattern(
                    "dd/MMM/yyyy:HH:mm:ss Z", java.util.Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** A generated file: its path, the events it holds and its physical lines. */
    record Corpus(Path file, long events, long physicalLines) {}

    @Test
    void everyFileCountsItsEventsExactlyRunAfterRun(@TempDir Path dir) throws Exception {
        Random random = new Random(42);
        List<Corpus> corpora = List.of(
                javaLog(dir.resolve("worker.log"), 9_000, random),
                ndjson(dir.resolve("api.ndjson"), 24_000, random),
                accessLog(dir.resolve("nginx.log.gz"), 15_000, random),
                javaLog(dir.resolve("billing.log"), 1_200, random));
        List<Path> files = corpora.stream().map(Corpus::file).toList();
        Map<String, Long[]> expected = new LinkedHashMap<>();
        corpora.forEach(
                c -> expected.put(c.file().getFileName().toString(), new Long[] {c.events(), c.physicalLines()}));

        List<Map<String, String>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            AnalysisReport report = AnalyzeCommand.analyze(files, PipelineOptions.fromEnvironment(Map.of()));
            Map<String, String> counts = new LinkedHashMap<>();
            for (AnalysisReport.SourceReport s : report.sources()) {
                counts.put(s.source(), s.events() + " events, " + s.lines() + " lines, " + s.lateEvents() + " late");
            }
            Map<String, String> want = new LinkedHashMap<>();
            expected.forEach((name, c) -> want.put(name, c[0] + " events, " + c[1] + " lines, 0 late"));
            assertThat(counts).as("run " + (run + 1)).isEqualTo(want);
            runs.add(counts);
        }
        assertThat(runs.get(1)).isEqualTo(runs.get(0));
    }

    /** A Java service log; every 40th event an ERROR with a 4-line stack trace (5 physical lines). */
    static Corpus javaLog(Path file, int events, Random random) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            Instant at = START.plusMillis(i * SPAN_MS / events);
            if (i % 40 == 7) {
                lines.add(JAVA_TS.format(at) + " ERROR [pool-1-thread-" + random.nextInt(8) + "] c.l.Orders: order " + i
                        + " failed");
                lines.add("java.lang.IllegalStateException: inventory " + random.nextInt(1000) + " unavailable");
                lines.add("\tat c.l.Inventory.reserve(Inventory.java:" + (40 + random.nextInt(20)) + ")");
                lines.add("\tat c.l.Orders.place(Orders.java:88)");
                lines.add("\tat java.base/java.lang.Thread.run(Thread.java:840)");
            } else {
                lines.add(JAVA_TS.format(at) + " INFO  [pool-1-thread-" + random.nextInt(8) + "] c.l.Orders: order " + i
                        + " placed in " + random.nextInt(200) + " ms");
            }
        }
        Files.writeString(file, String.join("\n", lines) + "\n");
        return new Corpus(file, events, lines.size());
    }

    /** One JSON object per line (no joining), a few with a multi-line message escaped inside. */
    static Corpus ndjson(Path file, int events, Random random) throws Exception {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < events; i++) {
            long ts = START.plusMillis(i * SPAN_MS / events).toEpochMilli();
            String level = i % 50 == 0 ? "error" : "info";
            String msg =
                    i % 50 == 0 ? "upstream timeout\\n\\tat client.call" : "GET /api/items/" + random.nextInt(5000);
            out.append("{\"ts\":")
                    .append(ts / 1000.0)
                    .append(",\"level\":\"")
                    .append(level)
                    .append("\",\"msg\":\"")
                    .append(msg)
                    .append("\",\"duration_ms\":")
                    .append(random.nextInt(300))
                    .append("}\n");
        }
        Files.writeString(file, out.toString());
        return new Corpus(file, events, events);
    }

    /** An nginx access log (combined format), gzip-compressed. */
    static Corpus accessLog(Path file, int events, Random random) throws Exception {
        try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(file))) {
            for (int i = 0; i < events; i++) {
                Instant at = START.plusMillis(i * SPAN_MS / events);
                int status = i % 97 == 0 ? 502 : 200;
                String line = "10.0." + random.nextInt(255) + "." + random.nextInt(255) + " - - ["
                        + ACCESS_TS.format(at)
                        + "] \"GET /shop/" + random.nextInt(400) + " HTTP/1.1\" " + status + " " + random.nextInt(9000)
                        + " \"-\" \"Mozilla/5.0\"\n";
                os.write(line.getBytes(StandardCharsets.UTF_8));
            }
        }
        return new Corpus(file, events, events);
    }
}
