package dev.logai.query;

import java.util.List;

/** The answer of an unpaged list endpoint ({@code /v1/sources}, {@code /v1/alert-rules}): {@code {"items": [...]}}. */
public record Items<T>(List<T> items) {}
