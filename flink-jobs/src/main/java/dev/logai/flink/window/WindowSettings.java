package dev.logai.flink.window;

import dev.logai.flink.PipelineOptions;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;

/**
 * How lines are grouped into windows and how long a window waits for stragglers, each source on its
 * own clock ({@link SourceWindows}).
 *
 * @param size tumbling window length
 * @param outOfOrderness how far behind its source's newest line a line may be and still be on time
 * @param allowedLateness how long a complete window still takes updates; later lines are dead letters
 * @param earlyFiring how often open windows publish running totals (zero: only complete windows)
 * @param idleness after this long without lines, a source's clock moves on with the wall clock
 * @param clockTtl how long a quiet source's clock is kept
 */
public record WindowSettings(
        Duration size,
        Duration outOfOrderness,
        Duration allowedLateness,
        Duration earlyFiring,
        Duration idleness,
        Duration clockTtl)
        implements Serializable {

    /** The window settings of a deployment ({@code LOGAI_WINDOW_*}). */
    public static WindowSettings from(Configuration config) {
        return new WindowSettings(
                config.get(PipelineOptions.WINDOW_SIZE),
                config.get(PipelineOptions.WINDOW_OUT_OF_ORDERNESS),
                config.get(PipelineOptions.WINDOW_ALLOWED_LATENESS),
                config.get(PipelineOptions.WINDOW_EARLY_FIRING),
                config.get(PipelineOptions.WINDOW_IDLENESS),
                config.get(PipelineOptions.WINDOW_CLOCK_TTL));
    }

    /** For bounded runs over files: no early firings (the run sees all lines before it reports). */
    public WindowSettings bounded() {
        return new WindowSettings(size, outOfOrderness, allowedLateness, Duration.ZERO, idleness, clockTtl);
    }
}
