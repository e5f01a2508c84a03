package dev.logai.flink.parse.multiline;

import dev.logai.flink.parse.LogRecord;
import dev.logai.flink.parse.SourceFormat;
import dev.logai.flink.parse.text.TimestampLayouts;

/**
 * Whether a line continues the previous event rather than starting one: stack traces of Java,
 * Python, Go, Node and .NET, and any line of a timestamped text source that does not start with
 * the source's header (the rule of Filebeat's {@code multiline.negate}).
 */
public final class Continuations {
    private static final String[] TRACE_STARTS = {
        "Caused by:",
        "Suppressed:",
        "Traceback (most recent call last)",
        "During handling of the above exception",
        "The above exception was the direct cause",
        "goroutine ",
        "--- End of",
        "Exception in thread ",
        "created by ",
        "[CIRCULAR REFERENCE",
        "Stack trace:",
        "Stacktrace:",
        "Backtrace:",
    };

    private Continuations() {}

    /** Whether {@code line} (already parsed into {@code record}) joins {@code pending}. */
    public static boolean continues(LogRecord pending, String line, LogRecord record, SourceFormat format) {
        if (pending == null) return false;
        boolean headerless = format.kind == SourceFormat.Kind.TEXT && format.shape.isEmpty();
        if (record.lineFitsFormat && !headerless) return false;
        if (format.kind == SourceFormat.Kind.JSON && record.format != null && record.format.equals("json"))
            return false;
        if (looksLikeContinuation(line)) return true;
        if (format.kind == SourceFormat.Kind.TEXT && format.shape.hasTimestamp() && !record.tsFromLine) {
            return true; // a timestamped source: a line without its header belongs to the event above
        }
        return pending.lineCount > 1 && looksLikeFrame(line);
    }

    /** Indented lines, trace openers, exception lines ({@code java.io.IOException: x}, {@code ValueError: y}). */
    public static boolean looksLikeContinuation(String line) {
        if (line.isEmpty()) return true;
        char c = line.charAt(0);
        if (c == ' ' || c == '\t') return true;
        for (String start : TRACE_STARTS) {
            if (line.startsWith(start)) return true;
        }
        if (line.startsWith("...") && line.endsWith("more")) return true;
        return isExceptionLine(line);
    }

    /** {@code com.x.FooException: msg}, {@code ValueError: msg}, {@code TypeError: msg}, {@code panic: msg}. */
    static boolean isExceptionLine(String line) {
        int n = Math.min(line.length(), 200);
        int colon = -1;
        for (int i = 0; i < n; i++) {
            char c = line.charAt(i);
            if (c == ':') {
                colon = i;
                break;
            }
            if (!(Character.isLetterOrDigit(c) || c == '.' || c == '$' || c == '_')) return false;
        }
        String name = colon < 0 ? line.substring(0, n) : line.substring(0, colon);
        if (name.isEmpty() || Character.isDigit(name.charAt(0))) return false;
        if (name.equals("panic")) return true;
        return name.endsWith("Exception")
                || name.endsWith("Error")
                || name.endsWith("Throwable")
                || name.endsWith("Exit")
                || name.endsWith("Interrupt")
                || name.endsWith("Warning");
    }

    /** Go frames ({@code main.main()}, {@code net/http.(*conn).serve(...)}) and file:line lines of a trace. */
    static boolean looksLikeFrame(String line) {
        if (line.endsWith(")") && line.indexOf('(') > 0 && line.indexOf(' ') < 0) return true;
        return line.startsWith("/") && line.indexOf(':') > 0 && !startsWithTimestamp(line);
    }

    private static boolean startsWithTimestamp(String line) {
        return TimestampLayouts.matchAny(line, 0, 0, new TimestampLayouts.Match());
    }
}
