package dev.logai.query.apikey;

import java.time.Instant;
import java.util.List;

/**
 * The answer to {@code POST /v1/api-keys}: the only time the {@code key} itself is shown. JSON:
 * {@code id, key, name, prefix, scopes, source_id, created_at, expires_at}.
 */
public record NewApiKey(
        String id,
        String key,
        String name,
        String prefix,
        List<String> scopes,
        String sourceId,
        Instant createdAt,
        Instant expiresAt) {}
