package dev.logai.flink.ingest;

import java.nio.charset.StandardCharsets;

/** One line of one accepted batch, still raw bytes: what the archive stores and the parser reads. */
public class LogLine {
    public String orgId;
    public String sourceId;
    /** When the gateway received the line (epoch ms, UTC); the event time when the line has none. */
    public long receivedAt;

    public byte[] raw;
    /** The gateway cut the line at its length limit. */
    public boolean truncated;
    /** The client declared the body NDJSON. */
    public boolean ndjson;
    /**
     * The source's {@code parser_hint} when the line was accepted (null: none, the format is
     * learned). Read by {@link dev.logai.flink.parse.SourceFormat#fromHint}.
     */
    public String parserHint;
    /**
     * The upload the line was read from, or null for a streamed line. An uploaded object is the raw
     * archive of its lines, so these lines are not archived again.
     */
    public String uploadId;
    /**
     * The W3C {@code traceparent} of the request that brought the line (one string shared by the
     * lines of a batch), or null: windows keep a few, so summaries and alerts continue those traces.
     */
    public String traceParent;

    public LogLine() {}

    public LogLine(String orgId, String sourceId, long receivedAt, byte[] raw, boolean truncated, boolean ndjson) {
        this.orgId = orgId;
        this.sourceId = sourceId;
        this.receivedAt = receivedAt;
        this.raw = raw;
        this.truncated = truncated;
        this.ndjson = ndjson;
    }

    public static LogLine ofText(String orgId, String sourceId, long receivedAt, String text) {
        return new LogLine(orgId, sourceId, receivedAt, text.getBytes(StandardCharsets.UTF_8), false, false);
    }

    public String text() {
        return new String(raw, StandardCharsets.UTF_8);
    }
}
