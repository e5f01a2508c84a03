package dev.logai.query.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * An alert rule as the API shows it ({@code AlertRule} in docs/openapi.yaml). {@code condition} and
 * {@code channels} are the stored canonical form ({@link dev.logai.common.contract.alert.AlertRuleCodec}:
 * defaults spelled out, durations as {@code "Nm"}). {@code signingSecret} (HMAC-SHA256 key of the
 * generic webhook's body signature) is shown once, when the rule is created; afterwards only its
 * hint ({@code whsec_…} and the last 4 characters). Null fields are left out of the JSON.
 *
 * @param sourceId null: every source of the org
 * @param pageMaxAge how old a transition's data may be for it to be sent, canonical ({@code "60m"},
 *     {@code "6h"}, {@code "2d"}), or {@code "off"}: page for data of any age
 * @param version 1 when created, +1 on every change
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertRule(
        String id,
        String name,
        String sourceId,
        JsonNode condition,
        JsonNode channels,
        String pageMaxAge,
        boolean isActive,
        long version,
        Instant createdAt,
        Instant updatedAt,
        String signingSecretHint,
        String signingSecret) {

    /** This rule with its full signing secret, for the answer to its creation. */
    AlertRule withSecret(String secret) {
        return new AlertRule(
                id,
                name,
                sourceId,
                condition,
                channels,
                pageMaxAge,
                isActive,
                version,
                createdAt,
                updatedAt,
                signingSecretHint,
                secret);
    }
}
