package dev.logai.flink.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.ingest.LogLine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * One source, several writers: JSON, logfmt, an access log and Java text lines interleaved (a pod
 * running two processes, a sidecar beside the app, {@code docker compose logs}). Each line keeps
 * its own time, level and message, whichever format it is in.
 */
class InterleavedFormatsTest {
    private static final long RECEIVED = Instant.parse("2024-06-14T12:00:00Z").toEpochMilli();

    /** A line of writer {@code kind} at {@code at} with {@code level}, and the message it carries. */
    record Written(String line, Instant at, Level level, String message) {}

    static Written write(int kind, Instant at, Random r) {
        boolean error = r.nextInt(5) == 0;
        int n = r.nextInt(1000);
        return switch (kind) {
            case 0 ->
                new Written(
                        "{\"ts\":\"" + at + "\",\"level\":\"" + (error ? "error" : "info") + "\",\"msg\":\"payment " + n
                                + (error ? " declined" : " captured") + "\"}",
                        at,
                        error ? Level.ERROR : Level.INFO,
                        "payment " + n + (error ? " declined" : " captured"));
            case 1 ->
                new Written(
                        "ts=" + at + " level=" + (error ? "warn" : "debug") + " msg=\"cache sweep " + n + "\" entries="
                                + n,
                        at,
                        error ? Level.WARN : Level.DEBUG,
                        "cache sweep " + n);
            case 2 ->
                new Written(
                        "10.0.0." + (n % 250) + " - - ["
                                + java.time.format.DateTimeFormatter.ofPattern(
                                                "dd/MMM/yyyy:HH:mm:ss Z", java.util.Locale.ROOT)
                                        .withZone(java.time.ZoneOffset.UTC)
                                        .format(at)
                                + "] \"GET /items/" + n + " HTTP/1.1\" " + (error ? 503 : 200) + " 512",
                        at,
                        error ? Level.ERROR : Level.INFO,
                        "GET /items/" + n + " HTTP/1.1 " + (error ? 503 : 200));
            default ->
                new Written(
                        at.toString().replace('T', ' ').replace("Z", "") + " " + (error ? "ERROR" : "INFO")
                                + " [main] c.e.Job - batch " + n + " done",
                        at,
                        error ? Level.ERROR : Level.INFO,
                        "batch " + n + " done");
        };
    }

    @Test
    void everyWriterKeepsItsOwnTimeLevelAndMessage() {
        Random r = new Random(7);
        List<Written> written = new ArrayList<>();
        Instant at = Instant.parse("2024-06-14T09:00:00Z");
        for (int i = 0; i < 4_000; i++) {
            at = at.plusMillis(r.nextInt(2_000));
            written.add(write(r.nextInt(4), at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS), r));
        }
        List<String> sample = written.subList(0, SourceParser.LEARN_LINES).stream()
                .map(Written::line)
                .toList();
        SourceParser parser = new SourceParser(new RecordParser(), null);
        parser.learn(sample, RECEIVED);
        assertThat(parser.format().alternates).as(parser.format().describe()).hasSize(3);

        int misfits = 0;
        for (Written w : written) {
            LogRecord record = parser.parse(LogLine.ofText("org", "src", RECEIVED, w.line()));
            assertThat(Instant.ofEpochMilli(record.ts)).as(w.line()).isEqualTo(w.at());
            assertThat(record.level).as(w.line()).isEqualTo(w.level());
            assertThat(record.message).as(w.line()).isEqualTo(w.message());
            if (record.hasFlag(LogRecord.FLAG_FORMAT_MISMATCH)) misfits++;
        }
        assertThat(misfits).isZero();
    }

    @Test
    void aWriterThatJoinsLaterGetsItsFormatLearned() {
        Random r = new Random(11);
        SourceParser parser = new SourceParser(new RecordParser(), null);
        Instant at = Instant.parse("2024-06-14T09:00:00Z");
        List<String> sample = new ArrayList<>();
        for (int i = 0; i < SourceParser.LEARN_LINES; i++)
            sample.add(write(0, at.plusSeconds(i), r).line());
        parser.learn(sample, RECEIVED);
        assertThat(parser.format().kind).isEqualTo(SourceFormat.Kind.JSON);
        assertThat(parser.format().alternates).isEmpty();

        // a logfmt sidecar starts: a third of the lines from now on
        List<LogRecord> late = new ArrayList<>();
        for (int i = 0; i < 6 * SourceParser.CHECK_WINDOW; i++) {
            Written w = write(i % 3 == 0 ? 1 : 0, at.plusSeconds(100 + i), r);
            LogRecord record = parser.parse(LogLine.ofText("org", "src", RECEIVED, w.line()));
            if (i >= 3 * SourceParser.CHECK_WINDOW) {
                late.add(record);
                assertThat(Instant.ofEpochMilli(record.ts)).as(w.line()).isEqualTo(w.at());
                assertThat(record.level).as(w.line()).isEqualTo(w.level());
            }
        }
        assertThat(parser.format().kind).as("the main writer stays primary").isEqualTo(SourceFormat.Kind.JSON);
        assertThat(parser.format().alternates).containsExactly(SourceFormat.LOGFMT);
        assertThat(late).noneMatch(rec -> rec.hasFlag(LogRecord.FLAG_FORMAT_MISMATCH));
    }
}
