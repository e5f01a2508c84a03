package dev.logai.flink.analyze;

import dev.logai.flink.parse.LogRecord;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/** Events per parse flag of one source ({@link ParseFlags} names), counted over a bounded input. */
public class SourceFlagCounts {
    public String sourceId;
    public TreeMap<String, Long> counts = new TreeMap<>();

    public SourceFlagCounts() {}

    /**
     * Counts per source in keyed state and emits each source's counts once, when the bounded input
     * ends (the final watermark fires the timer at the end of time).
     */
    public static class Count extends KeyedProcessFunction<String, LogRecord, SourceFlagCounts> {
        private static final long END_OF_INPUT = Long.MAX_VALUE - 1;
        private transient ValueState<SourceFlagCounts> state;

        @Override
        public void open(OpenContext openContext) {
            state = getRuntimeContext().getState(new ValueStateDescriptor<>("flag-counts", SourceFlagCounts.class));
        }

        @Override
        public void processElement(LogRecord r, Context ctx, Collector<SourceFlagCounts> out) throws Exception {
            SourceFlagCounts c = state.value();
            if (c == null) {
                c = new SourceFlagCounts();
                c.sourceId = r.sourceId;
                ctx.timerService().registerEventTimeTimer(END_OF_INPUT);
            }
            for (String name : ParseFlags.names(r.flags)) c.counts.merge(name, 1L, Long::sum);
            state.update(c);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<SourceFlagCounts> out) throws Exception {
            SourceFlagCounts c = state.value();
            if (c != null) out.collect(c);
            state.clear();
        }
    }
}
