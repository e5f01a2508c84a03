package dev.logai.tools.bench;

import java.util.Random;

/** Realistic log lines per format for the benchmarks: varied services, levels, values and lengths. */
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

    private static String message(Random r) {
        return String.format(MESSAGES[r.nextInt(MESSAGES.length)], r.nextInt(100_000));
    }

    private static String iso(Random r) {
        clock += r.nextInt(50);
        return java.time.Instant.ofEpochMilli(clock).toString();
    }

    static String json(Random r) {
        return "{\"@timestamp\":\"" + iso(r) + "\",\"level\":\"" + LEVELS[r.nextInt(LEVELS.length)]
                + "\",\"service\":{\"name\":\"" + SERVICES[r.nextInt(SERVICES.length)] + "\"},\"message\":\""
                + message(r)
                + "\",\"trace_id\":\"" + Long.toHexString(r.nextLong()) + "\",\"http\":{\"method\":\"GET\",\"status\":"
                + (200 + r.nextInt(4) * 100) + ",\"path\":\"" + PATHS[r.nextInt(PATHS.length)] + "\"},\"duration_ms\":"
                + r.nextInt(2000) + "}";
    }

    static String logfmt(Random r) {
        return "time=" + iso(r) + " level=" + LEVELS[r.nextInt(LEVELS.length)] + " service="
                + SERVICES[r.nextInt(SERVICES.length)] + " msg=\"" + message(r) + "\" duration=" + r.nextInt(900)
                + "ms status="
                + (200 + r.nextInt(4) * 100);
    }

    static String syslog5424(Random r) {
        return "<" + (128 + r.nextInt(8)) + ">1 " + iso(r) + " web" + r.nextInt(20) + " "
                + SERVICES[r.nextInt(SERVICES.length)] + " " + r.nextInt(30000)
                + " - [meta@1 region=\"eu-west-1\" pod=\"p-" + r.nextInt(99) + "\"] " + message(r);
    }

    static String accessCombined(Random r) {
        clock += r.nextInt(50);
        java.time.ZonedDateTime t = java.time.Instant.ofEpochMilli(clock).atZone(java.time.ZoneOffset.UTC);
        String date = String.format(
                java.util.Locale.ROOT,
                "%02d/%s/%d:%02d:%02d:%02d +0000",
                t.getDayOfMonth(),
                t.getMonth().getDisplayName(java.time.format.TextStyle.SHORT, java.util.Locale.ENGLISH),
                t.getYear(),
                t.getHour(),
                t.getMinute(),
                t.getSecond());
        return "10.0." + r.nextInt(255) + "." + r.nextInt(255) + " - - [" + date + "] \"GET "
                + PATHS[r.nextInt(PATHS.length)]
                + "?page=" + r.nextInt(50) + " HTTP/1.1\" " + (200 + r.nextInt(4) * 100) + " " + r.nextInt(50_000)
                + " \"https://shop.example.com/\" \"Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0\" 0."
                + r.nextInt(999);
    }

    /** Log4j/Logback's default pattern: date time level [thread] logger: message. */
    static String textWithHeader(Random r) {
        return isoSpace(r) + " " + LEVELS[r.nextInt(LEVELS.length)].toUpperCase() + " [http-nio-8080-exec-"
                + r.nextInt(20) + "] com.acme." + SERVICES[r.nextInt(SERVICES.length)] + ".Handler: " + message(r);
    }

    static String syslogFile(Random r) {
        clock += r.nextInt(50);
        java.time.ZonedDateTime t = java.time.Instant.ofEpochMilli(clock).atZone(java.time.ZoneOffset.UTC);
        return String.format(
                java.util.Locale.ROOT,
                "%s %2d %02d:%02d:%02d web%d %s[%d]: %s",
                t.getMonth().getDisplayName(java.time.format.TextStyle.SHORT, java.util.Locale.ENGLISH),
                t.getDayOfMonth(),
                t.getHour(),
                t.getMinute(),
                t.getSecond(),
                r.nextInt(20),
                SERVICES[r.nextInt(SERVICES.length)],
                r.nextInt(30000),
                message(r));
    }

    private static String isoSpace(Random r) {
        return iso(r).replace('T', ' ').replace("Z", "");
    }

    /** Header lines where one event in twenty carries a Java stack trace of 8 to 20 lines. */
    static byte[][] textWithTraces(Random r, int lines) {
        byte[][] out = new byte[lines][];
        int i = 0;
        while (i < lines) {
            out[i++] = textWithHeader(r).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (r.nextInt(20) == 0 && i < lines) {
                out[i++] = ("java.lang.IllegalStateException: pool exhausted after " + r.nextInt(100) + " ms")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                int frames = 8 + r.nextInt(13);
                for (int f = 0; f < frames && i < lines; f++) {
                    out[i++] = ("\tat com.acme." + SERVICES[r.nextInt(SERVICES.length)] + ".Worker.step" + f
                                    + "(Worker.java:" + (10 + r.nextInt(400)) + ")")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        }
        return out;
    }
}
