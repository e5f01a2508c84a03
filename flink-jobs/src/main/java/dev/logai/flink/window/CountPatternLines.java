package dev.logai.flink.window;

import dev.logai.flink.parse.LogRecord;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Incremental per-(template, window) aggregation. */
public class CountPatternLines implements AggregateFunction<LogRecord, PatternCounts, PatternCounts> {
    @Override
    public PatternCounts createAccumulator() {
        return new PatternCounts();
    }

    @Override
    public PatternCounts add(LogRecord record, PatternCounts acc) {
        acc.add(record);
        return acc;
    }

    @Override
    public PatternCounts getResult(PatternCounts acc) {
        return acc;
    }

    @Override
    public PatternCounts merge(PatternCounts a, PatternCounts b) {
        return a.merge(b);
    }
}
