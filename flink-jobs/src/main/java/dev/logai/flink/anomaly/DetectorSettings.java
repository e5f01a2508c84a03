package dev.logai.flink.anomaly;

import java.io.Serializable;
import java.util.Locale;

/**
 * How sensitive a detector is. {@code threshold} is the surprise (in robust standard deviations)
 * at which a point scores 0.5 and is labelled anomalous; the rest shape the baseline.
 *
 * @param warmup    points seen before anything is flagged
 * @param clip      residuals beyond this many deviations update the baseline only as if they were
 *                  this large, so an incident cannot drag the baseline towards itself
 * @param threshold surprise at which a point is anomalous (score 0.5)
 */
public record DetectorSettings(int warmup, double clip, double threshold) implements Serializable {

    public static final DetectorSettings MEDIUM = new DetectorSettings(30, 3.0, 4.0);

    /** {@code low}, {@code medium} or {@code high} (the default is medium). */
    public static DetectorSettings forSensitivity(String sensitivity) {
        return switch (sensitivity.trim().toLowerCase(Locale.ROOT)) {
            case "low" -> MEDIUM.withThreshold(6.0);
            case "medium", "" -> MEDIUM;
            case "high" -> MEDIUM.withThreshold(3.0);
            default ->
                throw new IllegalArgumentException(
                        "Unknown anomaly sensitivity '" + sensitivity + "': use low, medium or high");
        };
    }

    public DetectorSettings withThreshold(double t) {
        return new DetectorSettings(warmup, clip, t);
    }
}
