package dev.logai.flink.parse.format;

import dev.logai.flink.parse.LogRecord;
import dev.logai.flink.parse.text.TimestampLayouts;
import java.util.Map;

/**
 * logfmt ({@code time=… level=info msg="listening" addr=:8080}), as written by Go's logfmt/slog
 * text handlers, Heroku and Grafana's own services. A line is logfmt when it is made of at least
 * {@link #MIN_PAIRS} {@code key=value} pairs and nothing else.
 */
public final class LogfmtLineParser {
    static final int MIN_PAIRS = 2;
    private static final String[] TS_KEYS = {"time", "ts", "timestamp", "t", "@timestamp", "date"};
    private static final String[] LEVEL_KEYS = {"level", "lvl", "severity", "loglevel"};
    private static final String[] MESSAGE_KEYS = {"msg", "message", "event"};
    private static final String[] SERVICE_KEYS = {
        "service", "app", "application", "component", "logger", "module", "source"
    };

    private final TimestampLayouts.Match match = new TimestampLayouts.Match();

    public boolean parse(String line, long referenceMillis, LogRecord out) {
        Map<String, String> attributes = out.attributes;
        attributes.clear();
        int n = line.length();
        int p = 0;
        int pairs = 0;
        while (p < n) {
            while (p < n && line.charAt(p) == ' ') p++;
            if (p >= n) break;
            int keyStart = p;
            while (p < n && isKeyChar(line.charAt(p))) p++;
            if (p == keyStart) {
                attributes.clear();
                return false;
            }
            String key = line.substring(keyStart, p);
            if (p >= n || line.charAt(p) == ' ') {
                // a bare key is a true flag, allowed but not counted as a pair
                if (attributes.size() < JsonLineParser.MAX_ATTRIBUTES) attributes.put(key, "true");
                continue;
            }
            if (line.charAt(p) != '=') {
                attributes.clear();
                return false;
            }
            p++;
            String value;
            if (p < n && line.charAt(p) == '"') {
                StringBuilder sb = new StringBuilder();
                p++;
                boolean closed = false;
                while (p < n) {
                    char c = line.charAt(p++);
                    if (c == '\\' && p < n) {
                        char e = line.charAt(p++);
                        sb.append(e == 'n' ? '\n' : e == 't' ? '\t' : e);
                    } else if (c == '"') {
                        closed = true;
                        break;
                    } else {
                        sb.append(c);
                    }
                }
                if (!closed) {
                    attributes.clear();
                    return false;
                }
                value = sb.toString();
            } else {
                int vs = p;
                while (p < n && line.charAt(p) != ' ') p++;
                value = line.substring(vs, p);
            }
            if (attributes.size() < JsonLineParser.MAX_ATTRIBUTES) attributes.put(key, value);
            pairs++;
        }
        if (pairs < MIN_PAIRS) {
            attributes.clear();
            return false;
        }
        out.format = "logfmt";
        String message = first(attributes, MESSAGE_KEYS);
        out.message = message != null ? message : line;
        out.service = first(attributes, SERVICE_KEYS);
        String level = first(attributes, LEVEL_KEYS);
        if (level != null) out.level = JsonLineParser.levelOf(level);
        String ts = first(attributes, TS_KEYS);
        if (ts != null) {
            long millis = Long.MIN_VALUE;
            if (TimestampLayouts.matchAny(ts, 0, referenceMillis, match) && match.end == ts.length()) {
                millis = match.epochMillis;
            } else {
                try {
                    millis = JsonLineParser.epochNumber(Double.parseDouble(ts));
                } catch (NumberFormatException ignored) {
                    // not a number either: no timestamp
                }
            }
            if (millis != Long.MIN_VALUE) {
                out.ts = millis;
                out.tsFromLine = true;
                out.tsText = ts;
            }
        }
        return true;
    }

    /** Cheap pre-check used by detection: starts with {@code key=}. */
    public static boolean looksLikeLogfmt(String line) {
        int p = 0;
        int n = Math.min(line.length(), 64);
        while (p < n && isKeyChar(line.charAt(p))) p++;
        return p > 0 && p < line.length() && line.charAt(p) == '=';
    }

    private static boolean isKeyChar(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '_'
                || c == '.'
                || c == '-'
                || c == '@'
                || c == '/';
    }

    private static String first(Map<String, String> attributes, String[] keys) {
        for (String k : keys) {
            String v = attributes.get(k);
            if (v != null && !v.isEmpty()) return v;
        }
        return null;
    }
}
