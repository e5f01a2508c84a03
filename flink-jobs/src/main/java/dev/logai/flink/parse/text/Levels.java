package dev.logai.flink.parse.text;

import dev.logai.flink.parse.Level;

/**
 * Severity words as services spell them: full words, abbreviations, syslog names, logcat letters,
 * java.util.logging names — also as java.util.logging prints them under a French, German, Spanish,
 * Italian, Portuguese, Japanese or Chinese locale (Tomcat's {@code INFOS}, {@code AVERTISSEMENT},
 * {@code GRAVE}, {@code WARNUNG}, {@code SCHWERWIEGEND}, {@code 警告}, …; the JDK's
 * {@code sun.util.logging.resources.logging_*} bundles). Looked up on a slice of a line without allocating.
 */
public final class Levels {
    private static final String[] WORDS = {
        "TRACE",
        "TRC",
        "FINEST",
        "FINER",
        "VERBOSE",
        "V",
        "T",
        "DEBUG",
        "DBG",
        "FINE",
        "D",
        "CONFIG",
        "INFO",
        "INF",
        "INFORMATION",
        "INFORMATIONAL",
        "NOTICE",
        "I",
        "N",
        "WARN",
        "WARNING",
        "WRN",
        "W",
        "ERROR",
        "ERR",
        "SEVERE",
        "E",
        "FAILURE",
        "FAIL",
        "FATAL",
        "CRITICAL",
        "CRIT",
        "PANIC",
        "EMERG",
        "EMERGENCY",
        "ALERT",
        "F",
        "A",
        // java.util.logging under other locales
        "INFOS",
        "INFORMATIONEN",
        "INFORMACIÓN",
        "INFORMAZIONI",
        "INFORMAÇÕES",
        "情報",
        "信息",
        "KONFIG",
        "AVERTISSEMENT",
        "WARNUNG",
        "ADVERTENCIA",
        "AVVERTENZA",
        "ADVERTÊNCIA",
        "警告",
        "GRAVE",
        "SCHWERWIEGEND",
        "重大",
        "严重",
    };
    private static final Level[] LEVELS = {
        Level.TRACE,
        Level.TRACE,
        Level.TRACE,
        Level.TRACE,
        Level.TRACE,
        Level.TRACE,
        Level.TRACE,
        Level.DEBUG,
        Level.DEBUG,
        Level.DEBUG,
        Level.DEBUG,
        Level.DEBUG,
        Level.INFO,
        Level.INFO,
        Level.INFO,
        Level.INFO,
        Level.INFO,
        Level.INFO,
        Level.INFO,
        Level.WARN,
        Level.WARN,
        Level.WARN,
        Level.WARN,
        Level.ERROR,
        Level.ERROR,
        Level.ERROR,
        Level.ERROR,
        Level.ERROR,
        Level.ERROR,
        Level.FATAL,
        Level.FATAL,
        Level.FATAL,
        Level.FATAL,
        Level.FATAL,
        Level.FATAL,
        Level.FATAL,
        Level.FATAL,
        Level.FATAL,
        Level.INFO,
        Level.INFO,
        Level.INFO,
        Level.INFO,
        Level.INFO,
        Level.INFO,
        Level.INFO,
        Level.DEBUG,
        Level.WARN,
        Level.WARN,
        Level.WARN,
        Level.WARN,
        Level.WARN,
        Level.WARN,
        Level.ERROR,
        Level.ERROR,
        Level.ERROR,
        Level.ERROR,
    };
    private static final int MAX_LEN = 13;

    private Levels() {}

    /** The level spelled by {@code s[from, to)} (case-insensitive), or null. */
    public static Level of(CharSequence s, int from, int to) {
        int len = to - from;
        if (len <= 0 || len > MAX_LEN) return null;
        for (int i = 0; i < WORDS.length; i++) {
            String w = WORDS[i];
            if (w.length() == len && regionEqualsIgnoreCase(s, from, w)) {
                return LEVELS[i];
            }
        }
        return null;
    }

    public static Level of(String word) {
        return word == null ? null : of(word, 0, word.length());
    }

    private static boolean regionEqualsIgnoreCase(CharSequence s, int from, String upper) {
        for (int k = 0; k < upper.length(); k++) {
            char c = s.charAt(from + k);
            if (c >= 'a' && c <= 'z') c -= 32;
            if (c != upper.charAt(k)) return false;
        }
        return true;
    }
}
