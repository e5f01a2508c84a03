package dev.logai.flink.window;

import dev.logai.flink.parse.LogRecord;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Incremental per-window aggregation: the window keeps one {@link WindowCounts}, not the lines. */
public class CountLines implements AggregateFunction<LogRecord, WindowCounts, WindowCounts> {
    @Override
    public WindowCounts createAccumulator() {
        return new WindowCounts();
    }

    @Override
    public WindowCounts add(LogRecord record, WindowCounts acc) {
        acc.add(record);
        return acc;
    }

    @Override
    public WindowCounts getResult(WindowCounts acc) {
        return acc;
    }

    @Override
    public WindowCounts merge(WindowCounts a, WindowCounts b) {
        return a.merge(b);
    }
}
