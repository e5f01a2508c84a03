package dev.logai.flink.parse;

import dev.logai.flink.parse.container.ContainerLine;
import dev.logai.flink.parse.format.AccessLogLineParser;
import dev.logai.flink.parse.format.JsonLineParser;
import dev.logai.flink.parse.format.LogfmtLineParser;
import dev.logai.flink.parse.format.SyslogLineParser;
import dev.logai.flink.parse.multiline.Continuations;
import dev.logai.flink.parse.text.HeaderShape;
import dev.logai.flink.parse.text.Levels;
import dev.logai.flink.parse.text.TimestampLayouts;

/**
 * Parses one line with its source's format into a {@link LogRecord}. A line that does not fit
 * the format is still parsed as well as it can be (JSON and syslog lines identify themselves; a
 * leading timestamp is still found) and flagged {@link LogRecord#FLAG_FORMAT_MISMATCH}. Never
 * throws. One instance per thread: it reuses buffers.
 */
public final class RecordParser {
    private final JsonLineParser json = new JsonLineParser();
    private final LogfmtLineParser logfmt = new LogfmtLineParser();
    private final SyslogLineParser syslog = new SyslogLineParser();
    private final AccessLogLineParser access = new AccessLogLineParser();
    private final HeaderShape.Result header = new HeaderShape.Result();
    private final TimestampLayouts.Match match = new TimestampLayouts.Match();
    /** Reads container runtime lines (CRI, Docker json-file); shared by every source of the thread. */
    final ContainerLine container = new ContainerLine();

    /**
     * Fills {@code out} (whose {@code raw}, {@code ts} = receive time and flags are already set)
     * from {@code line}; returns whether the line fit {@code format}.
     */
    public boolean parse(SourceFormat format, String line, long receivedAt, LogRecord out) {
        return parse(format, null, line, receivedAt, out);
    }

    /**
     * As above; {@code utf8}, when given, is the line's valid UTF-8 encoding, which JSON is read
     * from. A line that does not fit the primary format is tried with each of the source's
     * {@link SourceFormat#alternates} in turn; it fits when one of them fits.
     */
    public boolean parse(SourceFormat format, byte[] utf8, String line, long receivedAt, LogRecord out) {
        out.receivedAt = receivedAt;
        boolean fits = tryParse(format, utf8, line, receivedAt, out);
        for (int i = 0; !fits && i < format.alternates.size(); i++) {
            resetParsedFields(out, line, receivedAt);
            fits = tryParse(format.alternates.get(i), utf8, line, receivedAt, out);
        }
        if (!fits) {
            resetParsedFields(out, line, receivedAt);
            fallback(line, receivedAt, out);
            out.flags |= LogRecord.FLAG_FORMAT_MISMATCH;
        }
        out.durationMs = Durations.read(out);
        return fits;
    }

    /** Whether {@code line} fits {@code format} alone (its alternates not tried), {@code out} filled when it does. */
    private boolean tryParse(SourceFormat format, byte[] utf8, String line, long receivedAt, LogRecord out) {
        boolean fits;
        switch (format.kind) {
            case JSON:
                fits = isJsonObject(line) && json.parse(utf8, line, receivedAt, out);
                break;
            case LOGFMT:
                fits = logfmt.parse(line, receivedAt, out);
                break;
            case SYSLOG:
                fits = syslog.parse(line, receivedAt, out);
                break;
            case ACCESS:
                fits = access.parse(line, receivedAt, out);
                break;
            case PATTERN:
                fits = format.pattern.parse(line, receivedAt, out, match);
                break;
            default:
                fits = text(format.shape, line, receivedAt, out);
        }
        return fits;
    }

