package dev.logai.flink.parse;

import java.util.Locale;

/** Normalised severity. UNKNOWN when a line states none. */
public enum Level {
    TRACE,
    DEBUG,
    INFO,
    WARN,
    ERROR,
    FATAL,
    UNKNOWN;

    /** Maps the spellings seen in practice (words, abbreviations, syslog names); null when not a level. */
    public static Level fromWord(String word) {
        if (word == null || word.isEmpty() || word.length() > 12) {
            return null;
        }
        switch (word.toUpperCase(Locale.ROOT)) {
            case "TRACE", "TRC", "FINEST", "FINER", "VERBOSE":
                return TRACE;
            case "DEBUG", "DBG", "FINE", "D":
                return DEBUG;
            case "INFO", "INF", "INFORMATION", "INFORMATIONAL", "NOTICE", "I":
                return INFO;
            case "WARN", "WARNING", "WRN", "W":
                return WARN;
            case "ERROR", "ERR", "SEVERE", "E":
                return ERROR;
            case "FATAL", "CRITICAL", "CRIT", "PANIC", "EMERG", "EMERGENCY", "ALERT", "F":
                return FATAL;
            default:
                return null;
        }
    }

    /**
     * Numeric levels: Bunyan/pino (10..60) and syslog severities (0..7).
     */
    public static Level fromNumber(long n) {
        if (n >= 10) {
            if (n < 20) return TRACE;
            if (n < 30) return DEBUG;
            if (n < 40) return INFO;
            if (n < 50) return WARN;
            if (n < 60) return ERROR;
            return FATAL;
        }
        if (n < 0) return null;
        if (n <= 2) return FATAL; // emerg, alert, crit
        if (n == 3) return ERROR;
        if (n == 4) return WARN;
        if (n <= 6) return INFO; // notice, info
        return DEBUG;
    }
}
