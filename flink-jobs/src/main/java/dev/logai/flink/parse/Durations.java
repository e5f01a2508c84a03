package dev.logai.flink.parse;

import java.util.Locale;
import java.util.Map;

/**
 * How long a logged request or operation took, in milliseconds, from a line's fields or, when it
 * has none, from its text: the input of the latency percentiles and the latency detectors.
 *
 * <p>Fields: the first whose name is a duration name — {@code duration}, {@code latency},
 * {@code elapsed}, {@code took}, {@code response_time}, {@code request_time}, any case, {@code _}
 * and {@code -} ignored — with the unit from the name's suffix ({@code _ms}, {@code millis},
 * {@code _us}, {@code _micros}, {@code _s}, {@code _sec}, {@code _seconds}) or the value's
 * ({@code 12ms}, {@code 1.5s}, {@code 800us}), milliseconds otherwise.
 *
 * <p>Text: the first of {@code NAME=VALUE} or {@code NAME: VALUE} with a duration name as above
 * ({@code … 200 duration=87ms}, unit as for fields); {@code took 12 ms}, {@code elapsed 1.2s},
 * {@code latency 40ms}, {@code time=12ms} with a unit written; and {@code in 12ms} when the text
 * says before it that something completed — {@code completed}, {@code finished}, {@code processed},
 * {@code served}, {@code handled}, {@code responded}, {@code executed}, {@code done} (Rails'
 * {@code Completed 200 OK in 12ms}, Go's {@code request completed in 3.1ms}). Not durations:
 * {@code retrying in 5s} (nothing completed), {@code timeout=30s} (a setting, not a measurement),
 * a number without a unit after a word.
 */
public final class Durations {
    private Durations() {}

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
        String key = name.toLowerCase(Locale.ROOT);
        String base = key;
        double unit = 1;
        if (key.endsWith("_ms") || key.endsWith("millis")) {
            base = key.endsWith("_ms") ? key.substring(0, key.length() - 3) : key.substring(0, key.length() - 6);
        } else if (key.endsWith("_us") || key.endsWith("_micros")) {
            base = key.substring(0, key.lastIndexOf('_'));
            unit = 0.001;
        } else if (key.endsWith("_s") || key.endsWith("_seconds") || key.endsWith("_sec")) {
            base = key.substring(0, key.lastIndexOf('_'));
            unit = 1000;
        }
        base = base.replace("_", "").replace("-", "");
        return switch (base) {
            case "duration", "latency", "elapsed", "responsetime", "requesttime", "took" -> unit;
            default -> -1;
        };
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
            return ms >= 0 && Double.isFinite(ms) ? ms : -1; // 1e307 s is not a duration
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Words after which a number with a unit is a duration, without {@code =} or {@code :}. */
    private static final java.util.Set<String> WORDS_BEFORE_A_DURATION =
            java.util.Set.of("took", "elapsed", "duration", "latency", "time");

    /** Words that say something completed, so that a later {@code in 12ms} is how long it took. */
    private static final String[] COMPLETION_WORDS = {
        "complete", "finished", "processed", "served", "handled", "responded", "executed", "done"
    };

    /**
     * The first duration written in free text (the forms in the class comment), or -1. One pass
     * over the text's numbers; words are looked at only around a number.
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
            int numberEnd = i;
            double ms = durationAt(text, numberStart, numberEnd);
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
            return -1; // part of a longer token: 12_000, 1.2.3
        }
        // the unit: letters right after the number, or after one blank
        int unitStart = end < n && text.charAt(end) == ' ' ? end + 1 : end;
        int unitEnd = unitStart;
        while (unitEnd < n && isUnitChar(text.charAt(unitEnd))) unitEnd++;
        double unit = -1;
        if (unitEnd > unitStart && (unitEnd == n || !isGlued(text.charAt(unitEnd)))) {
            unit = unitOfWord(text.substring(unitStart, unitEnd));
            if (unit < 0 && unitStart == end) {
                return -1; // "12kb", "3x": a number with another unit
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
        if (nameEnd - (k + 1) < 2) {
            return -1;
        }
        String name = text.substring(k + 1, nameEnd).toLowerCase(Locale.ROOT);
        double perUnit = -1;
        if (assigned) {
            perUnit = unitOfName(name.substring(name.lastIndexOf('.') + 1)); // "http.duration_ms"
            if (perUnit < 0 && !(unit > 0 && WORDS_BEFORE_A_DURATION.contains(name))) {
                return -1;
            }
        } else if (!WORDS_BEFORE_A_DURATION.contains(name) && !(name.equals("in") && saysCompleted(text, k + 1))) {
            return -1;
        }
        return Double.parseDouble(text.substring(start, end)) * (unit > 0 ? unit : perUnit);
    }

    /** Whether {@code text} before {@code end} has a word that says something completed. */
    private static boolean saysCompleted(String text, int end) {
        String before = text.substring(0, end).toLowerCase(Locale.ROOT);
        for (String w : COMPLETION_WORDS) {
            if (before.contains(w)) {
                return true;
            }
        }
        return false;
    }

    /** Milliseconds per unit of a unit word, or -1. */
    private static double unitOfWord(String word) {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "ms", "msec", "msecs", "millis", "millisecond", "milliseconds" -> 1;
            case "s", "sec", "secs", "second", "seconds" -> 1000;
            case "us", "µs", "usec", "micros", "microsecond", "microseconds" -> 0.001;
            default -> -1;
        };
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
