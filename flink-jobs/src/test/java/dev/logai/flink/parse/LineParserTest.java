package dev.logai.flink.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.ingest.LogLine;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LineParserTest {
    static final long RECEIVED = Instant.parse("2024-05-01T12:00:00Z").toEpochMilli();
    final LineParser parser = new LineParser();

    LogRecord parse(String text) {
        return parser.parse(LogLine.ofText("org_a", "src_b", RECEIVED, text));
    }

    static long ms(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void jsonWithCommonFieldNames() {
        LogRecord r = parse("{\"@timestamp\":\"2024-05-01T10:00:05.123Z\",\"log\":{\"level\":\"warning\"},"
                + "\"message\":\"disk almost full\",\"service\":{\"name\":\"storage\"},\"disk\":\"/dev/sda1\"}");
        assertThat(r.ts).isEqualTo(ms("2024-05-01T10:00:05.123Z"));
        assertThat(r.tsFromLine).isTrue();
        assertThat(r.level).isEqualTo(Level.WARN);
        assertThat(r.message).isEqualTo("disk almost full");
        assertThat(r.service).isEqualTo("storage");
        assertThat(r.attributes).containsEntry("disk", "/dev/sda1").containsEntry("log.level", "warning");
        assertThat(r.orgId).isEqualTo("org_a");
        assertThat(r.sourceId).isEqualTo("src_b");
    }

    @Test
    void jsonNumericLevelsAndEpochTimestamps() {
        LogRecord pino = parse("{\"time\":1714557605123,\"level\":50,\"msg\":\"boom\"}");
        assertThat(pino.ts).isEqualTo(1714557605123L);
        assertThat(pino.level).isEqualTo(Level.ERROR);
        LogRecord seconds = parse("{\"ts\":1714557605.5,\"level\":\"info\",\"msg\":\"x\"}");
        assertThat(seconds.ts).isEqualTo(1714557605500L);
        LogRecord syslogSeverity = parse("{\"ts\":1714557605,\"severity\":3,\"msg\":\"x\"}");
        assertThat(syslogSeverity.level).isEqualTo(Level.ERROR);
    }

    @Test
    void textWithLeadingTimestampAndLevel() {
        LogRecord iso = parse("2024-05-01T10:00:30Z ERROR payment service unavailable");
        assertThat(iso.ts).isEqualTo(ms("2024-05-01T10:00:30Z"));
        assertThat(iso.level).isEqualTo(Level.ERROR);
        assertThat(iso.message).isEqualTo("payment service unavailable");

        LogRecord comma = parse("2024-05-01 10:00:40,123 INFO retry succeeded");
        assertThat(comma.ts).isEqualTo(ms("2024-05-01T10:00:40.123Z"));
        assertThat(comma.level).isEqualTo(Level.INFO);

        LogRecord bracket = parse("[2024-05-01T10:00:40+02:00] [DEBUG] cache warmed");
        assertThat(bracket.ts).isEqualTo(ms("2024-05-01T08:00:40Z"));
        assertThat(bracket.level).isEqualTo(Level.DEBUG);
        assertThat(bracket.message).isEqualTo("cache warmed");
    }

    @Test
    void linesWithoutTimestampUseReceiveTimeAndKeepTheWholeMessage() {
        LogRecord r = parse("    at com.example.Foo.bar(Foo.java:42)");
        assertThat(r.ts).isEqualTo(RECEIVED);
        assertThat(r.tsFromLine).isFalse();
        assertThat(r.level).isEqualTo(Level.UNKNOWN);
        assertThat(r.message).isEqualTo("    at com.example.Foo.bar(Foo.java:42)");
        // a word that merely looks like a level is not one without a timestamp header
        assertThat(parse("E is for error").level).isEqualTo(Level.UNKNOWN);
    }

    @Test
    void brokenJsonIsText() {
        LogRecord r = parse("{\"msg\": unterminated");
        assertThat(r.message).isEqualTo("{\"msg\": unterminated");
        assertThat(r.attributes).isEmpty();
    }

    @Test
    void timestampsFarInTheFutureFallBackToReceiveTime() {
        LogRecord r = parse("2030-01-01T00:00:00Z INFO clock is wrong");
        assertThat(r.ts).isEqualTo(RECEIVED);
        assertThat(r.tsFromLine).isFalse();
        assertThat(r.level).isEqualTo(Level.INFO);
    }

    @Test
    void invalidUtf8IsReplacedNotFatal() {
        LogLine line = new LogLine("o", "s", RECEIVED, new byte[] {'o', 'k', (byte) 0xC3, ' ', (byte) 0xFF}, false, false);
        assertThat(parser.parse(line).message).isEqualTo("ok\uFFFD \uFFFD");
    }
}
