package dev.logai.flink.parse.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.logai.flink.parse.Level;
import dev.logai.flink.parse.LogRecord;
import dev.logai.flink.parse.text.Levels;
import dev.logai.flink.parse.text.TimestampLayouts;
import java.io.IOException;
import java.util.Map;

/**
 * JSON lines with the field names of the common JSON layouts, read with Jackson's streaming
 * parser into flattened attributes ({@code service.name}, {@code log.level}): logstash/ECS,
 * Bunyan/pino (numeric levels), zap, structlog, Serilog CLEF, Log4j2/Logback JSON layouts, GCP
 * structured logging, AWS Lambda/CloudWatch, Docker's json-file. Nesting deeper than
 * {@link #MAX_DEPTH} or malformed JSON makes the line a non-JSON line (the caller flags it).
 */
public final class JsonLineParser {
    static final int MAX_DEPTH = 32;
    static final int MAX_ATTRIBUTES = 64;
    static final int MAX_VALUE_CHARS = 1024;

    static final String[] TS_FIELDS = {
        "@timestamp",
        "timestamp",
        "time",
        "ts",
        "@t",
        "timeMillis",
        "datetime",
        "date",
        "eventTime",
        "receiveTimestamp",
        "t",
        "instant.epochSecond",
        "timeUnixNano",
        "observedTimeUnixNano"
    };
    static final String[] LEVEL_FIELDS = {
        "level",
        "severity",
        "log.level",
        "@l",
        "lvl",
        "loglevel",
        "levelname",
        "level_name",
        "@level",
        "log.severity",
        "severityText",
        "severity_text",
        "log_level"
    };
    static final String[] MESSAGE_FIELDS = {
        "message",
        "msg",
        "@m",
        "event",
        "@message",
        "textPayload",
        "jsonPayload.message",
        "log",
        "@mt",
        "text",
        "short_message",
        "body",
        "renderedMessage",
        "message_template",
        "messageTemplate"
    };
    static final String[] SERVICE_FIELDS = {
        "service.name",
        "service",
        "app",
        "application",
        "logger",
        "loggerName",
        "logger_name",
        "name",
        "component",
        "logName",
        "serviceContext.service",
        "category",
        "source_context",
        "sourceContext"
    };

    private final JsonFactory factory = JsonFactory.builder()
            .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build();
    private final TimestampLayouts.Match match = new TimestampLayouts.Match();
    // per-line scratch space, reused: one parser per thread
    private final String[] roleValue = new String[4];
    private final String[] roleKey = new String[4];
    private final int[] roleRank = new int[4];
    private final StringBuilder path = new StringBuilder(64);
    private final int[] prefixLengths = new int[MAX_DEPTH + 2];

    /** Which normalised field a JSON key feeds, and its rank among the keys that feed it (lower wins). */
    private static final java.util.Map<String, Integer> ROLES = new java.util.HashMap<>();

    private static final int TS = 0, LEVEL = 1, MESSAGE = 2, SERVICE = 3;

    /** Whether a field name is one read as timestamp, level, message or service (not a payload field). */
    public static boolean isRoleField(String name) {
        return ROLES.containsKey(name)
                || (hasUpperCase(name) && ROLES_LOWER.containsKey(name.toLowerCase(java.util.Locale.ROOT)));
    }

    /** The same, by lower-case name: keys are matched case-insensitively ({@code Timestamp}, {@code LogLevel}). */
    private static final java.util.Map<String, Integer> ROLES_LOWER = new java.util.HashMap<>();

    static {
        String[][] lists = {TS_FIELDS, LEVEL_FIELDS, MESSAGE_FIELDS, SERVICE_FIELDS};
        for (int role = 0; role < lists.length; role++) {
            for (int rank = 0; rank < lists[role].length; rank++) {
                ROLES.putIfAbsent(lists[role][rank], role * 100 + rank);
                ROLES_LOWER.putIfAbsent(lists[role][rank].toLowerCase(java.util.Locale.ROOT), role * 100 + rank);
            }
        }
    }

