package dev.logai.query.window;

import java.time.Instant;
import java.util.Map;

/**
 * Statistics of one event-time window of one source. {@code isFinal} is false while the window
 * can still receive lines (it is then updated in place as counts grow).
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
        Instant updatedAt) {}
