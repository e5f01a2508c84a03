package dev.logai.query.usage;

import dev.logai.common.plan.Plans;
import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.web.ApiProblem;
import dev.logai.query.auth.RequiresScope;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/usage} (read; seed spec §3): the org's plan and its limits, this month's (UTC)
 * bytes, lines, requests and uploads against the quota, every day of the month, sources used and
 * allowed, retention, AI spend against the budget, the quota warnings recorded (80%, 100%), the
 * three months before and the upgrade path. Bytes are what the quota counts: streamed bodies after
 * decompression, uploaded files as stored; {@code bytes_received} is what came over the wire.
 */
@RestController
class UsageController {
    private final UsageRepository usage;
    private final Map<String, BigDecimal> aiBudgets;
    private final Clock clock;

    UsageController(
            UsageRepository usage,
            Clock clock,
            @Value("${logai.ai.budgets:" + Plans.DEFAULT_AI_BUDGETS + "}") String budgets) {
        this.usage = usage;
        this.clock = clock;
        this.aiBudgets = Plans.parseAiBudgets(budgets);
    }

    @GetMapping("/v1/usage")
    Map<String, Object> usage(@RequiresScope("read") ApiPrincipal caller) {
        LocalDate month = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).withDayOfMonth(1);
        Map<String, Object> answer = usage.usage(caller.orgId(), month, aiBudgets);
        if (answer == null) {
            throw ApiProblem.unauthorized("This org no longer exists.");
        }
        return answer;
    }
}
