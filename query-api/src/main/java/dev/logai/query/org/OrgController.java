package dev.logai.query.org;

import dev.logai.common.plan.OrgPlans;
import dev.logai.common.plan.PlanCatalog;
import dev.logai.common.plan.PlanLimits;
import dev.logai.common.plan.Plans;
import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.tenancy.Permissions;
import dev.logai.common.web.ApiProblem;
import dev.logai.query.auth.RequiresScope;
import dev.logai.query.retention.ArchiveObjects;
import dev.logai.query.usage.UsageRepository;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The caller's org (seed spec §3, §7):
 *
 * <ul>
 *   <li>{@code GET /v1/org} (read): id, name, plan with its limits, every plan LogAi offers;
 *   <li>{@code PUT /v1/org/plan} {@code {"plan": "starter"}} (owner): changes the plan through
 *       {@link PlanChanges} (no payment provider yet); the new limits apply on this service at once
 *       and on every other within the cache period (4 s). A plan with fewer sources than the org
 *       has is refused (409): delete sources first;
 *   <li>{@code DELETE /v1/org} {@code {"confirm": "<org name>"}} (owner): deletes every row of the
 *       org in every table (the foreign keys cascade from the org row), every object under its
 *       prefix in the archive bucket, and with them its API keys and memberships, at once on this
 *       service; the gateway refuses its keys from the next ingest request (metering reads the org
 *       row) and at the latest after 4 s on other endpoints. The pipeline writes nothing more for
 *       it (every sink checks the source still exists) and its keyed state expires by TTL.
 * </ul>
 */
@RestController
class OrgController {
    private static final Logger LOG = LoggerFactory.getLogger(OrgController.class);

    private final OrgRepository orgs;
    private final PlanCatalog catalog;
    private final OrgPlans plans;
    private final PlanChanges changes;
    private final ArchiveObjects archive;
    private final Clock clock;
    private final Map<String, BigDecimal> aiBudgets;
    private final boolean selfService;

    OrgController(
            OrgRepository orgs,
            PlanCatalog catalog,
            OrgPlans plans,
            PlanChanges changes,
            ArchiveObjects archive,
            Clock clock,
            @Value("${logai.ai.budgets:" + Plans.DEFAULT_AI_BUDGETS + "}") String budgets,
            @Value("${logai.plan.self-service:true}") boolean selfService) {
        this.selfService = selfService;
        this.orgs = orgs;
        this.catalog = catalog;
        this.plans = plans;
        this.changes = changes;
        this.archive = archive;
        this.clock = clock;
        this.aiBudgets = Plans.parseAiBudgets(budgets);
    }

    record PlanChange(String plan) {}

    record DeleteOrg(String confirm) {}

    @GetMapping("/v1/org")
    Map<String, Object> org(@RequiresScope(Permissions.READ) ApiPrincipal caller) {
        return describe(caller.orgId());
    }

    @PutMapping("/v1/org/plan")
    Map<String, Object> changePlan(
            @RequiresScope(Permissions.ORG) ApiPrincipal caller, @RequestBody(required = false) PlanChange body) {
        if (body == null || body.plan() == null || !catalog.exists(body.plan())) {
            throw ApiProblem.badRequest("Send {\"plan\": \"free\"|\"starter\"|\"team\"}: the plan to move to.");
        }
        OrgRepository.Org org = orgs.find(caller.orgId()).orElseThrow(OrgController::gone);
        PlanLimits from = limits(caller.orgId());
        PlanLimits to = catalog.limits(body.plan());
        if (!org.plan().equals(body.plan())) {
            if (!selfService) {
                throw new ApiProblem(
                        402,
                        "Plan changes go through billing",
                        "This LogAi does not let owners change plans themselves; contact your account team"
                                + " (operators: LOGAI_PLAN_SELF_SERVICE).");
            }
            String refusal = changes.approve(caller.orgId(), from, to);
            if (refusal != null) {
                throw new ApiProblem(402, "Plan change not approved", refusal);
            }
            long sources = orgs.setPlanIfSourcesFit(caller.orgId(), body.plan(), to.maxSources(), clock.instant());
            if (sources >= 0) {
                throw new ApiProblem(
                                409,
                                "Too many sources for that plan",
                                "Your org has " + sources + " sources; the " + to.name() + " plan allows "
                                        + to.maxSources() + ". Delete sources first, or pick a larger plan.")
                        .property("sources", sources)
                        .property("max_sources", to.maxSources());
            }
            plans.invalidate(caller.orgId());
            LOG.info("Org {} moved from plan {} to {}", caller.orgId(), org.plan(), body.plan());
        }
        return describe(caller.orgId());
    }

    @DeleteMapping("/v1/org")
    Map<String, Object> delete(
            @RequiresScope(Permissions.ORG) ApiPrincipal caller, @RequestBody(required = false) DeleteOrg body) {
        if (body == null || body.confirm() == null || body.confirm().isBlank()) {
            throw ApiProblem.badRequest("Deleting an org cannot be undone. To confirm, send {\"confirm\":"
                    + " \"<your org's name>\"} (GET /v1/org shows it).");
        }
        Instant now = clock.instant();
        Map<String, Long> rows = orgs.delete(caller.orgId(), body.confirm(), now)
                .orElseThrow(() -> new ApiProblem(
                        409,
                        "Confirmation does not match",
                        "'confirm' must be your org's name exactly (GET /v1/org shows it). Nothing was deleted."));
        plans.invalidate(caller.orgId());
        long objects;
        String objectsError = null;
        try {
            objects = archive.deleteUnder(caller.orgId() + "/", null);
            orgs.recordSweep(caller.orgId(), objects, clock.instant());
        } catch (RuntimeException e) {
            // The rows are gone; the prefix is swept again by every retention run for 7 days.
            LOG.warn(
                    "Org {} deleted; its objects will be removed by the next retention run: {}",
                    caller.orgId(),
                    e.toString());
            objects = 0;
            objectsError = "The object store could not be reached; the org's objects are deleted by the next"
                    + " retention run (within the hour).";
        }
        LOG.info(
                "Org {} deleted by its owner: {} rows, {} objects",
                caller.orgId(),
                rows.values().stream().mapToLong(Long::longValue).sum(),
                objects);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("org_id", caller.orgId());
        answer.put("deleted", true);
        answer.put("rows_deleted", rows);
        answer.put("objects_deleted", objects);
        if (objectsError != null) {
            answer.put("objects_pending", objectsError);
        }
        return answer;
    }

    private Map<String, Object> describe(String orgId) {
        OrgRepository.Org org = orgs.find(orgId).orElseThrow(OrgController::gone);
        PlanLimits limits = limits(orgId);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", org.id());
        out.put("name", org.name());
        out.put("plan", UsageRepository.planJson(limits, aiBudgets.get(limits.plan())));
        out.put("created_at", org.createdAt().toString());
        out.put(
                "plan_changed_at",
                org.planChangedAt() == null ? null : org.planChangedAt().toString());
        List<Map<String, Object>> offered = catalog.all().stream()
                .map(p -> UsageRepository.planJson(p, aiBudgets.get(p.plan())))
                .toList();
        out.put("plans", offered);
        return out;
    }

    private PlanLimits limits(String orgId) {
        try {
            plans.invalidate(orgId);
            return plans.limits(orgId).orElseThrow(OrgController::gone);
        } catch (SQLException e) {
            throw ApiProblem.unavailable("Temporarily unavailable", "Your plan cannot be read right now.", 5);
        }
    }

    private static ApiProblem gone() {
        return ApiProblem.unauthorized("This org no longer exists.");
    }
}
