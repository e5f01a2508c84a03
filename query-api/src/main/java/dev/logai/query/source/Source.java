package dev.logai.query.source;

import java.time.Instant;

/**
 * A log source of an org: an app, server, container group or CI job that sends lines. JSON:
 * {@code id, name, env, parser_hint} (null: detected), {@code created_at}.
 */
public record Source(String id, String name, String env, String parserHint, Instant createdAt) {}
