package dev.logai.flink.parse;

import java.util.HashMap;
import java.util.Map;

/**
 * One log event, normalised: what every later stage (windows, templates, anomalies, summaries)
 * works on. A multi-line event (a stack trace) is one record whose {@link #message} and
 * {@link #raw} hold all its lines.
 */
public class LogRecord {
    /** No timestamp was found: {@link #ts} is the receive time. */
    public static final int FLAG_NO_TIMESTAMP = 1;
    /** The bytes were not valid UTF-8; invalid sequences were replaced with U+FFFD. */
    public static final int FLAG_INVALID_UTF8 = 1 << 1;
    /** The gateway cut the line, or the event reached the multi-line size cap. */
    public static final int FLAG_TRUNCATED = 1 << 2;
    /** The line looked like JSON but did not parse (truncated, too deep, malformed). */
    public static final int FLAG_INVALID_JSON = 1 << 3;
    /** The line did not fit its source's learned format. */
    public static final int FLAG_FORMAT_MISMATCH = 1 << 4;
    /** Mostly control characters or replacement characters: probably not text. */
    public static final int FLAG_BINARY = 1 << 5;
    /** The timestamp was further ahead than allowed and was replaced by the receive time. */
    public static final int FLAG_FUTURE_TIMESTAMP = 1 << 6;

    public String orgId;
    public String sourceId;
    /** Event time, epoch ms UTC: from the line, else the gateway's receive time. */
    public long ts;
    /** When the gateway received the line (epoch ms, its wall clock); 0 when not known. */
    public long receivedAt;
    /** The W3C {@code traceparent} of the request that brought the line, or null ({@link dev.logai.flink.ingest.LogLine#traceParent}). */
    public String traceParent;
    /** False when the line had no readable timestamp and {@link #ts} is the receive time. */
    public boolean tsFromLine;
    /** The timestamp as written, null when none. */
    public String tsText;

    public Level level = Level.UNKNOWN;
    public String service;
    /** The content after the header (for JSON, the message field). */
    public String message;
    /** Key/values from JSON fields, logfmt pairs, syslog structured data, access-log fields. */
    public Map<String, String> attributes = new HashMap<>();

    /**
     * The line as the application wrote it: for a container runtime's line (CRI, Docker json-file)
     * the content without the runtime's wrapper, partial chunks joined; ANSI escapes and a BOM
     * removed. The archive keeps the bytes as received.
     */
    public String raw;

    public boolean truncated;
    /** The format the line was read as: {@code json}, {@code logfmt}, {@code syslog5424}, {@code text}, … */
    public String format;
    /** Bit set of the {@code FLAG_*} constants. */
    public int flags;
    /** Lines joined into this event (1 unless a stack trace or continuation lines were joined). */
    public int lineCount = 1;
    /** Whether the (first) line fit its source's format; decides multi-line joining. */
    public boolean lineFitsFormat = true;
    /** The mined template's id (16 hex digits, a hash of its text); null before mining. */
    public String templateId;
    /** The mined template's text, variables as {@code <*>}. */
    public String template;
    /** True on the first line of a template the source had not shown before (after the source's warm-up). */
    public boolean templateNew;
    /**
     * How long the logged request or operation took, in milliseconds, from the line's fields or, when
     * none gives one, its text ({@link Durations}); -1 when neither does; NaN when the line was not
     * read by the parser (a record built in code: {@link Durations#of} then reads its fields). Not an
     * attribute, so a duration read from the text does not change a JSON or logfmt line's shape.
     */
    public double durationMs = Double.NaN;

    /** {@link #ts} is the container runtime's time of the line, the application wrote none. Not kept in state. */
    public transient boolean timeFromRuntime;

    public LogRecord() {}

    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }
}
