package dev.logai.flink.window;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Attaches the window bounds and completeness to a template's count. */
public class EmitPatternWindows extends ProcessWindowFunction<PatternCounts, PatternWindow, String, TimeWindow> {
    @Override
    public void process(String key, Context ctx, Iterable<PatternCounts> counts, Collector<PatternWindow> out) {
        boolean complete = ctx.currentWatermark() >= ctx.window().maxTimestamp();
        out.collect(PatternWindow.of(counts.iterator().next(), ctx.window().getStart(), ctx.window().getEnd(), complete));
    }
}
