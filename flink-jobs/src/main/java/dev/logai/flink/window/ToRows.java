package dev.logai.flink.window;

import java.util.Map;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.util.Collector;

/** The Postgres rows of a window: its {@link WindowStats} and one {@link PatternWindow} per template. */
public final class ToRows {
    private ToRows() {}

    public static class Stats implements MapFunction<WindowMetrics, WindowStats> {
        @Override
        public WindowStats map(WindowMetrics m) {
            return WindowStats.of(m);
        }
    }

    public static class Patterns implements FlatMapFunction<WindowMetrics, PatternWindow> {
        @Override
        public void flatMap(WindowMetrics m, Collector<PatternWindow> out) {
            for (Map.Entry<String, TemplateCount> e : m.templates.entrySet()) {
                out.collect(PatternWindow.of(m, e.getKey(), e.getValue()));
            }
        }
    }
}
