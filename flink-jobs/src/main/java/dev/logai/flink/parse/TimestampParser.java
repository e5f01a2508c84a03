package dev.logai.flink.parse;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Timestamps in the forms services write at the start of a line or in a JSON field: ISO-8601 /
 * RFC 3339 with 'T' or space, optional fraction (. or ,) and zone (UTC assumed when absent), and
 * epoch numbers in s, ms, µs or ns. The parsing issue generalises the text side.
 */
public final class TimestampParser {
    /** A leading ISO-like timestamp, optionally in brackets. */
    static final Pattern LEADING_ISO = Pattern.compile(
            "^\\[?(\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d{1,9})?(?:Z|[+-]\\d{2}:?\\d{2})?)\\]?");

    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .appendLiteral('T')
            .appendPattern("HH:mm:ss")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
            .optionalEnd()
            .toFormatter();

    private TimestampParser() {}

    /** Epoch ms of an ISO-like text, or {@code Long.MIN_VALUE} when it is not one. */
    public static long parseIso(String text) {
        String s = text.trim().replace(' ', 'T').replace(',', '.');
        try {
            if (s.endsWith("Z") || s.endsWith("z")) {
                return OffsetDateTime.parse(s.substring(0, s.length() - 1) + "+00:00").toInstant().toEpochMilli();
            }
            int t = s.indexOf('T');
            int zone = Math.max(s.lastIndexOf('+'), s.lastIndexOf('-'));
            if (t > 0 && zone > t) {
                String offset = s.substring(zone);
                if (offset.length() == 5) { // +0100 -> +01:00
                    s = s.substring(0, zone) + offset.substring(0, 3) + ":" + offset.substring(3);
                }
                return OffsetDateTime.parse(s).toInstant().toEpochMilli();
            }
            return LocalDateTime.parse(s, LOCAL).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            return Long.MIN_VALUE;
        }
    }

    /** Epoch seconds, ms, µs or ns by magnitude (valid for dates between 2001 and 2286). */
    public static long fromEpochNumber(double value) {
        double abs = Math.abs(value);
        if (abs >= 1e17) return (long) (value / 1_000_000);
        if (abs >= 1e14) return (long) (value / 1_000);
        if (abs >= 1e11) return (long) value;
        if (abs >= 1e9) return (long) (value * 1000);
        return Long.MIN_VALUE;
    }

    /** A leading timestamp: the matcher positioned after it, or null. */
    static Matcher leading(String line) {
        Matcher m = LEADING_ISO.matcher(line);
        return m.lookingAt() ? m : null;
    }
}
