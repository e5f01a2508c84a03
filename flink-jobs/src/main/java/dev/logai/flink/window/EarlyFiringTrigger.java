package dev.logai.flink.window;

import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.triggers.TriggerResult;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Event-time firing plus early firings while the window is open. A source that sends a few lines
 * and then goes quiet never moves the watermark past its window, so without early firings its
 * statistics would not appear until more data arrived. Here a window that received lines fires
 * its running totals every {@code interval} of processing time (timers are aligned to the
 * interval, so one timer serves all lines of that interval), and fires once more, complete, when
 * the watermark passes its end. Lines arriving within the allowed lateness fire an update too.
 * With an interval of 0 (bounded runs) it behaves like Flink's EventTimeTrigger.
 */
public class EarlyFiringTrigger extends Trigger<Object, TimeWindow> {
    private final long intervalMs;

    public EarlyFiringTrigger(long intervalMs) {
        this.intervalMs = intervalMs;
    }

    @Override
    public TriggerResult onElement(Object element, long timestamp, TimeWindow window, TriggerContext ctx) {
        boolean late = window.maxTimestamp() <= ctx.getCurrentWatermark();
        if (intervalMs > 0) {
            long now = ctx.getCurrentProcessingTime();
            ctx.registerProcessingTimeTimer(now - (now % intervalMs) + intervalMs);
        } else if (late) {
            return TriggerResult.FIRE;
        }
        if (!late) {
            ctx.registerEventTimeTimer(window.maxTimestamp());
        }
        return TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onEventTime(long time, TimeWindow window, TriggerContext ctx) {
        return time == window.maxTimestamp() ? TriggerResult.FIRE : TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onProcessingTime(long time, TimeWindow window, TriggerContext ctx) {
        return TriggerResult.FIRE;
    }

    @Override
    public void clear(TimeWindow window, TriggerContext ctx) {
        ctx.deleteEventTimeTimer(window.maxTimestamp());
        // Aligned processing-time timers are shared and cheap; one that fires after the window was
        // purged finds no contents and emits nothing.
    }

    @Override
    public String toString() {
        return "EarlyFiringTrigger(" + intervalMs + " ms)";
    }
}
