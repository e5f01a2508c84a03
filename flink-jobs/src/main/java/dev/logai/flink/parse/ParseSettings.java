package dev.logai.flink.parse;

import java.io.Serializable;
import java.time.Duration;

/**
 * How long a new source's first lines wait while its format is learned (fewer than
 * {@link SourceParser#LEARN_LINES} lines arrived), and how long an event stays open for
 * continuation lines after its last line.
 */
public record ParseSettings(Duration learnWait, Duration multilineFlush) implements Serializable {}
