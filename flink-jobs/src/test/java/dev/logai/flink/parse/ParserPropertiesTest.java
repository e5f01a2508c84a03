package dev.logai.flink.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.logai.flink.ingest.LogLine;
import dev.logai.flink.parse.text.HeaderLearner;
import dev.logai.flink.parse.text.TimestampLayouts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property tests over generated input, for every parser: no exception escapes, a record always
 * comes out with a message and a time, and parsing is deterministic. Inputs mix log-like tokens
 * (timestamps, brackets, quotes, key=value, PRI, JSON fragments) with raw random bytes; the seeds
 * are fixed so a failure names the exact input to reproduce it.
 */
class ParserPropertiesTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final int TRIES = 3000;
    private static final String[] TOKENS = {
        "2024-01-02T03:04:05Z",
        "Jun 14 15:16:01",
        "081109 203615",
        "[notice]",
        "INFO",
        "-",
        "{",
        "}",
        "\"",
        "=",
        "key=value",
        "msg=\"a b\"",
        "<34>",
        "<165>1",
        "[x k=\"v\"]",
        ":",
        "|",
        "[",
        "]",
        "  ",
        "\t",
        "sshd[12]:",
        "{\"level\":30,\"msg\":\"x\",\"time\":1700000000000}",
        "\\",
        "1700000000",
        "\"GET / HTTP/1.0\"",
        "127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 2326",
        "{\"a\":[1,{\"b\":",
        "9999999999999",
        "Feb 30 25:61:61",
        "2024-13-45 99:99:99",
        "\uFFFD",
        "é",
        "日本",
        "\u0000",
        "%{WORD:x}"
    };
    private static final List<SourceFormat> FORMATS = List.of(
            SourceFormat.JSON,
            SourceFormat.LOGFMT,
            SourceFormat.SYSLOG,
            SourceFormat.ACCESS,
            SourceFormat.decode("text:T0 L G"),
            SourceFormat.decode("text:B B"),
            SourceFormat.decode("text:- T31 T28 W T5 W W W L"),
            SourceFormat.decode("text:T7 W N"),
            SourceFormat.pattern(
                    UserPattern.compile("%{TIMESTAMP_ISO8601:timestamp} %{LOGLEVEL:level} %{GREEDYDATA:message}")));

    @Test
    void anyInputInAnyFormatGivesTheSameRecordTwiceAndNeverThrows() {
        Random random = new Random(20261124L);
        for (int i = 0; i < TRIES; i++) {
            byte[] raw = generate(random);
            for (SourceFormat format : FORMATS) {
                LogRecord first = parse(format, raw);
                LogRecord second = parse(format, raw);
                String input = "input #" + i + " " + java.util.Arrays.toString(raw) + " as " + format;
                assertThat(first.message).as(input).isNotNull();
                assertThat(first.ts).as(input).isPositive();
                assertThat(describe(second)).as(input).isEqualTo(describe(first));
            }
        }
    }

    @Test
    void detectionAndLearningAreDeterministicAndTotal() {
        Random random = new Random(7L);
        for (int i = 0; i < TRIES / 10; i++) {
            List<String> sample = new ArrayList<>();
            int lines = random.nextInt(30);
            for (int l = 0; l < lines; l++) sample.add(new String(generate(random), StandardCharsets.UTF_8));
            SourceFormat a = SourceParser.detect(sample, NOW);
            assertThat(SourceParser.detect(sample, NOW)).as("sample #" + i).isEqualTo(a);
            assertThat(SourceFormat.decode(a.encode())).as("sample #" + i).isEqualTo(a);
            assertThat(HeaderLearner.learn(sample, NOW)).isEqualTo(HeaderLearner.learn(sample, NOW));
        }
    }

    @Test
    void timestampMatchingNeverThrowsAndNeverReadsPastTheText() {
        Random random = new Random(99L);
        TimestampLayouts.Match match = new TimestampLayouts.Match();
        for (int i = 0; i < TRIES; i++) {
            String s = new String(generate(random), StandardCharsets.UTF_8);
            for (int from = 0; from < Math.min(s.length(), 8); from++) {
                int start = from;
                assertThatCode(() -> {
                            if (TimestampLayouts.matchAny(s, start, NOW, match)) {
                                assertThat(match.end).isBetween(start + 1, s.length());
                            }
                        })
                        .doesNotThrowAnyException();
            }
        }
    }

    static byte[] generate(Random random) {
        if (random.nextInt(4) == 0) {
            byte[] bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            return bytes;
        }
        StringBuilder sb = new StringBuilder();
        int tokens = random.nextInt(12);
        for (int t = 0; t < tokens; t++) {
            if (t > 0 && random.nextBoolean()) sb.append(' ');
            if (random.nextInt(5) == 0) {
                for (int c = random.nextInt(8); c > 0; c--) sb.append((char) (32 + random.nextInt(95)));
            } else {
                sb.append(TOKENS[random.nextInt(TOKENS.length)]);
            }
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static LogRecord parse(SourceFormat format, byte[] raw) {
        return new SourceParser(new RecordParser(), format)
                .parse(new LogLine("org_p", "src_p", NOW, raw, false, false));
    }

    private static String describe(LogRecord r) {
        return r.ts + "|" + r.tsFromLine + "|" + r.tsText + "|" + r.level + "|" + r.service + "|" + r.message + "|"
                + r.attributes + "|" + r.flags + "|" + r.format;
    }
}
