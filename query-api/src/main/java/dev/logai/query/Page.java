package dev.logai.query;

import java.util.List;

/**
 * The answer of a list endpoint with a limit: {@code {"items": [...], "limit": n}}, where
 * {@code limit} is the limit applied (fewer items than it: there are no more).
 */
public record Page<T>(List<T> items, int limit) {}
