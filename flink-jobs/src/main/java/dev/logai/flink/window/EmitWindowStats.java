package dev.logai.flink.window;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Attaches the window bounds and whether the window is complete to the aggregated counts. */
public class EmitWindowStats extends ProcessWindowFunction<WindowCounts, WindowStats, String, TimeWindow> {
    @Override
    public void process(String key, Context ctx, Iterable<WindowCounts> counts, Collector<WindowStats> out) {
        WindowCounts c = counts.iterator().next();
        int slash = key.indexOf('/');
        boolean complete = ctx.currentWatermark() >= ctx.window().maxTimestamp();
        out.collect(WindowStats.of(key.substring(0, slash), key.substring(slash + 1), ctx.window().getStart(),
                ctx.window().getEnd(), c, complete));
    }
}
