package dev.logai.flink.parse;

import dev.logai.flink.PipelineOptions;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;

/**
 * How long a new source's first lines wait while its format is learned (fewer than
 * {@link SourceParser#LEARN_LINES} lines arrived), and how long an event stays open for
 * continuation lines after its last line; {@code boundedInput}: nothing waits by the clock at all
 * (see {@link #bounded()}).
 */
public record ParseSettings(Duration learnWait, Duration multilineFlush, boolean boundedInput) implements Serializable {

    /**
     * For a bounded input read in one go (files in {@code ./logai analyze}): nothing is flushed by
     * the clock — a stall of the reading thread (GC, a busy machine) must not cut an event in two;
     * the next event or the end of the input closes each one.
     */
    public ParseSettings bounded() {
        return new ParseSettings(learnWait, multilineFlush, true);
    }

    /** The parse settings of a deployment ({@code LOGAI_PARSE_*}). */
    public static ParseSettings from(Configuration config) {
        return new ParseSettings(
                config.get(PipelineOptions.PARSE_LEARN_WAIT), config.get(PipelineOptions.PARSE_MULTILINE_FLUSH), false);
    }
}
