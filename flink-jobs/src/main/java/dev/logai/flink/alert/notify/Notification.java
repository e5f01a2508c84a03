package dev.logai.flink.alert.notify;

import java.time.Instant;
import java.util.List;

/**
 * One alert transition to tell people about, in every channel's terms: what fired (title,
 * severity, status), why (the summary's bullets), the evidence (top lines, already scrubbed) and
 * where to look (the dashboard link). {@code eventId} is stable for the transition, so a receiver
 * can drop a redelivery.
 *
 * @param status firing, escalated or resolved
 */
public record Notification(
        String eventId,
        String orgId,
        String ruleId,
        String ruleName,
        String sourceId,
        String status,
        String severity,
        String title,
        List<String> bullets,
        List<String> topLines,
        String dashboardUrl,
        Instant at,
        int count) {}
