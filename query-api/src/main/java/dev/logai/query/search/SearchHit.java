package dev.logai.query.search;

import java.time.Instant;

/**
 * One result of {@code GET /v1/search}: what matched, where it lives and when.
 *
 * @param kind {@code pattern}, {@code summary}, {@code anomaly} or {@code alert}
 * @param id the thing's id (a pattern's {@code template_id})
 * @param sourceId its source; null for an alert of an org-wide rule
 * @param title the text that matched (pattern text, summary title, anomaly reason, alert title), at most 300 characters
 * @param at when it happened: a pattern's last line, a summary's window start, an anomaly's window, an alert's first breach
 */
public record SearchHit(String kind, String id, String sourceId, String title, Instant at) {}
