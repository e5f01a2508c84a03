package dev.logai.query.source;

import java.time.Instant;

/**
 * A source with what the pipeline counted for it (JSON as {@code SourceDetail} in
 * docs/openapi.yaml): {@code line_count}, the lines counted in its windows, and {@code late_lines},
 * the lines that came later than the source's own clock allowed (out-of-orderness plus allowed
 * lateness): not in any window's totals, sent to the dead-letter topic, counted here so nothing is
 * dropped unseen. Both over the windows still stored, from the first window in {@code
 * first_window_start} to the newest line seen in {@code last_line_at} (null before any).
 */
public record SourceDetail(
        String id,
        String name,
        String env,
        String parserHint,
        Instant createdAt,
        long lineCount,
        long lateLines,
        Instant firstWindowStart,
        Instant lastLineAt) {}
