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
    /** Each spelling (upper case; matched case-insensitively, whole word) and its level. */
    private static final Object[][] SPELLINGS = {
        {"TRACE", Level.TRACE},
        {"TRC", Level.TRACE},
        {"FINEST", Level.TRACE},
        {"FINER", Level.TRACE},
        {"VERBOSE", Level.TRACE},
        {"V", Level.TRACE},
        {"T", Level.TRACE},
        {"DEBUG", Level.DEBUG},
        {"DBG", Level.DEBUG},
        {"FINE", Level.DEBUG},
        {"D", Level.DEBUG},
        {"CONFIG", Level.DEBUG},
        {"INFO", Level.INFO},
        {"INF", Level.INFO},
        {"INFORMATION", Level.INFO},
        {"INFORMATIONAL", Level.INFO},
        {"NOTICE", Level.INFO},
        {"I", Level.INFO},
        {"N", Level.INFO},
        {"WARN", Level.WARN},
        {"WARNING", Level.WARN},
        {"WRN", Level.WARN},
        {"W", Level.WARN},
        {"ERROR", Level.ERROR},
        {"ERR", Level.ERROR},
        {"SEVERE", Level.ERROR},
        {"E", Level.ERROR},
        {"FAILURE", Level.ERROR},
        {"FAIL", Level.ERROR},
        {"FATAL", Level.FATAL},
        {"CRITICAL", Level.FATAL},
        {"CRIT", Level.FATAL},
        {"PANIC", Level.FATAL},
        {"EMERG", Level.FATAL},
        {"EMERGENCY", Level.FATAL},
        {"ALERT", Level.FATAL},
        {"F", Level.FATAL},
        {"A", Level.FATAL},
        // java.util.logging under other locales
        {"INFOS", Level.INFO},
        {"INFORMATIONEN", Level.INFO},
        {"INFORMACIÓN", Level.INFO},
        {"INFORMAZIONI", Level.INFO},
        {"INFORMAÇÕES", Level.INFO},
        {"情報", Level.INFO},
        {"信息", Level.INFO},
        {"KONFIG", Level.DEBUG},
        {"AVERTISSEMENT", Level.WARN},
        {"WARNUNG", Level.WARN},
        {"ADVERTENCIA", Level.WARN},
        {"AVVERTENZA", Level.WARN},
        {"ADVERTÊNCIA", Level.WARN},
        {"警告", Level.WARN},
        {"GRAVE", Level.ERROR},
        {"SCHWERWIEGEND", Level.ERROR},
        {"重大", Level.ERROR},
        {"严重", Level.ERROR},
    };

    private static final String[] WORDS = new String[SPELLINGS.length];
    private static final Level[] LEVELS = new Level[SPELLINGS.length];

    static {
        for (int i = 0; i < SPELLINGS.length; i++) {
            WORDS[i] = (String) SPELLINGS[i][0];
            LEVELS[i] = (Level) SPELLINGS[i][1];
        }
    }

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
