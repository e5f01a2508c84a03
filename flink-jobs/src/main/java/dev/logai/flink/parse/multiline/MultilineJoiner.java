package dev.logai.flink.parse.multiline;

import dev.logai.flink.parse.Level;
import dev.logai.flink.parse.LogRecord;

/**
 * Joins continuation lines into the event they belong to, with a cap so one endless trace cannot
 * grow without bound: past {@link #MAX_LINES} lines or {@link #MAX_CHARS} characters further
 * lines are counted but not kept, and the event is flagged truncated. An event with no level of its
 * own takes the level of the first crash line joined to it ({@link Continuations#eventStartLevel}).
 */
public final class MultilineJoiner {
    public static final int MAX_LINES = 500;
    public static final int MAX_CHARS = 64 * 1024;

    private MultilineJoiner() {}

    public static void append(LogRecord event, LogRecord line) {
        event.lineCount++;
        if (event.level == Level.UNKNOWN) {
            // a crash report that began without a level ("/app/server.js:10", "Error: boom" below)
            event.level = Continuations.eventStartLevel(line.raw.strip());
        }
        if (event.lineCount > MAX_LINES || event.raw.length() + 1 + line.raw.length() > MAX_CHARS) {
            event.flags |= LogRecord.FLAG_TRUNCATED;
            event.truncated = true;
            return;
        }
        event.raw = event.raw + "\n" + line.raw;
        event.message = event.message + "\n" + line.raw;
        event.flags |= line.flags & (LogRecord.FLAG_INVALID_UTF8 | LogRecord.FLAG_BINARY);
    }
}
