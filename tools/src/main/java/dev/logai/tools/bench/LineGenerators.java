package dev.logai.tools.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Realistic log lines per format for the benchmarks: varied services, levels, values and lengths.
 *
 * <p>Each format has two forms: {@code format(random)} draws the level and message and takes the
 * next instant of one shared clock (the parser benchmarks need nothing more); {@code format(random,
 * epochMillis, level, message)} writes the given instant, level and message, so a caller can keep
 * each source on its own clock and stage an incident ({@link PipelineRecords}).
 */
final class LineGenerators {
    private static final String[] SERVICES = {"checkout", "payments", "auth", "search", "inventory"};
    private static final String[] LEVELS = {"info", "info", "info", "info", "debug", "warn", "error"};
    private static final String[] PATHS = {
        "/api/v1/orders", "/api/v1/cart/items", "/healthz", "/static/app.js", "/login"
    };
    private static final String[] MESSAGES = {
        "request completed", "cache miss for key user:%d", "retrying upstream call attempt %d",
        "connection pool exhausted, waiting %d ms", "user %d logged in", "scheduled job finished in %d ms",
    };
    private static long clock = 1_718_359_200_000L;

    private LineGenerators() {}

    /** One of the everyday messages, with a varying number in it. */
    static String message(Random r) {
        return String.format(MESSAGES[r.nextInt(MESSAGES.length)], r.nextInt(100_000));
    }

    /** One of the request paths the access and JSON lines use. */
    static String path(Random r) {
        return PATHS[r.nextInt(PATHS.length)];
    }

    private static String level(Random r) {
        return LEVELS[r.nextInt(LEVELS.length)];
    }

    /** The shared clock, a few milliseconds further on. */
    private static long tick(Random r) {
        clock += r.nextInt(50);
        return clock;
    }

    static String json(Random r) {
        return json(r, tick(r), level(r), message(r));
    }

    static String json(Random r, long at, String level, String message) {
        return "{\"@timestamp\":\"" + Instant.ofEpochMilli(at) + "\",\"level\":\"" + level
                + "\",\"service\":{\"name\":\"" + SERVICES[r.nextInt(SERVICES.length)] + "\"},\"message\":\""
                + message
                + "\",\"trace_id\":\"" + Long.toHexString(r.nextLong()) + "\",\"http\":{\"method\":\"GET\",\"status\":"
                + status(r, level) + ",\"path\":\"" + PATHS[r.nextInt(PATHS.length)] + "\"},\"duration_ms\":"
                + r.nextInt(2000) + "}";
    }

    static String logfmt(Random r) {
        return logfmt(r, tick(r), level(r), message(r));
    }

    static String logfmt(Random r, long at, String level, String message) {
        return "time=" + Instant.ofEpochMilli(at) + " level=" + level + " service="
                + SERVICES[r.nextInt(SERVICES.length)] + " msg=\"" + message + "\" duration=" + r.nextInt(900)
                + "ms status="
                + status(r, level);
    }

    static String syslog5424(Random r) {
        return syslog5424(r, tick(r), level(r), message(r));
    }

    /** RFC 5424 with facility local0: the level is the severity in the priority. */
    static String syslog5424(Random r, long at, String level, String message) {
        int severity = switch (level) {
            case "error" -> 3;
            case "warn" -> 4;
            case "debug" -> 7;
            default -> 6;
        };
        return "<" + (128 + severity) + ">1 " + Instant.ofEpochMilli(at) + " web" + r.nextInt(20) + " "
                + SERVICES[r.nextInt(SERVICES.length)] + " " + r.nextInt(30000)
                + " - [meta@1 region=\"eu-west-1\" pod=\"p-" + r.nextInt(99) + "\"] " + message;
    }

    static String accessCombined(Random r) {
        return accessCombined(r, tick(r), level(r), path(r));
    }

