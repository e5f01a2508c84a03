package dev.logai.flink.window;

import dev.logai.flink.PipelineOptions;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;

/** How lines are grouped into windows and how long a window waits for stragglers. */
public record WindowSettings(
        Duration size,
        Duration outOfOrderness,
        Duration allowedLateness,
        Duration earlyFiring,
        Duration idleness,
        Duration preAggregation)
        implements Serializable {

    /** The window settings of a deployment ({@code LOGAI_WINDOW_*}). */
    public static WindowSettings from(Configuration config) {
        return new WindowSettings(
                config.get(PipelineOptions.WINDOW_SIZE),
                config.get(PipelineOptions.WINDOW_OUT_OF_ORDERNESS),
                config.get(PipelineOptions.WINDOW_ALLOWED_LATENESS),
                config.get(PipelineOptions.WINDOW_EARLY_FIRING),
                config.get(PipelineOptions.WINDOW_IDLENESS),
                config.get(PipelineOptions.WINDOW_PRE_AGGREGATION));
    }

    /** For bounded runs over files: no early firings (the run sees all lines before it reports). */
    public WindowSettings bounded() {
        return new WindowSettings(size, outOfOrderness, allowedLateness, Duration.ZERO, idleness, preAggregation);
    }
}
