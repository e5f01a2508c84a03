package dev.logai.query.alert;

import dev.logai.common.tenancy.Ids;
import dev.logai.query.SourceScopedList;
import dev.logai.query.SourceScopedList.Filters;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code GET /v1/alerts?source_id&rule_id&status&since&until&limit}: the org's alerts as the
 * pipeline raised them (the seed's {@code alert_event}), newest first — status, first seen, last
 * sent, count, and the payload of the last notification: title, severity, bullets, top lines,
 * dashboard link and every delivery's outcome, so a failed delivery is visible, not silent.
 * {@code since}/{@code until} select alerts first seen in the range; row-level security keeps it
 * to the caller's org.
 */
@RestController
class AlertEventController {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Set<String> STATUSES = Set.of("firing", "escalated", "resolved", "triggered");

    private final SourceScopedList lists;

    AlertEventController(SourceScopedList lists) {
        this.lists = lists;
    }

    /** One alert: one rule on one source, for one episode (window rules) or one normalised pattern (pattern rules). */
    record AlertEventRow(String id, String ruleId, String ruleName, String sourceId, String status, Instant firstSeen,
            Instant lastSent, int count, JsonNode payload, Instant updatedAt) {}

    @GetMapping("/v1/alerts")
    Map<String, Object> list(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String auth,
            @RequestParam(name = "source_id", required = false) String sourceId,
            @RequestParam(name = "rule_id", required = false) String ruleId,
            @RequestParam(name = "status", required = false) String status,
            @RequestParam(name = "since", required = false) String since,
            @RequestParam(name = "until", required = false) String until,
            @RequestParam(name = "limit", required = false) Integer limit) throws SQLException {
        if (status != null && !STATUSES.contains(status)) {
            throw AlertRuleRules.bad("'status' must be one of firing, escalated, resolved, triggered");
        }
        if (ruleId != null && !Ids.looksLikeId(ruleId)) {
            throw AlertRuleRules.bad("'rule_id' is not a rule id (rule_…)");
        }
        return lists.list(auth, sourceId, since, until, limit, (c, r) -> SourceScopedList.query(c,
                "select e.id, e.rule_id, r.name, e.source_id, e.status, e.first_seen, e.last_sent, e.count,"
                        + " e.payload_json::text, e.updated_at from alert_event e"
                        + " left join alert_rule r on r.org_id = e.org_id and r.id = e.rule_id",
                new Filters().and("e.source_id = ?", r.sourceId()).and("e.rule_id = ?", ruleId)
                        .and("e.status = ?", status)
                        .and("e.first_seen >= ?", r.range().since()).and("e.first_seen < ?", r.range().until()),
                "order by e.first_seen desc, e.id limit ?", r.limit(),
                rs -> new AlertEventRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getTimestamp(6).toInstant(),
                        rs.getTimestamp(7) == null ? null : rs.getTimestamp(7).toInstant(), rs.getInt(8),
                        JSON.readTree(rs.getString(9)), rs.getTimestamp(10).toInstant())));
    }
}
