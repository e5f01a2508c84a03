package dev.logai.flink.parse.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.ingest.LogLine;
import dev.logai.flink.parse.Level;
import dev.logai.flink.parse.LogRecord;
import dev.logai.flink.parse.RecordParser;
import dev.logai.flink.parse.SourceFormat;
import dev.logai.flink.parse.SourceParser;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each structured format: detected from a sample of its lines, and its fields normalised. */
class StructuredFormatsTest {
    private static final long NOW = Instant.parse("2024-06-15T12:00:00Z").toEpochMilli();

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '¦',
            quoteCharacter = '`',
            value = {
                // layout ¦ line ¦ ts ¦ level ¦ service ¦ message
                "ECS ¦ {\"@timestamp\":\"2024-06-14T10:00:00.123Z\",\"log\":{\"level\":\"warn\"},\"service\":{\"name\":\"cart\"},\"message\":\"slow query\"} ¦ 2024-06-14T10:00:00.123Z ¦ WARN ¦ cart ¦ slow query",
                "pino ¦ {\"level\":50,\"time\":1718359200000,\"pid\":7,\"hostname\":\"h\",\"name\":\"api\",\"msg\":\"boom\"} ¦ 2024-06-14T10:00:00Z ¦ ERROR ¦ api ¦ boom",
                "bunyan ¦ {\"name\":\"api\",\"hostname\":\"h\",\"pid\":1,\"level\":30,\"msg\":\"hi\",\"time\":\"2024-06-14T10:00:00.000Z\",\"v\":0} ¦ 2024-06-14T10:00:00Z ¦ INFO ¦ api ¦ hi",
                "zap ¦ {\"level\":\"error\",\"ts\":1718359200.25,\"logger\":\"db\",\"caller\":\"db/conn.go:42\",\"msg\":\"lost connection\"} ¦ 2024-06-14T10:00:00.250Z ¦ ERROR ¦ db ¦ lost connection",
                "structlog ¦ {\"event\":\"user logged in\",\"level\":\"info\",\"timestamp\":\"2024-06-14T10:00:00Z\",\"logger\":\"auth\"} ¦ 2024-06-14T10:00:00Z ¦ INFO ¦ auth ¦ user logged in",
                "Serilog CLEF ¦ {\"@t\":\"2024-06-14T10:00:00.0000000Z\",\"@mt\":\"Order {Id} failed\",\"@l\":\"Error\",\"Id\":42} ¦ 2024-06-14T10:00:00Z ¦ ERROR ¦  ¦ Order {Id} failed",
                "Log4j2 JSON ¦ {\"instant\":{\"epochSecond\":1718359200,\"nanoOfSecond\":5000000},\"thread\":\"main\",\"level\":\"WARN\",\"loggerName\":\"com.acme.App\",\"message\":\"low disk\"} ¦ 2024-06-14T10:00:00.005Z ¦ WARN ¦ com.acme.App ¦ low disk",
                "Logback JSON ¦ {\"timestamp\":\"2024-06-14 10:00:00.000\",\"level\":\"DEBUG\",\"logger_name\":\"c.a.Svc\",\"thread_name\":\"main\",\"message\":\"tick\"} ¦ 2024-06-14T10:00:00Z ¦ DEBUG ¦ c.a.Svc ¦ tick",
                "GCP ¦ {\"severity\":\"CRITICAL\",\"timestamp\":\"2024-06-14T10:00:00Z\",\"message\":\"db down\",\"logging.googleapis.com/trace\":\"t\"} ¦ 2024-06-14T10:00:00Z ¦ FATAL ¦  ¦ db down",
                "AWS Lambda ¦ {\"timestamp\":\"2024-06-14T10:00:00.000Z\",\"level\":\"INFO\",\"requestId\":\"r-1\",\"message\":\"handled\"} ¦ 2024-06-14T10:00:00Z ¦ INFO ¦  ¦ handled",
                "logfmt ¦ time=2024-06-14T10:00:00Z level=warn msg=\"retrying request\" service=billing attempt=2 ¦ 2024-06-14T10:00:00Z ¦ WARN ¦ billing ¦ retrying request",
                "RFC 5424 ¦ <165>1 2024-06-14T10:00:00.003Z web01 nginx 1234 ID47 [meta@1 region=\"eu\" zone=\"b\"] upstream timed out ¦ 2024-06-14T10:00:00.003Z ¦ INFO ¦ nginx ¦ upstream timed out",
                "RFC 3164 ¦ <34>Jun 14 10:00:00 web01 su[77]: 'su root' failed for lonvick ¦ 2024-06-14T10:00:00Z ¦ FATAL ¦ su ¦ 'su root' failed for lonvick",
                "Apache common ¦ 127.0.0.1 - frank [14/Jun/2024:10:00:00 +0000] \"GET /index.html HTTP/1.1\" 200 2326 ¦ 2024-06-14T10:00:00Z ¦ INFO ¦  ¦ GET /index.html HTTP/1.1 200",
                "Nginx combined ¦ 10.0.0.2 - - [14/Jun/2024:12:00:00 +0200] \"POST /api/pay HTTP/2.0\" 503 12 \"https://shop/\" \"Mozilla/5.0 (X11)\" 0.250 ¦ 2024-06-14T10:00:00Z ¦ ERROR ¦  ¦ POST /api/pay HTTP/2.0 503",
            })
    void eachFormatIsDetectedAndNormalised(
            String layout, String line, String ts, Level level, String service, String message) {
        SourceFormat format = SourceParser.detect(Collections.nCopies(5, line), NOW);
        assertThat(format.kind).as(layout).isNotEqualTo(SourceFormat.Kind.TEXT);
        LogRecord record = parse(format, line);
        assertThat(record.lineFitsFormat).as(layout).isTrue();
        assertThat(Instant.ofEpochMilli(record.ts)).as(layout).isEqualTo(Instant.parse(ts));
        assertThat(record.tsFromLine).isTrue();
        assertThat(record.level).as(layout).isEqualTo(level);
        assertThat(record.service).as(layout).isEqualTo(service);
        assertThat(record.message).as(layout).isEqualTo(message);
    }

    @Test
    void attributesCarryTheStructuredFields() {
        LogRecord json = parse(
                SourceFormat.JSON, "{\"msg\":\"x\",\"http\":{\"status\":500,\"path\":\"/a\"},\"tags\":[\"a\",\"b\"]}");
        assertThat(json.attributes)
                .containsEntry("http.status", "500")
                .containsEntry("http.path", "/a")
                .containsEntry("tags", "[\"a\",\"b\"]");
        LogRecord syslog =
                parse(SourceFormat.SYSLOG, "<165>1 2024-06-14T10:00:00Z host app - - [a@1 k=\"v \\\"q\\\"\"] m");
        assertThat(syslog.attributes).containsEntry("a@1.k", "v \"q\"").containsEntry("host", "host");
        LogRecord access = parse(
                SourceFormat.ACCESS,
                "10.0.0.2 - - [14/Jun/2024:12:00:00 +0200] \"POST /api/pay HTTP/2.0\" 503 12 \"-\" \"curl/8\" 0.250");
        assertThat(access.attributes)
                .containsEntry("status", "503")
                .containsEntry("path", "/api/pay")
                .containsEntry("duration_ms", "250")
                .containsEntry("user_agent", "curl/8");
        LogRecord logfmt = parse(SourceFormat.LOGFMT, "level=info msg=\"a \\\"quoted\\\" word\" dur=5ms ok");
        assertThat(logfmt.message).isEqualTo("a \"quoted\" word");
        assertThat(logfmt.attributes).containsEntry("dur", "5ms").containsEntry("ok", "true");
    }

    @Test
    void timestampsFarInTheFutureFallBackToTheReceiveTimeAndAreFlagged() {
        LogRecord future = parse(SourceFormat.JSON, "{\"time\":\"2030-01-01T00:00:00Z\",\"msg\":\"clock skew\"}");
        assertThat(future.ts).isEqualTo(NOW);
        assertThat(future.tsFromLine).isFalse();
        assertThat(future.hasFlag(LogRecord.FLAG_FUTURE_TIMESTAMP)).isTrue();
        assertThat(future.hasFlag(LogRecord.FLAG_NO_TIMESTAMP)).isTrue();
        LogRecord slightlyAhead = parse(SourceFormat.JSON, "{\"time\":\"2024-06-15T12:04:00Z\",\"msg\":\"ok\"}");
        assertThat(slightlyAhead.tsFromLine).isTrue();
        assertThat(slightlyAhead.flags).isZero();
    }

    @Test
    void jsonLinesInATextSourceAreStillReadAsJson() {
        LogRecord r = parse(SourceFormat.decode("text:T0 L G"), "{\"level\":\"error\",\"msg\":\"from json\"}");
        assertThat(r.message).isEqualTo("from json");
        assertThat(r.level).isEqualTo(Level.ERROR);
        assertThat(r.lineFitsFormat).isFalse();
    }

    @Test
    void mostlyPlainTextIsNotMistakenForAStructuredFormat() {
        List<String> sample = List.of("starting server", "a=b but mostly prose here", "listening on port 80", "ready");
        assertThat(SourceParser.detect(sample, NOW).kind).isEqualTo(SourceFormat.Kind.TEXT);
    }

    static LogRecord parse(SourceFormat format, String line) {
        return new SourceParser(new RecordParser(), format).parse(LogLine.ofText("org", "src", NOW, line));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "json,json",
        "NDJSON,json",
        "nginx,access",
        "%{COMBINEDAPACHELOG},access",
        "%{SYSLOGLINE},syslog",
        "rfc5424,syslog",
        "logfmt,logfmt"
    })
    void parserHintsNameTheirFormat(String hint, String encoded) {
        assertThat(SourceFormat.fromHint(hint).encode()).isEqualTo(encoded);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"auto", "text", "cri", "Docker", "kubernetes"})
    void hintsThatAskForDetectionNameNoFormat(String hint) {
        assertThat(SourceFormat.fromHint(hint)).isNull();
    }
}
