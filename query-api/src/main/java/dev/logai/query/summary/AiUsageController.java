package dev.logai.query.summary;

import dev.logai.common.plan.Plans;
import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.tenancy.TenantTransactions;
import dev.logai.common.web.ApiProblem;
import dev.logai.query.Callers;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the org's summaries cost this month and the cap it set: {@code GET /v1/ai/usage} (read) and
 * {@code PUT /v1/ai/budget} (write) with {@code {"monthly_usd": 5.0}} (null: back to the plan's)
 * and optionally {@code "share_cache": true}. When the month's spend reaches the budget, the job
 * writes extractive summaries until the month ends.
 */
@RestController
class AiUsageController {
    private final Callers callers;
    private final TenantTransactions db;
    private final Map<String, BigDecimal> planBudgets;

    AiUsageController(Callers callers, TenantTransactions db,
            @Value("${logai.ai.budgets:" + Plans.DEFAULT_AI_BUDGETS + "}") String budgets) {
        this.callers = callers;
        this.db = db;
        this.planBudgets = Plans.parseAiBudgets(budgets);
    }

    /** The PUT body. */
    record BudgetChange(BigDecimal monthlyUsd, Boolean shareCache) {}

    @GetMapping("/v1/ai/usage")
    Map<String, Object> usage(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String auth)
            throws SQLException {
        ApiPrincipal caller = callers.require(auth, "read");
        LocalDate month = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
        return db.inOrg(caller.orgId(), c -> {
            Map<String, Object> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("select plan, ai_budget_usd, ai_cache_shared from org where id = ?")) {
                ps.setString(1, caller.orgId());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    BigDecimal own = rs.getBigDecimal(2);
                    out.put("month", month.toString());
                    out.put("plan", rs.getString(1));
                    out.put("budget_usd", own != null ? own : planBudgets.getOrDefault(rs.getString(1), BigDecimal.ZERO));
                    out.put("budget_source", own != null ? "org" : "plan");
                    out.put("share_cache", rs.getBoolean(3));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select llm_calls, cache_hits, fallbacks, tokens_in, tokens_out,"
                    + " cost_usd from ai_usage where month = ?")) {
                ps.setObject(1, month);
                try (ResultSet rs = ps.executeQuery()) {
                    boolean any = rs.next();
                    out.put("spent_usd", any ? rs.getBigDecimal(6) : BigDecimal.ZERO);
                    out.put("llm_calls", any ? rs.getLong(1) : 0);
                    out.put("cache_hits", any ? rs.getLong(2) : 0);
                    out.put("fallbacks", any ? rs.getLong(3) : 0);
                    out.put("tokens_in", any ? rs.getLong(4) : 0);
                    out.put("tokens_out", any ? rs.getLong(5) : 0);
                }
            }
            return out;
        });
    }

    @PutMapping("/v1/ai/budget")
    Map<String, Object> setBudget(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String auth,
            @RequestBody BudgetChange change) throws SQLException {
        ApiPrincipal caller = callers.require(auth, "write");
        if (change.monthlyUsd() != null && (change.monthlyUsd().signum() < 0
                || change.monthlyUsd().compareTo(new BigDecimal("1000000")) > 0)) {
            throw ApiProblem.badRequest("monthly_usd must be between 0 and 1000000 (USD), or null for the plan's budget");
        }
        db.inOrg(caller.orgId(), c -> {
            try (PreparedStatement ps = c.prepareStatement("update org set ai_budget_usd = ?,"
                    + " ai_cache_shared = coalesce(?, ai_cache_shared) where id = ?")) {
                ps.setBigDecimal(1, change.monthlyUsd());
                ps.setObject(2, change.shareCache());
                ps.setString(3, caller.orgId());
                ps.executeUpdate();
            }
            return null;
        });
        return usage(auth);
    }
}
