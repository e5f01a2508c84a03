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
 * @param notificationState what became of the last transition's notification: {@code sent} (at
 *     least one target got it), {@code failed} (none did), or {@code not_sent_old_data} (decided on
 *     data older than the rule's {@code page_max_age}, so recorded and not sent); null for alerts
 *     recorded before LogAi kept it
 * @param notificationReason why it was not sent ({@code not_sent_old_data}: the data's age and the
 *     rule's limit); null otherwise
 * @param payload the last notification: title, severity, kind, the data's window, bullets, top
 *     lines, dashboard link and every delivery's outcome
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
        String notificationState,
        String notificationReason,
        JsonNode payload,
        Instant updatedAt) {}
