package dev.logai.flink.window;

import dev.logai.flink.deadletter.DeadLetter;
import dev.logai.flink.parse.LogRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.util.OutputTag;

/**
 * Lines later than their own source's allowed lateness cannot change a finished window any more. They are not
 * dropped silently: they go to the dead-letter topic with the reason (and stay in the raw archive).
 */
public class LateLines implements MapFunction<LogRecord, DeadLetter> {
    public static final OutputTag<LogRecord> TAG = new OutputTag<>("late-lines") {};

    @Override
    public DeadLetter map(LogRecord record) {
        return new DeadLetter(
                "late: event time " + Instant.ofEpochMilli(record.ts)
                        + " is behind its source's clock (its newest line minus the out-of-orderness) by more"
                        + " than the allowed lateness",
                "late-window",
                record.orgId,
                record.sourceId,
                record.raw.getBytes(StandardCharsets.UTF_8));
    }
}