    /**
     * Field names seen by this parser, to their role (or -1): .NET's {@code Timestamp}/{@code
     * LogLevel}/{@code Message} are lowered once per parser, not once per line. Bounded: names past
     * {@link #MAX_CACHED_NAMES} are looked up each time.
     */
    private final java.util.Map<String, Integer> casedNames = new java.util.HashMap<>();

    private static final int MAX_CACHED_NAMES = 4_096;

    /**
     * The role of a field name, exact spelling first, then case-insensitively; null when none. One
     * lookup per field once a name was seen (its answer, role or none, is cached).
     */
    private Integer roleOf(String name) {
        Integer cached = casedNames.get(name);
        if (cached == null) {
            Integer role = ROLES.get(name);
            if (role == null && hasUpperCase(name)) role = ROLES_LOWER.get(name.toLowerCase(java.util.Locale.ROOT));
            cached = role == null ? -1 : role;
            if (casedNames.size() < MAX_CACHED_NAMES) casedNames.put(name, cached);
        }
        return cached < 0 ? null : cached;
    }

    private static boolean hasUpperCase(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') return true;
        }
        return false;
    }

    /** Parses {@code line} into {@code out}; false when it is not a well-formed JSON object. */
    public boolean parse(String line, long referenceMillis, LogRecord out) {
        return parse(null, line, referenceMillis, out);
    }

    /**
     * As {@link #parse(String, long, LogRecord)}, reading the line's UTF-8 bytes when given (Jackson's
     * byte parser is the fast one; the text is still what the record keeps).
     */
    public boolean parse(byte[] utf8, String line, long referenceMillis, LogRecord out) {
        Map<String, String> attributes = out.attributes;
        attributes.clear();
        // best key per role: one map lookup per field instead of probing every known name afterwards
        String[] roleValue = this.roleValue;
        String[] roleKey = this.roleKey;
        int[] roleRank = this.roleRank;
        java.util.Arrays.fill(roleValue, null);
        java.util.Arrays.fill(roleKey, null);
        java.util.Arrays.fill(roleRank, Integer.MAX_VALUE);
        long epochNumberTs = Long.MIN_VALUE;
        try (JsonParser p = utf8 != null ? factory.createParser(utf8) : factory.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            StringBuilder path = this.path;
            path.setLength(0);
            int[] prefixLengths = this.prefixLengths;
            int depth = 0;
            String key = null;
            JsonToken token;
            while ((token = p.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME) {
                    if (depth == 0) {
                        key = p.currentName(); // interned by Jackson: no allocation at the top level
                    } else {
                        path.setLength(prefixLengths[depth]);
                        path.append('.').append(p.currentName());
                        key = null;
                    }
                    continue;
                }
                if (token == JsonToken.START_OBJECT) {
                    depth++;
                    if (depth == 1) {
                        path.setLength(0);
                        path.append(key);
                    }
                    prefixLengths[depth] = path.length();
                    continue;
                }
                if (token == JsonToken.END_OBJECT) {
                    if (depth == 0) {
                        break;
                    }
                    depth--;
                    continue;
                }
                String name = depth == 0 ? key : path.toString();
                if (token == JsonToken.START_ARRAY) {
                    // arrays are kept as their JSON text: tags, stack frames
                    String text = arrayText(p);
                    if (attributes.size() < MAX_ATTRIBUTES) attributes.put(name, clip(text));
                    continue;
                }
                if (token == JsonToken.VALUE_NULL) {
                    continue;
                }
                String value = p.getText(); // bounded by the line length limit
                Integer role = roleOf(name);
                if (role != null && !value.isEmpty()) {
                    int r = role / 100;
                    if (role % 100 < roleRank[r]) {
                        roleRank[r] = role % 100;
                        roleValue[r] = value;
                        roleKey[r] = name;
                        if (r == TS) {
                            epochNumberTs = token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT
                                    ? epochNumber(p.getDoubleValue())
                                    : Long.MIN_VALUE;
                        }
                    }
                }
                if (attributes.size() < MAX_ATTRIBUTES) {
                    attributes.put(name, value);
                }
            }
            if (p.nextToken() != null) {
                return false; // "{...} trailing" is not one JSON object
            }
        } catch (IOException | RuntimeException e) {
            attributes.clear();
            return false;
        }
        out.format = "json";
        out.message = roleValue[MESSAGE] != null ? stripNewline(roleValue[MESSAGE]) : line;
        out.service = roleValue[SERVICE];
        if (roleValue[LEVEL] != null) {
            out.level = cachedLevelOf(roleValue[LEVEL]);
        }
        String text = roleValue[TS];
        if (text != null) {
            long ts = epochNumberTs;
            if (ts == Long.MIN_VALUE && isoOrAny(text, referenceMillis)) {
                ts = match.epochMillis;
            }
            if ("instant.epochSecond".equals(roleKey[TS]) && ts != Long.MIN_VALUE) {
                String nanos = attributes.get("instant.nanoOfSecond");
                if (nanos != null && nanos.length() < 10 && allDigits(nanos)) ts += Long.parseLong(nanos) / 1_000_000;
            }
            if (ts != Long.MIN_VALUE) {
                out.ts = ts;
                out.tsFromLine = true;
                out.tsText = text;
            }
        }
        return true;
    }

    /** JSON timestamps are nearly always ISO-8601: try that layout first, every layout only if it fails. */
    private boolean isoOrAny(String text, long referenceMillis) {
        if (TimestampLayouts.match(0, text, 0, referenceMillis, match) && match.end == text.length()) return true;
        return TimestampLayouts.matchAny(text, 0, referenceMillis, match) && match.end == text.length();
    }

    /** Epoch seconds, ms, µs or ns by magnitude (dates between 2001 and 2286). */
    static long epochNumber(double value) {
        double abs = Math.abs(value);
        if (abs >= 1e17) return (long) (value / 1_000_000);
        if (abs >= 1e14) return (long) (value / 1_000);
        if (abs >= 1e11) return (long) value;
        if (abs >= 1e9) return (long) (value * 1000);
        return Long.MIN_VALUE;
    }

    /** Level values seen by this parser (a source writes a handful of spellings), bounded. */
    private final java.util.Map<String, Level> levels = new java.util.HashMap<>();

    private Level cachedLevelOf(String value) {
        Level level = levels.get(value);
        if (level == null) {
            level = levelOf(value);
            if (levels.size() < 256) levels.put(value, level);
        }
        return level;
    }

    static Level levelOf(String value) {
        String v = value.trim();
        if (!v.isEmpty() && v.length() <= 3 && allDigits(v)) {
            Level numeric = Level.fromNumber(Long.parseLong(v));
            return numeric == null ? Level.UNKNOWN : numeric;
        }
        Level word = Levels.of(v);
        return word == null ? Level.UNKNOWN : word;
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        }
        return true;
    }

    private static String arrayText(JsonParser p) throws IOException {
        StringBuilder sb = new StringBuilder("[");
        int depth = 1;
        JsonToken t;
        boolean first = true;
        while (depth > 0 && (t = p.nextToken()) != null) {
            if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) depth++;
            if (t == JsonToken.END_ARRAY || t == JsonToken.END_OBJECT) depth--;
            if (sb.length() < MAX_VALUE_CHARS) {
                if (!first && t != JsonToken.END_ARRAY && t != JsonToken.END_OBJECT) sb.append(',');
                first = t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT || t == JsonToken.FIELD_NAME;
                if (t == JsonToken.VALUE_STRING)
                    sb.append('"').append(p.getText()).append('"');
                else if (t == JsonToken.FIELD_NAME)
                    sb.append('"').append(p.currentName()).append("\":");
                else sb.append(p.getText());
            }
        }
        return sb.toString();
    }

    private static String stripNewline(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) end--;
        return end == s.length() ? s : s.substring(0, end);
    }

    static String clip(String s) {
        return s.length() > MAX_VALUE_CHARS ? s.substring(0, MAX_VALUE_CHARS) : s;
    }
}
