package dev.logai.query.summary;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One summary as served by {@code GET /v1/summaries}: the seed's fields (severity, title, bullets,
 * llm_model, cost_usd), evidence and next steps, the incident's time range and windows, and how it
 * was made (prompt version, tokens, cache hit, partial with the fallback reason, and why that model:
 * {@code model_reason}, e.g. {@code primary}, {@code second: non_urgent}, {@code extractive}).
 */
public record SummaryRow(
        String id,
        String sourceId,
        Instant windowStart,
        Instant windowEnd,
        int windows,
        String trigger,
        String severity,
        String title,
        List<String> bullets,
        List<String> evidence,
        List<String> nextSteps,
        String llmModel,
        BigDecimal costUsd,
        int tokensIn,
        int tokensOut,
        boolean cacheHit,
        boolean partial,
        String fallbackReason,
        String modelReason,
        String promptVersion,
        Instant createdAt,
        Instant updatedAt) {}
