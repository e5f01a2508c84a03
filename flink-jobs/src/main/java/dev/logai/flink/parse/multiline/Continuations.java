package dev.logai.flink.parse.multiline;

import dev.logai.flink.parse.Level;
import dev.logai.flink.parse.LogRecord;
import dev.logai.flink.parse.SourceFormat;
import dev.logai.flink.parse.text.TimestampLayouts;

/**
 * Whether a line continues the previous event rather than starting one: stack traces of Java
 * ({@code at}, {@code Caused by:}, {@code ... N more}, {@code ... N common frames omitted}),
 * Python (chained tracebacks, caret lines), Go (goroutine dumps after a panic), Node, .NET and
 * Ruby, and any line of a timestamped text source that does not start with the source's header
 * (the rule of Filebeat's {@code multiline.negate}). A line that names its own level ({@code
 * WARNING: …}) starts an event; so does a Go crash ({@code panic:}, {@code fatal error:}) unless
 * the event before is the error that logged it.
 * Works on the line's content, so the same rules apply inside CRI, Docker and JSON wrappers.
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
        "[signal ",
        "[recovered]",
        "Stack trace:",
        "Stacktrace:",
        "Backtrace:",
    };

    private Continuations() {}

    /** Whether {@code line} (already parsed into {@code record}) joins {@code pending}. */
    public static boolean continues(LogRecord pending, String line, LogRecord record, SourceFormat format) {
        if (pending == null) return false;
        String stream = record.attributes.get("stream");
        String pendingStream = pending.attributes.get("stream");
        if (stream != null && pendingStream != null && !stream.equals(pendingStream)) {
            return false; // a container's stdout line never continues its stderr trace, nor the reverse
        }
        boolean headerless = format.kind == SourceFormat.Kind.TEXT && format.shape.isEmpty();
        if (record.lineFitsFormat && !headerless) return false;
        if (isWholeEvent(record)) return false; // a JSON, logfmt, syslog or access-log line is an event of its own
        if (line.startsWith("panic: ") || line.startsWith("fatal error: ")) {
            // Go's crash report: the rest of an event that logged the failure, else a crash of its own
            return pending.level == Level.ERROR || pending.level == Level.FATAL;
        }
        if (looksLikeContinuation(line)) return true;
        if (record.level != Level.UNKNOWN) return false; // "WARNING: …", "panic: …": an event of its own
        boolean ownTime = record.tsFromLine && !record.timeFromRuntime;
        SourceFormat text = format.textFormat();
        if (text != null && text.shape.hasTimestamp() && !ownTime) {
            return true; // a timestamped source: a line without its header belongs to the event above
        }
        return pending.lineCount > 1 && looksLikeFrame(line);
    }

    /**
     * Whether {@code record} was read as a structured format (JSON, logfmt, syslog, access log):
     * such a line carries a whole event, it neither continues one nor is continued.
     */
    public static boolean isWholeEvent(LogRecord record) {
        String f = record.format;
        return f != null && !f.equals("text") && !f.equals("pattern");
    }

    /**
     * The level of a line that opens a crash report with no level of its own: {@code panic:} and
     * {@code fatal error:} (Go runtime) are FATAL; {@code Traceback (most recent call last):},
     * {@code Exception in thread …} and an exception line ({@code java.io.IOException: x},
     * {@code ValueError: y}) are ERROR. {@link Level#UNKNOWN} otherwise.
     */
    public static Level eventStartLevel(String line) {
        if (line.startsWith("panic: ") || line.startsWith("fatal error: ")) return Level.FATAL;
        if (line.startsWith("Traceback (most recent call last)") || line.startsWith("Exception in thread ")) {
            return Level.ERROR;
        }
        if (!line.isEmpty() && Character.isLetter(line.charAt(0)) && isExceptionLine(line)) {
            return line.contains("Warning") ? Level.UNKNOWN : Level.ERROR;
        }
        return Level.UNKNOWN;
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
        return isExceptionLine(line) || startsWithSourceLocation(line);
    }

    private static final java.util.Set<String> SOURCE_EXTENSIONS = java.util.Set.of(
            "rb", "py", "js", "mjs", "cjs", "ts", "go", "java", "kt", "scala", "php", "cs", "ex", "exs", "erl", "rs",
            "c", "cc", "cpp", "h", "swift", "pl", "lua");

    /**
     * A backtrace frame written as {@code file.ext:line…} at the start of the line, as Ruby
     * ({@code app/models/order.rb:10:in `total'}), Node and many runtimes print them unindented.
     */
    static boolean startsWithSourceLocation(String line) {
        int colon = colonAfterName(line, 300, "./\\_-$@");
        if (colon < 3 || colon + 1 >= line.length() || !Character.isDigit(line.charAt(colon + 1))) return false;
        int dot = line.lastIndexOf('.', colon);
        return dot > 0 && SOURCE_EXTENSIONS.contains(line.substring(dot + 1, colon));
    }

    /**
     * Where the first colon is when {@code line} starts with a name of letters, digits and {@code
     * punctuation} up to it (within {@code limit} characters): -1 when there is no colon there, -2
     * when another character comes first.
     */
    private static int colonAfterName(String line, int limit, String punctuation) {
        int n = Math.min(line.length(), limit);
        for (int i = 0; i < n; i++) {
            char c = line.charAt(i);
            if (c == ':') return i;
            if (!Character.isLetterOrDigit(c) && punctuation.indexOf(c) < 0) return -2;
        }
        return -1;
    }

    /** {@code com.x.FooException: msg}, {@code ValueError: msg}, {@code TypeError: msg}, {@code panic: msg}. */
    static boolean isExceptionLine(String line) {
        int n = Math.min(line.length(), 200);
        int colon = colonAfterName(line, 200, ".$_");
        if (colon == -2) return false;
        String name = colon < 0 ? line.substring(0, n) : line.substring(0, colon);
        if (name.isEmpty() || Character.isDigit(name.charAt(0))) return false;
        return name.endsWith("Exception")
                || name.endsWith("Error")
                || name.endsWith("Throwable")
                || name.endsWith("Exit")
                || name.endsWith("Interrupt")
                || name.endsWith("Warning");
    }

    /** Go frames ({@code main.main()}, {@code net/http.(*conn).serve(...)}) and file:line lines of a trace. */
    public static boolean looksLikeFrame(String line) {
        int paren = line.indexOf('(');
        if (line.endsWith(")") && paren > 0 && line.lastIndexOf(' ', paren) < 0 && line.indexOf('.') < paren) {
            return true; // main.main(), example.com/x.(*T).Get(0x0, {0xc0001a2b40, 0x9})
        }
        return line.startsWith("/") && line.indexOf(':') > 0 && !startsWithTimestamp(line);
    }

    private static boolean startsWithTimestamp(String line) {
        return TimestampLayouts.matchAny(line, 0, 0, new TimestampLayouts.Match());
    }
}
