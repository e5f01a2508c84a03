package dev.logai.flink.parse;

import java.util.Locale;
import java.util.Map;

/**
 * How long a logged request or operation took, in milliseconds, from a line's fields or, when it
 * has none, from its text: the input of the latency percentiles and the latency detectors.
 *
 * <p>Fields: the first whose name is a duration name — {@code duration}, {@code latency},
 * {@code elapsed}, {@code took}, {@code response_time}, {@code request_time}, in any case, with
 * {@code _}, {@code -} or camelCase between words, the last segment of a dotted name ({@code
 * http.duration_ms}) — with the unit from the name's suffix ({@code _ms}/{@code Ms}, {@code
 * millis}, {@code _us}, {@code _micros}, {@code _s}, {@code _sec}, {@code _seconds}) or the value's
 * ({@code 12ms}, {@code 1.5s}, {@code 800us}), else milliseconds — except a bare {@code
 * request_time}, nginx's {@code $request_time}, which is in seconds.
 *
 * <p>Text: the first of {@code NAME=VALUE} or {@code NAME: VALUE} with a duration name as above
 * ({@code … 200 duration=87ms}); {@code took 12 ms}, {@code elapsed 1.2s}, {@code latency 40ms},
 * {@code time=12ms} with a unit written; and {@code in 12ms} when one of the few words before it,
 * in the same clause, says something completed — {@code completed}, {@code finished}, {@code
 * processed}, {@code served}, {@code handled}, {@code responded}, {@code executed}, {@code done},
 * {@code returned} (Rails' {@code Completed 200 OK in 12ms}, Go's {@code request completed in
 * 3.1ms}) and none says it is yet to come ({@code retrying}, {@code next}, {@code again}, {@code
 * every}, {@code wait}, …). Units: ms, s, µs/us, min, h and their long forms. Not durations: {@code
 * retrying in 5s}, {@code Sync completed. Next sync in 300s}, {@code timeout=30s} (a setting),
 * a query parameter ({@code ?time=30s}), a number without a unit after a word, and values this
 * reader cannot read whole — Go's {@code 1m30.5s}, clock times {@code 00:01:23} — rather than a
 * wrong part of them.
 */
public final class Durations {
    private Durations() {}

    /**
     * The duration of a parsed line: its fields', else its message's ({@link #inText}).
     *
     * @return milliseconds ≥ 0, or -1
     */
    static double read(LogRecord r) {
        double ms = ofFields(r.attributes);
        return ms >= 0 || r.message == null || "access".equals(r.format) ? ms : inText(r.message);
    }

    /**
     * The duration of a record: what the parser read ({@link LogRecord#durationMs}), or for a record
     * built in code, its fields'.
     *
     * @return milliseconds ≥ 0, or -1
     */
    public static double of(LogRecord r) {
        return Double.isNaN(r.durationMs) ? ofFields(r.attributes) : r.durationMs;
    }

    /**
     * The duration of a line's fields, or -1 when no field has a duration name and a readable value.
     *
     * @param fields field names to values as parsed (may be null)
     * @return milliseconds ≥ 0, or -1
     */
    public static double ofFields(Map<String, String> fields) {
        if (fields == null || fields.isEmpty()) {
            return -1;
        }
        for (Map.Entry<String, String> e : fields.entrySet()) {
            double perUnit = unitOfName(e.getKey());
            if (perUnit > 0) {
                double v = parseValue(e.getValue(), perUnit);
                if (v >= 0) {
                    return v;
                }
            }
        }
        return -1;
    }

    /**
     * Milliseconds per unit a field name implies (1 for a bare {@code duration}), or -1 when the name
     * is not a duration name.
     */
    static double unitOfName(String name) {
        if (!mayBeDurationName(name)) {
            return -1; // most names: no allocation
        }
        String key = name.substring(name.lastIndexOf('.') + 1);
        double unit = -1;
        String base = key;
        for (String[] suffix : UNIT_SUFFIXES) {
            if (key.length() > suffix[0].length() && key.endsWith(suffix[0])) {
                base = key.substring(0, key.length() - suffix[0].length());
                unit = Double.parseDouble(suffix[1]);
                break;
            }
        }
        base = base.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
        return switch (base) {
            case "duration", "latency", "elapsed", "responsetime", "took" -> unit > 0 ? unit : 1;
            case "requesttime" -> unit > 0 ? unit : 1000; // nginx's $request_time: seconds
            default -> -1;
        };
    }

    /** Name suffixes that give a unit (ms per unit), camelCase and snake_case, longest first. */
    private static final String[][] UNIT_SUFFIXES = {
        {"_seconds", "1000"},
        {"Seconds", "1000"},
        {"_micros", "0.001"},
        {"Micros", "0.001"},
        {"_millis", "1"},
        {"Millis", "1"},
        {"millis", "1"},
        {"_sec", "1000"},
        {"Sec", "1000"},
        {"_ms", "1"},
        {"-ms", "1"},
        {"Ms", "1"},
        {"MS", "1"},
        {"_us", "0.001"},
        {"-us", "0.001"},
        {"Us", "0.001"},
        {"_s", "1000"},
        {"-s", "1000"},
    };

