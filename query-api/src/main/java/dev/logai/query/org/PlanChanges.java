package dev.logai.query.org;

import dev.logai.common.plan.PlanLimits;

/**
 * Where a plan change is approved: the one seam a payment provider plugs into (a Stripe
 * subscription update, an invoice) without touching the endpoint. {@link ManualPlanChanges}, the
 * only implementation today, approves every change an owner asks for.
 */
public interface PlanChanges {
    /**
     * Decides whether org {@code orgId} may move from {@code from} to {@code to}; called before the
     * change is stored.
     *
     * @return null when approved, else a sentence saying why not (answered as 402)
     */
    String approve(String orgId, PlanLimits from, PlanLimits to);
}
