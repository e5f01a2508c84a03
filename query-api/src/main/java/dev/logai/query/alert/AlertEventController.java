package dev.logai.query.alert;

import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.tenancy.Ids;
import dev.logai.common.web.ApiProblem;
import dev.logai.query.ListQuery;
import dev.logai.query.Page;
import dev.logai.query.auth.RequiresScope;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/alerts?source_id&rule_id&status&since&until&limit}: {@code {"items":
 * [AlertEventRow...], "limit"}}, the org's alerts as the pipeline raised them, newest first —
 * status, first seen, last sent, count, what became of the last notification (sent, failed, or
 * not sent because its data was older than the rule's {@code page_max_age}, with the reason) and
 * its payload, so a failed or withheld delivery is visible, not silent. {@code since}/{@code until} select alerts first seen in the
 * range. 400 for an unknown status or a malformed rule id; another org's source is 404.
 */
@RestController
class AlertEventController {
    static final Set<String> STATUSES = Set.of("firing", "escalated", "resolved", "triggered");

    private final AlertEventRepository alerts;

    AlertEventController(AlertEventRepository alerts) {
        this.alerts = alerts;
    }

    @GetMapping("/v1/alerts")
    Page<AlertEventRow> list(
            @RequiresScope("read") ApiPrincipal caller,
            @RequestParam(name = "rule_id", required = false) String ruleId,
            @RequestParam(name = "status", required = false) String status,
            ListQuery query) {
        if (status != null && !STATUSES.contains(status)) {
            throw ApiProblem.badRequest("'status' must be one of firing, escalated, resolved, triggered");
        }
        if (ruleId != null && !Ids.looksLikeId(ruleId)) {
            throw ApiProblem.badRequest("'rule_id' is not a rule id (rule_…)");
        }
        return new Page<>(alerts.list(caller.orgId(), query, ruleId, status), query.limit());
    }
}
