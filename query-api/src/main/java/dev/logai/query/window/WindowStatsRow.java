package dev.logai.query.window;

import java.time.Instant;
import java.util.Map;

/**
 * Statistics of one event-time window of one source (JSON as {@code WindowStats} in
 * docs/openapi.yaml; {@code levels}: line counts per level). {@code isFinal} is false while the window
 * can still receive lines (it is then updated in place as counts grow). {@code lateLines}: lines of
 * this window that came later than their source's clock allowed, not in the counts (dead-lettered).
 * {@code latencyCount}, {@code latencyP50Ms}, {@code latencyP95Ms}: how many of its lines carried a
 * duration, and their median and 95th percentile in milliseconds (±5%); null when none did.
 */
public record WindowStatsRow(
        String sourceId,
        Instant windowStart,
        Instant windowEnd,
        long lineCount,
        Map<String, Long> levels,
        double errorRate,
        Instant firstTs,
        Instant lastTs,
        boolean isFinal,
        long lateLines,
        Instant updatedAt,
        Long latencyCount,
        Double latencyP50Ms,
        Double latencyP95Ms) {}
