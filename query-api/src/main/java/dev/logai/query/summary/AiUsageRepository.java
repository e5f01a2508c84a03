package dev.logai.query.summary;

import dev.logai.query.OrgJdbc;
import java.math.BigDecimal;
import java.sql.Types;
import java.time.LocalDate;
import java.util.Map;
import org.springframework.stereotype.Repository;

/** An org's AI budget settings ({@code org}) and monthly spend ({@code ai_usage}). */
@Repository
class AiUsageRepository {
    private final OrgJdbc db;

    AiUsageRepository(OrgJdbc db) {
        this.db = db;
    }

    /**
     * The org's usage in {@code month}: zeros when nothing was spent yet.
     *
     * @param month the first day of a month
     * @param planBudgets monthly budget per plan name, used when the org set none (unknown plan: 0)
     */
    AiUsage usage(String orgId, LocalDate month, Map<String, BigDecimal> planBudgets) {
        return db.inOrg(orgId, jdbc -> {
            record OrgBudget(String plan, BigDecimal own, boolean shared) {}
            OrgBudget org = jdbc.sql("select plan, ai_budget_usd, ai_cache_shared from org where id = :org")
                    .param("org", orgId)
                    .query((rs, n) -> new OrgBudget(
                            rs.getString("plan"), rs.getBigDecimal("ai_budget_usd"), rs.getBoolean("ai_cache_shared")))
                    .single();
            BigDecimal budget = org.own() != null ? org.own() : planBudgets.getOrDefault(org.plan(), BigDecimal.ZERO);
            String budgetSource = org.own() != null ? "org" : "plan";
            return jdbc.sql("select llm_calls, cache_hits, fallbacks, tokens_in, tokens_out, cost_usd from ai_usage"
                            + " where month = :month")
                    .param("month", month)
                    .query((rs, n) -> new AiUsage(
                            month.toString(),
                            org.plan(),
                            budget,
                            budgetSource,
                            org.shared(),
                            rs.getBigDecimal("cost_usd"),
                            rs.getLong("llm_calls"),
                            rs.getLong("cache_hits"),
                            rs.getLong("fallbacks"),
                            rs.getLong("tokens_in"),
                            rs.getLong("tokens_out")))
                    .optional()
                    .orElseGet(() -> new AiUsage(
                            month.toString(),
                            org.plan(),
                            budget,
                            budgetSource,
                            org.shared(),
                            BigDecimal.ZERO,
                            0,
                            0,
                            0,
                            0,
                            0));
        });
    }

    /**
     * Sets the org's monthly budget and, when {@code shareCache} is not null, its cache opt-in.
     *
     * @param monthlyUsd null: back to the plan's budget
     */
    void setBudget(String orgId, BigDecimal monthlyUsd, Boolean shareCache) {
        db.inOrg(
                orgId,
                jdbc -> jdbc.sql("update org set ai_budget_usd = :budget,"
                                + " ai_cache_shared = coalesce(:share, ai_cache_shared) where id = :org")
                        .param("budget", monthlyUsd, Types.NUMERIC)
                        .param("share", shareCache, Types.BOOLEAN)
                        .param("org", orgId)
                        .update());
    }
}
