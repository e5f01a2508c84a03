package dev.logai.tools.bench;

import org.apache.flink.api.common.functions.AggregateFunction;

/** The count-only baselines' whole work per window: a count of whatever comes in. */
final class CountElements<T> implements AggregateFunction<T, Long, Long> {
    @Override
    public Long createAccumulator() {
        return 0L;
    }

    @Override
    public Long add(T value, Long acc) {
        return acc + 1;
    }

    @Override
    public Long getResult(Long acc) {
        return acc;
    }

    @Override
    public Long merge(Long a, Long b) {
        return a + b;
    }
}
