package dev.logai.query.org;

import dev.logai.common.plan.PlanLimits;
import org.springframework.stereotype.Component;

/** No payment provider: an owner's plan change is approved as asked (self-hosted installs, trials). */
@Component
class ManualPlanChanges implements PlanChanges {
    @Override
    public String approve(String orgId, PlanLimits from, PlanLimits to) {
        return null;
    }
}
