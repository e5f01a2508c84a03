package dev.logai.flink.window;

import org.apache.flink.api.common.functions.AggregateFunction;

/** The window's accumulator: partial aggregates merged into one {@link WindowMetrics}. */
public class MergeWindowMetrics implements AggregateFunction<WindowMetrics, WindowMetrics, WindowMetrics> {
    @Override
    public WindowMetrics createAccumulator() {
        return new WindowMetrics();
    }

    @Override
    public WindowMetrics add(WindowMetrics partial, WindowMetrics acc) {
        return acc.merge(partial);
    }

    @Override
    public WindowMetrics getResult(WindowMetrics acc) {
        return acc;
    }

    @Override
    public WindowMetrics merge(WindowMetrics a, WindowMetrics b) {
        return a.merge(b);
    }
}
