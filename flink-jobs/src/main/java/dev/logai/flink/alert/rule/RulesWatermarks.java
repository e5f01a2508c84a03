package dev.logai.flink.alert.rule;

import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time of the alert-rules input (and of the other configuration inputs, such as the tenants'
 * anomaly settings): rules are not events, so their input is idle for event
 * time, always, and the operators it is connected to keep the event time of the data. (Without
 * watermarks it would hold event time at its minimum forever, and the CEP sequences, which run in
 * event time, would never match; with the maximum it would push event time to the end whenever the
 * data's input went idle, and every later window would be late.)
 */
public final class RulesWatermarks {
    private RulesWatermarks() {}

    /** A strategy that marks the rules input idle at every periodic emit and never emits a watermark. */
    public static <T> WatermarkStrategy<T> alwaysIdle() {
        return WatermarkStrategy.forGenerator(ctx -> new WatermarkGenerator<T>() {
            @Override
            public void onEvent(T update, long timestamp, WatermarkOutput out) {}

            @Override
            public void onPeriodicEmit(WatermarkOutput out) {
                out.markIdle();
            }
        });
    }
}
