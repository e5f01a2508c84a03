package dev.logai.flink.template;

import dev.logai.flink.parse.LogRecord;
import dev.logai.flink.parse.format.JsonLineParser;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * What of a record is mined. Text lines: the message after the header. JSON and logfmt: the
 * message field plus the set of other keys as {@code key=<*>} (never the raw JSON, whose values
 * would make every line its own pattern). Multi-line events: the first line, plus the last
 * exception line when there is one (Python puts the exception last, Java's "Caused by" is the root).
 */
public final class MiningInput {
    private MiningInput() {}

    public static String of(LogRecord r) {
        String message = r.message == null ? "" : r.message;
        if (r.lineCount > 1 || message.indexOf('\n') >= 0) {
            message = firstLineAndException(message);
        }
        if (("json".equals(r.format) || "logfmt".equals(r.format)) && r.attributes != null && !r.attributes.isEmpty()) {
            List<String> keys = new ArrayList<>(r.attributes.size());
            for (Map.Entry<String, String> a : r.attributes.entrySet()) {
                if (!JsonLineParser.isRoleField(a.getKey()) && !isRuntimeStream(a)) keys.add(a.getKey());
            }
            Collections.sort(keys);
            // Without a message field the message is the whole line: the key set alone is the shape.
            StringBuilder sb = new StringBuilder(message.equals(r.raw) ? "" : message);
            for (String k : keys) {
                if (sb.length() > 0) sb.append(' ');
                sb.append(k.replace(' ', '_')).append('=').append(TokenMasker.VAR);
            }
            return sb.toString();
        }
        return message;
    }

    /** The container runtime's {@code stream} (stdout/stderr): where a line went, not what shape it has. */
    private static boolean isRuntimeStream(Map.Entry<String, String> attribute) {
        return attribute.getKey().equals("stream")
                && (attribute.getValue().equals("stdout")
                        || attribute.getValue().equals("stderr"));
    }

    static String firstLineAndException(String message) {
        int nl = message.indexOf('\n');
        if (nl < 0) return message;
        String first = message.substring(0, nl).stripTrailing();
        String exception = null;
        int end = message.length();
        while (end > nl) {
            int start = message.lastIndexOf('\n', end - 1) + 1;
            String line = message.substring(start, end).strip();
            if (line.startsWith("Caused by:") || looksLikeException(line)) {
                exception = line; // scanning from the end: the root cause, or Python's final line
                break;
            }
            end = start - 1;
        }
        return exception == null || exception.equals(first) ? first : first + " " + exception;
    }

    /** "java.io.IOException: x", "ValueError: x", "panic: x"-like: a dotted name ending in Exception/Error. */
    static boolean looksLikeException(String line) {
        int i = 0;
        while (i < line.length()
                && (Character.isLetterOrDigit(line.charAt(i))
                        || line.charAt(i) == '.'
                        || line.charAt(i) == '_'
                        || line.charAt(i) == '$')) i++;
        String name = line.substring(0, i);
        return (name.endsWith("Exception") || name.endsWith("Error") || name.endsWith("Throwable"))
                && (i == line.length() || line.charAt(i) == ':');
    }
}
