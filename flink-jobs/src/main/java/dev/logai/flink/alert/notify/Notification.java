package dev.logai.flink.alert.notify;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * One alert transition to tell people about, in every channel's terms: what fired (title,
 * severity, status), why (the summary's bullets), the evidence (top lines, already scrubbed), where
 * to look (the dashboard link) and which data it is about (the window, in event time: with a
 * backfill it can be hours or days before the message). {@code eventId} is stable for the
 * transition, so a receiver can drop a redelivery.
 *
 * @param status firing, escalated, resolved or triggered
 * @param windowStart start of the data's event-time window (a pattern rule: the line's event time)
 * @param windowEnd end of that window, exclusive (a pattern rule: the line's event time again)
 */
public record Notification(
        String eventId,
        String orgId,
        String ruleId,
        String ruleName,
        String sourceId,
        String status,
        String severity,
        String title,
        List<String> bullets,
        List<String> topLines,
        String dashboardUrl,
        Instant windowStart,
        Instant windowEnd,
        int count) {

    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MINUTE =
            DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECOND =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    /** When the alert's data ends: the window's end (the webhook's {@code at}, kept for receivers). */
    public Instant at() {
        return windowEnd;
    }

    /**
     * The data's time, for people, always in UTC and always with the date (a backfill's alert may
     * be days old, and a message cannot know which day its reader calls today): {@code "data
     * 2026-11-25 10:00–10:05 UTC"}; across midnight {@code "data 2026-11-24 23:58 – 2026-11-25
     * 00:03 UTC"}; a line (start equals end) {@code "line at 2026-11-25 10:03:27 UTC"}. Seconds
     * are shown when a bound is not on a whole minute.
     */
    public String dataWindow() {
        if (windowStart.equals(windowEnd)) {
            return "line at " + DAY.format(windowEnd) + " " + SECOND.format(windowEnd) + " UTC";
        }
        boolean whole = windowStart.getEpochSecond() % 60 == 0
                && windowEnd.getEpochSecond() % 60 == 0
                && windowStart.getNano() == 0
                && windowEnd.getNano() == 0;
        DateTimeFormatter time = whole ? MINUTE : SECOND;
        String startDay = DAY.format(windowStart);
        String endDay = DAY.format(windowEnd);
        if (startDay.equals(endDay)) {
            return "data " + startDay + " " + time.format(windowStart) + "\u2013" + time.format(windowEnd) + " UTC";
        }
        return "data " + startDay + " " + time.format(windowStart) + " \u2013 " + endDay + " " + time.format(windowEnd)
                + " UTC";
    }
}
