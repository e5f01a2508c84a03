package dev.logai.query.source;

import java.time.Instant;

/** A log source of an org: an app, server, container group or CI job that sends lines. */
public record Source(String id, String name, String env, String parserHint, Instant createdAt) {}
