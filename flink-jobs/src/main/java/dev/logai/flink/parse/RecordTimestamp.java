package dev.logai.flink.parse;

import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/** Event time of a record: the line's own timestamp, or its receive time when it had none. */
public class RecordTimestamp implements SerializableTimestampAssigner<LogRecord> {
    @Override
    public long extractTimestamp(LogRecord record, long previous) {
        return record.ts;
    }
}
