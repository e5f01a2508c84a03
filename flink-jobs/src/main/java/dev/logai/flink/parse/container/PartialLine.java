package dev.logai.flink.parse.container;

import dev.logai.flink.parse.LogRecord;
import dev.logai.flink.parse.SourceParser;
import dev.logai.flink.parse.multiline.MultilineJoiner;

/**
 * The chunks of one application line that its container runtime cut (CRI {@code P} records,
 * Docker {@code log} values without a newline), joined in arrival order while the chunk that
 * ends the line is awaited. Kept in keyed state per (source, stream); a Flink POJO.
 *
 * <p>Bounded: past {@link MultilineJoiner#MAX_CHARS} characters further chunks are dropped and
 * the line is flagged truncated. The time of the line is its first chunk's (when the application
 * started writing it).
 */
public class PartialLine {
    public String orgId;
    public String sourceId;
    public long receivedAt;
    /** The chunks' text so far, concatenated without separators (they were cut mid-token). */
    public String text;

    public int flags;
    public String runtime;
    public long runtimeTime;
    public String runtimeTimeText;

    public PartialLine() {}

    /** {@code waiting} (null for the first chunk) with {@code chunk} appended. */
    public static PartialLine append(PartialLine waiting, SourceParser.Line chunk) {
        if (waiting == null) {
            PartialLine p = new PartialLine();
            p.text = chunk.text;
            p.flags = chunk.flags;
            p.runtime = chunk.runtime.name();
            p.runtimeTime = chunk.runtimeTime;
            p.runtimeTimeText = chunk.runtimeTimeText;
            return p;
        }
        waiting.add(chunk);
        return waiting;
    }

    /** Puts the chunks before the final {@code chunk}'s text: it becomes the whole line. */
    public void complete(SourceParser.Line chunk) {
        add(chunk);
        chunk.text = text;
        chunk.flags = flags;
        chunk.runtimeTime = runtimeTime;
        chunk.runtimeTimeText = runtimeTimeText;
        chunk.partial = false;
    }

    /** The chunks as a line of their own, for a line whose final chunk never came. */
    public SourceParser.Line asLine(String stream) {
        SourceParser.Line line = new SourceParser.Line();
        line.text = text;
        line.flags = flags | LogRecord.FLAG_TRUNCATED;
        line.runtime = ContainerLine.Runtime.valueOf(runtime);
        line.runtimeTime = runtimeTime;
        line.runtimeTimeText = runtimeTimeText;
        line.stream = stream;
        return line;
    }

    private void add(SourceParser.Line chunk) {
        flags |= chunk.flags;
        if (text.length() + chunk.text.length() > MultilineJoiner.MAX_CHARS) {
            flags |= LogRecord.FLAG_TRUNCATED;
            return;
        }
        text = text + chunk.text;
    }
}
