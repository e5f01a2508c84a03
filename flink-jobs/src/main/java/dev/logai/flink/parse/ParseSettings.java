package dev.logai.flink.parse;

import dev.logai.flink.PipelineOptions;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;

/**
 * How long a new source's first lines wait while its format is learned (fewer than
 * {@link SourceParser#LEARN_LINES} lines arrived), and how long an event stays open for
 * continuation lines after its last line.
 */
public record ParseSettings(Duration learnWait, Duration multilineFlush) implements Serializable {

    /** The parse settings of a deployment ({@code LOGAI_PARSE_*}). */
    public static ParseSettings from(Configuration config) {
        return new ParseSettings(
                config.get(PipelineOptions.PARSE_LEARN_WAIT), config.get(PipelineOptions.PARSE_MULTILINE_FLUSH));
    }
}
