package dev.logai.query.window;

import java.time.Instant;
import java.util.Map;

/**
 * Statistics of one event-time window of one source (JSON as {@code WindowStats} in
 * docs/openapi.yaml; {@code levels}: line counts per level). {@code isFinal} is false while the window
 * can still receive lines (it is then updated in place as counts grow). {@code lateLines}: lines of
 * this window that came later than their source's clock allowed, not in the counts (dead-lettered).
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
        Instant updatedAt) {}
