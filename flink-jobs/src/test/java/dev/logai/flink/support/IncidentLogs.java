package dev.logai.flink.support;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded multi-service application logs: a steady mix of templates from four services with a
 * small background of errors, then a deploy line and an incident — a new exception type in the
 * api service and an error-rate spike. Lines are in time order, one timestamp per line.
 */
public final class IncidentLogs {
    public static final String DEPLOY = "Deployment finished: checkout-api version 2.4.0 rolled out to 12 pods";
    public static final String INJECTED_EXCEPTION = "PaymentGatewayTimeoutException";

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final String[] USERS = {"alice", "bob", "carol", "dave", "erin", "frank"};

    private final Random random;
    private final List<String> lines = new ArrayList<>();

    private IncidentLogs(long seed) {
        random = new Random(seed);
    }

    /**
     * {@code cleanMinutes} of normal traffic from {@code start}, then the deploy line and
     * {@code incidentMinutes} of incident; {@code perMinute} lines a minute on average.
     */
    public static List<String> generate(
            long seed, Instant start, int cleanMinutes, int incidentMinutes, int perMinute) {
        IncidentLogs g = new IncidentLogs(seed);
        long t = start.toEpochMilli();
        for (int minute = 0; minute < cleanMinutes + incidentMinutes; minute++) {
            boolean incident = minute >= cleanMinutes;
            if (minute == cleanMinutes) {
                g.lines.add(STAMP.format(Instant.ofEpochMilli(t + minute * 60_000L)) + " INFO  [deploy] " + DEPLOY);
            }
            // Volume varies ±15% from minute to minute, as real traffic does.
            int n = (int) Math.round(perMinute * (0.85 + 0.3 * g.random.nextDouble()));
            for (int i = 0; i < n; i++) {
                long ts = t + minute * 60_000L + 1 + (long) i * 59_000 / n;
                g.lines.add(STAMP.format(Instant.ofEpochMilli(ts)) + " " + g.line(incident));
            }
        }
        return g.lines;
    }

    /** A line in the same layout, at {@code at}. */
    public static String line(Instant at, String levelAndMessage) {
        return STAMP.format(at) + " " + levelAndMessage;
    }

    private String line(boolean incident) {
        int order = 10_000 + random.nextInt(90_000);
        String user = USERS[random.nextInt(USERS.length)];
        int ms = 5 + random.nextInt(120);
        if (incident && random.nextDouble() < 0.3) {
            return "ERROR [api] " + INJECTED_EXCEPTION
                    + ": upstream payments.internal timed out after 30000 ms for order " + order + " customer " + user
                    + "@example.com";
        }
        double p = random.nextDouble();
        if (p < 0.25) return "INFO  [api] GET /api/orders/" + order + " returned 200 in " + ms + " ms";
        if (p < 0.40) return "INFO  [api] POST /api/cart/" + order + "/items returned 201 in " + ms + " ms";
        if (p < 0.52)
            return "INFO  [auth] user " + user + " logged in from 10.0." + random.nextInt(255) + "."
                    + random.nextInt(255);
        if (p < 0.60) return "DEBUG [auth] session token refreshed for user " + user;
        if (p < 0.72) return "INFO  [db] query orders_by_customer took " + ms + " ms rows=" + random.nextInt(50);
        if (p < 0.80)
            return "INFO  [db] connection pool size=" + (20 + random.nextInt(5)) + " active=" + random.nextInt(20);
        if (p < 0.92) return "INFO  [worker] processed job " + order + " of type email in " + ms + " ms";
        if (p < 0.97) return "WARN  [worker] retrying job " + order + " attempt " + (1 + random.nextInt(3));
        if (p < 0.985) return "ERROR [db] deadlock detected on table orders, transaction " + order + " rolled back";
        return "ERROR [worker] job " + order + " failed: SMTP server returned 451 temporary failure";
    }
}
