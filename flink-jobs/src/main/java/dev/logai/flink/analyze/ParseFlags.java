package dev.logai.flink.analyze;

import dev.logai.flink.parse.LogRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The names of {@link LogRecord}'s {@code FLAG_*} bits as reports and {@code --events} print them
 * ({@code no_timestamp}, {@code invalid_utf8}, {@code truncated}, {@code invalid_json}, {@code
 * format_mismatch}, {@code binary}, {@code future_timestamp}).
 */
public final class ParseFlags {
    private ParseFlags() {}

    private static final Map<Integer, String> NAMES = new LinkedHashMap<>();

    static {
        NAMES.put(LogRecord.FLAG_NO_TIMESTAMP, "no_timestamp");
        NAMES.put(LogRecord.FLAG_INVALID_UTF8, "invalid_utf8");
        NAMES.put(LogRecord.FLAG_TRUNCATED, "truncated");
        NAMES.put(LogRecord.FLAG_INVALID_JSON, "invalid_json");
        NAMES.put(LogRecord.FLAG_FORMAT_MISMATCH, "format_mismatch");
        NAMES.put(LogRecord.FLAG_BINARY, "binary");
        NAMES.put(LogRecord.FLAG_FUTURE_TIMESTAMP, "future_timestamp");
    }

    /** The names of the bits set in {@code flags}, in bit order. */
    public static List<String> names(int flags) {
        return NAMES.entrySet().stream()
                .filter(e -> (flags & e.getKey()) != 0)
                .map(Map.Entry::getValue)
                .toList();
    }
}