    /** Whether {@code name} contains one of the duration names' stems (any case). */
    private static boolean mayBeDurationName(String name) {
        return mayBeDurationName(name, 0, name.length());
    }

    /** Whether {@code text[start, end)} contains one of the duration names' stems (any case). */
    private static boolean mayBeDurationName(String name, int start, int end) {
        if (end - start < 4 || end - start > 64) {
            return false;
        }
        // ASCII lower-casing by hand: this runs for every field of every line
        for (int i = start; i + 3 <= end; i++) {
            char c = (char) (name.charAt(i) | 0x20);
            char c1 = (char) (name.charAt(i + 1) | 0x20);
            char c2 = (char) (name.charAt(i + 2) | 0x20);
            if ((c == 'd' && c1 == 'u' && c2 == 'r')
                    || (c == 'l' && c1 == 'a' && c2 == 't')
                    || (c == 'e' && c1 == 'l' && c2 == 'a')
                    || (c == 't' && ((c1 == 'o' && c2 == 'o') || (c1 == 'i' && c2 == 'm')))) {
                return true;
            }
        }
        return false;
    }

    /** A value such as {@code 12}, {@code 12ms}, {@code 1.5s}, in milliseconds ({@code perUnit} when it has no unit), or -1. */
    static double parseValue(String value, double perUnit) {
        if (value == null || value.isEmpty()) {
            return -1;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        double unit = perUnit;
        if (v.endsWith("ms")) {
            v = v.substring(0, v.length() - 2);
            unit = 1;
        } else if (v.endsWith("us") || v.endsWith("µs")) {
            v = v.substring(0, v.length() - 2);
            unit = 0.001;
        } else if (v.endsWith("s")) {
            v = v.substring(0, v.length() - 1);
            unit = 1000;
        }
        try {
            double ms = Double.parseDouble(v.trim()) * unit;
            return ms >= 0 && Double.isFinite(ms) ? ms : -1; // 1e307 s is not a duration; "1m30s" not read
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Words after which a number with a unit is a duration, without {@code =} or {@code :}. */
    private static final String[] WORDS_BEFORE_A_DURATION = {"took", "elapsed", "duration", "latency", "time"};

    /** Words that say something completed, so that a later {@code in 12ms} is how long it took. */
    private static final String[] COMPLETION_WORDS = {
        "completed",
        "complete",
        "finished",
        "processed",
        "served",
        "handled",
        "responded",
        "executed",
        "done",
        "returned"
    };

    /** Words that say what follows is yet to come: {@code retrying in 5s} is a wait, not a duration. */
    private static final String[] FUTURE_WORDS = {
        "retry",
        "retrying",
        "retries",
        "next",
        "again",
        "every",
        "wait",
        "waiting",
        "expire",
        "expires",
        "expiring",
        "scheduled",
        "restart",
        "restarting",
        "reconnect",
        "reconnecting"
    };

    /** Unit words (lower case) and their milliseconds, for {@link #unitOfWord}. */
    private static final String[] UNIT_WORDS = {
        "ms",
        "msec",
        "msecs",
        "millis",
        "millisecond",
        "milliseconds",
        "s",
        "sec",
        "secs",
        "second",
        "seconds",
        "us",
        "µs",
        "usec",
        "micros",
        "microsecond",
        "microseconds",
        "min",
        "mins",
        "minute",
        "minutes",
        "h",
        "hr",
        "hrs",
        "hour",
        "hours"
    };

    private static final double[] UNIT_MS = {
        1, 1, 1, 1, 1, 1, 1000, 1000, 1000, 1000, 1000, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 60_000, 60_000,
        60_000, 60_000, 3_600_000, 3_600_000, 3_600_000, 3_600_000, 3_600_000
    };

    /** How many words before {@code in} are looked at for a completion word. */
    private static final int WORDS_BEFORE_IN = 6;

    /**
     * The first duration written in free text (the forms in the class comment), or -1. One pass
     * over the text's numbers; words are looked at only around a number with a unit or after
     * {@code =}/{@code :}.
     *
     * @param text a line's message (may be null)
     * @return milliseconds ≥ 0, or -1
     */
    public static double inText(String text) {
        if (text == null) {
            return -1;
        }
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (c < '0' || c > '9' || (i > 0 && isWordChar(text.charAt(i - 1)))) {
                i++;
                continue;
            }
            int numberStart = i;
            while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') i++;
            if (i + 1 < n && text.charAt(i) == '.' && Character.isDigit(text.charAt(i + 1))) {
                i++;
                while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') i++;
            }
            double ms = durationAt(text, numberStart, i);
            if (ms >= 0) {
                return ms;
            }
        }
        return -1;
    }

    /** The duration the number at {@code [start, end)} of {@code text} states, or -1. */
    private static double durationAt(String text, int start, int end) {
        int n = text.length();
        if (end < n && isGlued(text.charAt(end)) && !Character.isLetter(text.charAt(end))) {
            return -1; // part of a longer token: 12_000
        }
        if (end + 1 < n && text.charAt(end) == ':' && Character.isDigit(text.charAt(end + 1))) {
            return -1; // a clock time, 00:01:23: not read in part
        }
        // the unit: letters right after the number, or after one blank
        int unitStart = end < n && text.charAt(end) == ' ' ? end + 1 : end;
        int unitEnd = unitStart;
        while (unitEnd < n && isUnitChar(text.charAt(unitEnd))) unitEnd++;
        double unit = -1;
        if (unitEnd > unitStart) {
            if (unitEnd < n && isGlued(text.charAt(unitEnd))) {
                if (unitStart == end) {
                    return -1; // "1m30s", "2h0m0s", "12kb2": not read in part
                }
            } else {
                unit = unitOfWord(text, unitStart, unitEnd);
                if (unit < 0 && unitStart == end) {
                    return -1; // "12kb", "3x": a number with another unit
                }
            }
        }
        // what comes before: "NAME=", "NAME: ", "\"NAME\":" or a word and a blank
        int k = start - 1;
        while (k >= 0 && text.charAt(k) == ' ') k--;
        boolean assigned = k >= 0 && (text.charAt(k) == '=' || text.charAt(k) == ':');
        if (assigned) {
            k--;
            while (k >= 0 && text.charAt(k) == ' ') k--;
            if (k >= 0 && (text.charAt(k) == '"' || text.charAt(k) == '\'')) k--;
        } else if (k == start - 1 || unit < 0) {
            return -1; // glued to something that is not a name ("#12ms"), or a bare number after a word
        }
        int nameEnd = k + 1;
        while (k >= 0 && isNameChar(text.charAt(k))) k--;
        int nameStart = k + 1;
        if (nameEnd - nameStart < 2 || !Character.isLetter(text.charAt(nameStart))) {
            return -1; // "12:30", "Foo.java:123" is a name but not a duration name (below)
        }
        if (nameStart > 0 && (text.charAt(nameStart - 1) == '?' || text.charAt(nameStart - 1) == '&')) {
            return -1; // a query parameter of a logged URL: ?time=30s
        }
        double perUnit = -1;
        if (assigned) {
            // most "name=" numbers are not durations: look at the name before copying it
            perUnit = mayBeDurationName(text, nameStart, nameEnd) ? unitOfName(text.substring(nameStart, nameEnd)) : -1;
            if (perUnit < 0 && !(unit > 0 && isOneOf(text, nameStart, nameEnd, WORDS_BEFORE_A_DURATION))) {
                return -1;
            }
        } else if (!isOneOf(text, nameStart, nameEnd, WORDS_BEFORE_A_DURATION)
                && !(nameEnd - nameStart == 2
                        && text.regionMatches(true, nameStart, "in", 0, 2)
                        && saysCompleted(text, nameStart))) {
            return -1;
        }
        return Double.parseDouble(text.substring(start, end)) * (unit > 0 ? unit : perUnit);
    }

    /**
     * Whether, among the {@value #WORDS_BEFORE_IN} words before {@code in} (at {@code inStart}) in
     * the same clause, the nearest one that says anything says something completed ({@code
     * scheduled job finished in 5 ms}) rather than that it is yet to come ({@code retrying in 5s}).
     */
    private static boolean saysCompleted(String text, int inStart) {
        int end = inStart;
        for (int words = 0; words < WORDS_BEFORE_IN; words++) {
            int k = end - 1;
            while (k >= 0 && text.charAt(k) == ' ') k--;
            if (k < 0 || ".;,!?|".indexOf(text.charAt(k)) >= 0) {
                break; // the clause starts here
            }
            int wordEnd = k + 1;
            while (k >= 0 && text.charAt(k) != ' ' && ".;,!?|".indexOf(text.charAt(k)) < 0) k--;
            if (isOneOf(text, k + 1, wordEnd, FUTURE_WORDS)) {
                return false;
            }
            if (isOneOf(text, k + 1, wordEnd, COMPLETION_WORDS)) {
                return true;
            }
            end = k + 1;
            if (k >= 0 && text.charAt(k) != ' ') {
                break;
            }
        }
        return false;
    }

    /** Whether {@code text[start, end)} is one of {@code words}, in any case. */
    private static boolean isOneOf(String text, int start, int end, String[] words) {
        return indexOf(text, start, end, words) >= 0;
    }

    /** The index of {@code text[start, end)} among {@code words} (lower case), in any case, or -1; copies nothing. */
    private static int indexOf(String text, int start, int end, String[] words) {
        int length = end - start;
        outer:
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            if (w.length() != length) {
                continue;
            }
            for (int j = 0; j < length; j++) {
                // ASCII lower-casing by hand (the words are lower-case letters; no other character
                // turns into one by it)
                if ((text.charAt(start + j) | 0x20) != w.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Milliseconds per unit of the unit word {@code text[start, end)}, or -1. */
    private static double unitOfWord(String text, int start, int end) {
        int i = indexOf(text, start, end, UNIT_WORDS);
        return i < 0 ? -1 : UNIT_MS[i];
    }

    private static boolean isUnitChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == 'µ';
    }

    /** A character that continues a token: a number or unit followed by it is part of something longer. */
    private static boolean isGlued(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.';
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.';
    }
}
