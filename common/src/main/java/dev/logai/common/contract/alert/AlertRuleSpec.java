package dev.logai.common.contract.alert;

import java.time.Duration;

/**
 * One alert rule as the query API publishes it on the rules topic ({@code Topics.ALERT_RULES}, key
 * = rule id, a tombstone on delete) and the pipeline reads it: what to watch, where to send, the
 * org it belongs to, its version (an older record never replaces a newer one) and the generic
 * webhook's HMAC-SHA256 signing secret. Wire format: {@link AlertRuleCodec#writeRule}.
 *
 * @param sourceId null: every source of the org
 * @param pageMaxAge notifications are sent only for data whose window ended less than this long
 *     before the job decides (wall clock); older transitions are recorded, not sent. Null: page
 *     for data of any age ({@code "page_max_age": "off"})
 * @param signingSecret never null ("" when the rule has none)
 */
public record AlertRuleSpec(
        String id,
        String orgId,
        String sourceId,
        String name,
        AlertCondition condition,
        AlertChannels channels,
        Duration pageMaxAge,
        boolean active,
        long version,
        String signingSecret) {}
