package dev.logai.query.apikey;

import java.time.Instant;
import java.util.List;

/**
 * An API key as listed: never the key itself, only its {@code prefix} ({@code lgai_} and 6
 * characters). JSON: {@code id, name, prefix, scopes} ({@code ingest}, {@code read}, {@code write}),
 * {@code source_id} (null: any source), {@code created_at}, {@code created_by} (member id or null),
 * {@code last_used_at} (updated at most once per auth cache period), {@code expires_at},
 * {@code revoked_at} (null while active).
 */
public record ApiKeyRow(
        String id,
        String name,
        String prefix,
        List<String> scopes,
        String sourceId,
        Instant createdAt,
        String createdBy,
        Instant lastUsedAt,
        Instant expiresAt,
        Instant revokedAt) {}
