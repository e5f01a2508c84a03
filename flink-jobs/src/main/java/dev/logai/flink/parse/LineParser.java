package dev.logai.flink.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.logai.flink.ingest.LogLine;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * The minimal parser of the foundation: JSON objects (common field names of the popular JSON
 * layouts) and text lines that start with an ISO-8601 timestamp and a level word. Anything else
 * keeps the whole line as message, the receive time as event time and level UNKNOWN. Never throws.
 */
public final class LineParser {
    private static final String[] TS_FIELDS = {"@timestamp", "timestamp", "time", "ts", "datetime", "date", "@t", "t"};
    private static final String[] LEVEL_FIELDS = {"level", "severity", "log.level", "lvl", "loglevel", "levelname", "@l", "@level"};
    private static final String[] MESSAGE_FIELDS = {"message", "msg", "@message", "@m", "@mt", "text", "log", "event"};
    private static final String[] SERVICE_FIELDS = {"service", "service.name", "app", "application", "logger",
            "logger_name", "component", "name"};
    /**
     * A line may claim to be at most this far ahead of its receive time. Event time drives the
     * shared watermark, so one client with a wrong clock must not make every other tenant's lines
     * late; lines further ahead use the receive time instead.
     */
    static final long MAX_FUTURE_MS = 5 * 60 * 1000;
    private static final int MAX_ATTRIBUTES = 64;
    private static final int MAX_ATTRIBUTE_CHARS = 1024;

    private final ObjectMapper json = new ObjectMapper();

    public LogRecord parse(LogLine line) {
        String text = line.text();
        LogRecord record = new LogRecord();
        record.orgId = line.orgId;
        record.sourceId = line.sourceId;
        record.raw = text;
        record.truncated = line.truncated;
        record.ts = line.receivedAt;
        record.message = text;
        String trimmed = text.strip();
        if (trimmed.startsWith("{") && parseJson(trimmed, record)) {
            return clampFuture(record, line.receivedAt);
        }
        parseText(text, record);
        return clampFuture(record, line.receivedAt);
    }

    private static LogRecord clampFuture(LogRecord record, long receivedAt) {
        if (record.tsFromLine && record.ts > receivedAt + MAX_FUTURE_MS) {
            record.ts = receivedAt;
            record.tsFromLine = false;
        }
        return record;
    }

    private boolean parseJson(String text, LogRecord record) {
        JsonNode root;
        try {
            root = json.readTree(text);
        } catch (JsonProcessingException e) {
            return false;
        }
        if (!(root instanceof ObjectNode object)) {
            return false;
        }
        JsonNode ts = field(object, TS_FIELDS);
        if (ts != null) {
            long millis = ts.isNumber() ? TimestampParser.fromEpochNumber(ts.asDouble()) : TimestampParser.parseIso(ts.asText());
            if (millis != Long.MIN_VALUE) {
                record.ts = millis;
                record.tsFromLine = true;
            }
        }
        JsonNode level = field(object, LEVEL_FIELDS);
        if (level != null) {
            Level parsed = level.isNumber() ? Level.fromNumber(level.asLong()) : Level.fromWord(level.asText().trim());
            if (parsed != null) {
                record.level = parsed;
            }
        }
        JsonNode message = field(object, MESSAGE_FIELDS);
        if (message != null && message.isValueNode()) {
            record.message = message.asText();
        }
        JsonNode service = field(object, SERVICE_FIELDS);
        if (service != null && service.isValueNode()) {
            record.service = service.asText();
        }
        flatten("", object, record.attributes);
        return true;
    }

    /**
     * The first scalar field with any of the names, also dotted paths such as {@code log.level};
     * an object under a name (ECS's {@code "service": {"name": …}}) moves on to the next name.
     */
    private static JsonNode field(ObjectNode object, String[] names) {
        for (String name : names) {
            JsonNode node = object.get(name);
            if (node == null && name.indexOf('.') > 0) {
                node = object.at("/" + name.replace('.', '/'));
                if (node.isMissingNode()) node = null;
            }
            if (node != null && node.isValueNode() && !node.isNull()) {
                return node;
            }
        }
        return null;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext() && out.size() < MAX_ATTRIBUTES) {
            Map.Entry<String, JsonNode> e = fields.next();
            String key = prefix + e.getKey();
            JsonNode value = e.getValue();
            if (value.isObject()) {
                flatten(key + ".", value, out);
            } else if (!value.isNull()) {
                String s = value.isValueNode() ? value.asText() : value.toString();
                out.put(key, s.length() > MAX_ATTRIBUTE_CHARS ? s.substring(0, MAX_ATTRIBUTE_CHARS) : s);
            }
        }
    }

    private static void parseText(String text, LogRecord record) {
        Matcher ts = TimestampParser.leading(text);
        int pos = 0;
        if (ts != null) {
            long millis = TimestampParser.parseIso(ts.group(1));
            if (millis != Long.MIN_VALUE) {
                record.ts = millis;
                record.tsFromLine = true;
                pos = ts.end();
            }
        }
        // the first word after the timestamp, possibly in brackets, may be the level
        int start = skipSpaces(text, pos);
        int end = start;
        boolean bracket = start < text.length() && (text.charAt(start) == '[' || text.charAt(start) == '<');
        int wordStart = bracket ? start + 1 : start;
        end = wordStart;
        while (end < text.length() && Character.isLetter(text.charAt(end))) {
            end++;
        }
        Level level = end > wordStart ? Level.fromWord(text.substring(wordStart, end)) : null;
        boolean single = end - wordStart == 1; // one-letter levels only in brackets or with a separator
        if (level != null && (!single || bracket || (end < text.length() && text.charAt(end) == '/'))) {
            record.level = level;
            if (bracket && end < text.length() && (text.charAt(end) == ']' || text.charAt(end) == '>')) {
                end++;
            }
            pos = end;
        }
        if (pos > 0) {
            int m = pos;
            while (m < text.length() && (text.charAt(m) == ' ' || text.charAt(m) == '\t' || text.charAt(m) == ':'
                    || text.charAt(m) == '-' || text.charAt(m) == '|')) {
                m++;
            }
            record.message = text.substring(m);
        }
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
        return i;
    }
}
