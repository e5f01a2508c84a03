package dev.logai.flink.window;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Marks the window's totals complete once the watermark passed its end; early firings are not. */
public class EmitWindowMetrics extends ProcessWindowFunction<WindowMetrics, WindowMetrics, String, TimeWindow> {
    @Override
    public void process(String key, Context ctx, Iterable<WindowMetrics> metrics, Collector<WindowMetrics> out) {
        out.collect(metrics.iterator()
                .next()
                .emitted(ctx.currentWatermark() >= ctx.window().maxTimestamp()));
    }
}
