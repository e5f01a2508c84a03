package dev.logai.common.contract.alert;

/**
 * One alert rule as the query API publishes it on the rules topic ({@code Topics.ALERT_RULES}, key
 * = rule id, a tombstone on delete) and the pipeline reads it: what to watch, where to send, the
 * org it belongs to, its version (an older record never replaces a newer one) and the generic
 * webhook's HMAC-SHA256 signing secret. Wire format: {@link AlertRuleCodec#writeRule}.
 *
 * @param sourceId null: every source of the org
 * @param signingSecret never null ("" when the rule has none)
 */
public record AlertRuleSpec(
        String id,
        String orgId,
        String sourceId,
        String name,
        AlertCondition condition,
        AlertChannels channels,
        boolean active,
        long version,
        String signingSecret) {}
