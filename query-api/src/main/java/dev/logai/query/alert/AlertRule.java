package dev.logai.query.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * An alert rule as the API shows it. {@code signingSecret} (HMAC-SHA256 key of the generic
 * webhook's body signature) is shown once, when the rule is created; afterwards only its hint.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertRule(String id, String name, String sourceId, JsonNode condition, JsonNode channels, boolean isActive,
        long version, Instant createdAt, Instant updatedAt, String signingSecretHint, String signingSecret) {}
