package dev.logai.query.overview;

import java.time.Instant;
import java.util.Map;

/**
 * The lines of one source in one bucket of a histogram: the sum of its one-minute windows that
 * start in {@code [start, start + step)}.
 *
 * @param levels lines per level ({@code trace} … {@code unknown}), in severity order
 */
public record VolumeBucket(Instant start, long lines, long errors, Map<String, Long> levels) {}