    /** Nginx combined with the request time; an access log has no level: an error is a 5xx status. */
    static String accessCombined(Random r, long at, String level, String path) {
        ZonedDateTime t = Instant.ofEpochMilli(at).atZone(ZoneOffset.UTC);
        String date = String.format(
                Locale.ROOT,
                "%02d/%s/%d:%02d:%02d:%02d +0000",
                t.getDayOfMonth(),
                t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH),
                t.getYear(),
                t.getHour(),
                t.getMinute(),
                t.getSecond());
        return "10.0." + r.nextInt(255) + "." + r.nextInt(255) + " - - [" + date + "] \"GET " + path
                + "?page=" + r.nextInt(50) + " HTTP/1.1\" " + status(r, level) + " " + r.nextInt(50_000)
                + " \"https://shop.example.com/\" \"Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0\" 0."
                + r.nextInt(999);
    }

    /** Log4j/Logback's default pattern: date time level [thread] logger: message. */
    /**
     * A Kubernetes node's CRI line around a text line with a header ({@code <RFC3339Nano> stdout F
     * <app line>}); the runtime's time a few µs after the application's.
     */
    static String criText(Random r) {
        long at = tick(r);
        return Instant.ofEpochMilli(at).plusNanos(121_000 + r.nextInt(1_000))
                + (r.nextInt(4) == 0 ? " stderr" : " stdout") + " F " + textWithHeader(r, at, level(r), message(r));
    }

    /** Docker's json-file line around a text line with a header, JSON-escaped, with its newline. */
    static String dockerText(Random r) {
        long at = tick(r);
        String log = textWithHeader(r, at, level(r), message(r))
                .replace("\\", "\\\\")
                .replace("\"", "\\\"");
        return "{\"log\":\"" + log + "\\n\",\"stream\":\"" + (r.nextInt(4) == 0 ? "stderr" : "stdout")
                + "\",\"time\":\"" + Instant.ofEpochMilli(at).plusNanos(121_000) + "\"}";
    }

    static String textWithHeader(Random r) {
        return textWithHeader(r, tick(r), level(r), message(r));
    }

    static String textWithHeader(Random r, long at, String level, String message) {
        return Instant.ofEpochMilli(at).toString().replace('T', ' ').replace("Z", "") + " "
                + level.toUpperCase(Locale.ROOT) + " [http-nio-8080-exec-" + r.nextInt(20) + "] com.acme."
                + SERVICES[r.nextInt(SERVICES.length)] + ".Handler: " + message;
    }

    static String syslogFile(Random r) {
        return syslogFile(r, tick(r), message(r));
    }

    /** A syslog file line (no year, no level). */
    static String syslogFile(Random r, long at, String message) {
        ZonedDateTime t = Instant.ofEpochMilli(at).atZone(ZoneOffset.UTC);
        return String.format(
                Locale.ROOT,
                "%s %2d %02d:%02d:%02d web%d %s[%d]: %s",
                t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH),
                t.getDayOfMonth(),
                t.getHour(),
                t.getMinute(),
                t.getSecond(),
                r.nextInt(20),
                SERVICES[r.nextInt(SERVICES.length)],
                r.nextInt(30000),
                message);
    }

    /** Header lines where one event in twenty carries a Java stack trace of 8 to 20 lines. */
    static byte[][] textWithTraces(Random r, int lines) {
        byte[][] out = new byte[lines][];
        int i = 0;
        while (i < lines) {
            out[i++] = textWithHeader(r).getBytes(StandardCharsets.UTF_8);
            if (r.nextInt(20) == 0 && i < lines) {
                for (String traceLine : stackTrace(r)) {
                    if (i == lines) {
                        break;
                    }
                    out[i++] = traceLine.getBytes(StandardCharsets.UTF_8);
                }
            }
        }
        return out;
    }

    /** The continuation lines of a Java exception: its message, then 8 to 20 frames. */
    static List<String> stackTrace(Random r) {
        int frames = 8 + r.nextInt(13);
        List<String> out = new ArrayList<>(frames + 1);
        out.add("java.lang.IllegalStateException: pool exhausted after " + r.nextInt(100) + " ms");
        for (int f = 0; f < frames; f++) {
            out.add("\tat com.acme." + SERVICES[r.nextInt(SERVICES.length)] + ".Worker.step" + f + "(Worker.java:"
                    + (10 + r.nextInt(400)) + ")");
        }
        return out;
    }

    /** An HTTP status that fits the level: 5xx for errors, 4xx for warnings, else 200 or 304. */
    private static int status(Random r, String level) {
        return switch (level) {
            case "error" -> r.nextBoolean() ? 500 : 503;
            case "warn" -> r.nextBoolean() ? 404 : 429;
            default -> r.nextInt(5) == 0 ? 304 : 200;
        };
    }
}
