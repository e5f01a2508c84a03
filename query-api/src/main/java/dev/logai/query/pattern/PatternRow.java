package dev.logai.query.pattern;

import java.time.Instant;
import java.util.List;

/**
 * One template of a source ({@code template}: variables as {@code <*>}; {@code template_id}: 16 hex
 * digits): {@code total_count} over its life, {@code count} in the requested
 * range, and the per-window counts in that range (oldest first) for a chart. Templates the miner
 * later generalised into this one ({@code merged_from}, their ids) count here: their lines, first
 * appearance and windows are this template's. {@code merged_into}: null for a live template; set
 * when an old id is looked up ({@code GET /v1/patterns/{id}}), naming the template it lives in now.
 */
public record PatternRow(
        String sourceId,
        String templateId,
        String template,
        Instant firstSeen,
        Instant lastSeen,
        long totalCount,
        long count,
        boolean isNew,
        List<String> mergedFrom,
        String mergedInto,
        List<WindowCount> windows) {

    public record WindowCount(Instant windowStart, long count, long errorCount) {}
}