    /** Lines that identify themselves; else a leading timestamp if any, and the whole line as message. */
    private void fallback(String line, long receivedAt, LogRecord out) {
        if (isJsonObject(line)) {
            if (json.parse(line, receivedAt, out)) return;
            resetParsedFields(out, line, receivedAt);
            out.flags |= LogRecord.FLAG_INVALID_JSON;
        } else if (line.startsWith("<") && syslog.parse(line, receivedAt, out)) {
            return;
        }
        out.format = "text";
        int start = 0;
        if (!line.isEmpty()
                && Character.isLetterOrDigit(line.charAt(0))
                && TimestampLayouts.matchAny(line, 0, receivedAt, match)) {
            out.ts = match.epochMillis;
            out.tsFromLine = true;
            out.tsText = line.substring(0, match.end);
            // a line of another layout than its source's: still "TS LEVEL message" when it says so
            start = leadingLevel(line, HeaderShape.skipSeparator(line, match.end), out);
            if (out.level == Level.UNKNOWN) start = 0;
        } else {
            start = leadingLevel(line, 0, out); // "WARNING: …" printed by a runtime beside the app's log
        }
        if (out.level == Level.UNKNOWN) out.level = Continuations.eventStartLevel(line);
        out.message = line.substring(start).strip();
    }

    private boolean text(HeaderShape shape, String line, long receivedAt, LogRecord out) {
        out.format = "text";
        if (shape.isEmpty()) {
            int start = leadingLevel(line, 0, out);
            if (out.level == Level.UNKNOWN) out.level = Continuations.eventStartLevel(line);
            out.message = line.substring(start).strip();
            return true;
        }
        shape.apply(line, receivedAt, header);
        if (!header.matched) {
            return false;
        }
        if (header.tsFound) {
            out.ts = header.ts;
            out.tsFromLine = true;
            out.tsText = line.substring(header.tsStart, header.tsEnd);
        }
        if (header.level != null) out.level = header.level;
        if (header.serviceStart >= 0 && header.serviceEnd > header.serviceStart) {
            out.service = line.substring(header.serviceStart, header.serviceEnd);
        }
        if (header.pidStart >= 0) out.attributes.put("pid", line.substring(header.pidStart, header.pidEnd));
        int messageStart = header.messageStart;
        if (header.level == null) {
            messageStart = leadingLevel(line, messageStart, out);
        }
        out.message = line.substring(messageStart).strip();
        return true;
    }

    /**
     * A level written at the start of a message that has no level field or column ({@code TS ERROR
     * msg} in a source whose lines do not all carry one, {@code WARNING: …} printed by the JVM): an
     * upper-case level word, bracketed or followed by a blank or a colon. Lower-case words stay
     * message text ("error: disconnected" is a message). Returns where the message starts.
     */
    private static int leadingLevel(String line, int start, LogRecord out) {
        int n = line.length();
        boolean bracket = start < n && line.charAt(start) == '[';
        int s = bracket ? start + 1 : start;
        int e = s;
        while (e < n && e - s <= 8 && line.charAt(e) >= 'A' && line.charAt(e) <= 'Z') e++;
        if (e - s < 4 || e >= n) return start;
        char after = line.charAt(e);
        if (bracket ? after != ']' : after != ' ' && after != ':') return start;
        Level level = COMMON_LEVEL_WORDS.contains(line.substring(s, e)) ? Levels.of(line, s, e) : null;
        if (level == null) return start;
        out.level = level;
        return bracket || after == ':' ? e + 1 : e;
    }

    private static final java.util.Set<String> COMMON_LEVEL_WORDS =
            java.util.Set.of("TRACE", "DEBUG", "INFO", "WARN", "WARNING", "ERROR", "FATAL", "CRITICAL", "SEVERE");

    private static void resetParsedFields(LogRecord out, String line, long receivedAt) {
        out.ts = receivedAt;
        out.tsFromLine = false;
        out.tsText = null;
        out.level = Level.UNKNOWN;
        out.service = null;
        out.message = line;
        out.attributes.clear();
    }

    static boolean isJsonObject(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') i++;
        return i < line.length() && line.charAt(i) == '{';
    }
}
