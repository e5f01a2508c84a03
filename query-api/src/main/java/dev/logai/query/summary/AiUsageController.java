package dev.logai.query.summary;

import dev.logai.common.plan.Plans;
import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.tenancy.Permissions;
import dev.logai.common.web.ApiProblem;
import dev.logai.query.auth.RequiresScope;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the org's summaries cost this month and the cap it set: {@code GET /v1/ai/usage} (read) and
 * {@code PUT /v1/ai/budget} (write) with {@code {"monthly_usd": 5.0}} (null: back to the plan's)
 * and optionally {@code "share_cache": true}. When the month's spend reaches the budget, the job
 * writes extractive summaries until the month ends.
 */
@RestController
class AiUsageController {
    static final BigDecimal MAX_BUDGET_USD = new BigDecimal("1000000");

    private final AiUsageRepository usage;
    private final Map<String, BigDecimal> planBudgets;

    AiUsageController(
            AiUsageRepository usage, @Value("${logai.ai.budgets:" + Plans.DEFAULT_AI_BUDGETS + "}") String budgets) {
        this.usage = usage;
        this.planBudgets = Plans.parseAiBudgets(budgets);
    }

    /** The PUT body; amounts in USD. */
    record BudgetChange(BigDecimal monthlyUsd, Boolean shareCache) {}

    /** This month's (UTC) usage of the caller's org. */
    @GetMapping("/v1/ai/usage")
    AiUsage usage(@RequiresScope("read") ApiPrincipal caller) {
        return usage.usage(caller.orgId(), thisMonth(), planBudgets);
    }

    /** Changes the budget and answers the usage after the change; 400 when the amount is out of range. */
    @PutMapping("/v1/ai/budget")
    AiUsage setBudget(@RequiresScope(Permissions.BUDGET) ApiPrincipal caller, @RequestBody BudgetChange change) {
        if (change.monthlyUsd() != null
                && (change.monthlyUsd().signum() < 0 || change.monthlyUsd().compareTo(MAX_BUDGET_USD) > 0)) {
            throw ApiProblem.badRequest(
                    "monthly_usd must be between 0 and 1000000 (USD), or null for the plan's budget");
        }
        usage.setBudget(caller.orgId(), change.monthlyUsd(), change.shareCache());
        return usage.usage(caller.orgId(), thisMonth(), planBudgets);
    }

    private static LocalDate thisMonth() {
        return LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
    }
}
