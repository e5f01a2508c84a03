package dev.logai.flink.window;

import java.io.Serializable;
import java.time.Duration;

/** How lines are grouped into windows and how long a window waits for stragglers. */
public record WindowSettings(Duration size, Duration outOfOrderness, Duration allowedLateness, Duration earlyFiring,
        Duration idleness, Duration preAggregation) implements Serializable {

    /** For bounded runs over files: no early firings (the run sees all lines before it reports). */
    public WindowSettings bounded() {
        return new WindowSettings(size, outOfOrderness, allowedLateness, Duration.ZERO, idleness, preAggregation);
    }
}
