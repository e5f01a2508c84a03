package dev.logai.query.alert;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * One alert: one rule on one source, for one episode (window rules) or one normalised pattern
 * (pattern rules), as {@code GET /v1/alerts} serves it.
 *
 * @param ruleName null when the rule was deleted since
 * @param lastSent null until a notification went out
 * @param count breaching windows (window rules) or matching lines (pattern rules)
 * @param payload the last notification: title, severity, kind, bullets, top lines, dashboard link
 *     and every delivery's outcome
 */
public record AlertEventRow(
        String id,
        String ruleId,
        String ruleName,
        String sourceId,
        String status,
        Instant firstSeen,
        Instant lastSent,
        int count,
        JsonNode payload,
        Instant updatedAt) {}
