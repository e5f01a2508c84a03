package dev.logai.query.summary;

import java.math.BigDecimal;

/**
 * What the org's summaries cost in one month against its budget, as {@code GET /v1/ai/usage}
 * answers it. Amounts in USD.
 *
 * @param month the first day of the month (UTC), {@code yyyy-MM-dd}
 * @param budgetSource {@code org} (the org set {@code budgetUsd}) or {@code plan} (its plan's)
 * @param shareCache whether the org shares the prompt cache across orgs
 * @param fallbacks summaries written extractively because of the budget, a timeout or an error
 */
public record AiUsage(
        String month,
        String plan,
        BigDecimal budgetUsd,
        String budgetSource,
        boolean shareCache,
        BigDecimal spentUsd,
        long llmCalls,
        long cacheHits,
        long fallbacks,
        long tokensIn,
        long tokensOut) {}
