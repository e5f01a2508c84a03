package dev.logai.query.alert;

import dev.logai.common.web.ApiProblem;
import dev.logai.query.ListQuery;
import dev.logai.query.OrgJdbc;
import dev.logai.query.SqlFilters;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** The alerts the pipeline raised for one org ({@code alert_event}, with the rule's name). */
@Repository
class AlertEventRepository {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final OrgJdbc db;

    AlertEventRepository(OrgJdbc db) {
        this.db = db;
    }

    /**
     * Alerts first seen in the query's range, newest first, at most {@code query.limit()}.
     *
     * @param ruleId null: every rule
     * @param status null: every status
     * @throws dev.logai.common.web.ApiProblem 404 when {@code query.sourceId()} is not the org's, or
     *     when {@code ruleId} is neither one of the org's rules nor the rule of one of its alerts (a
     *     deleted rule's alerts stay listable)
     */
    List<AlertEventRow> list(String orgId, ListQuery query, String ruleId, String status) {
        SqlFilters where = new SqlFilters()
                .and("e.source_id = ?", query.sourceId())
                .and("e.rule_id = ?", ruleId)
                .and("e.status = ?", status)
                .and("e.first_seen >= ?", query.range().since())
                .and("e.first_seen < ?", query.range().until());
        return db.inOrgSource(orgId, query.sourceId(), jdbc -> {
            if (ruleId != null
                    && !jdbc.sql("select exists (select 1 from alert_rule where id = :id)"
                                    + " or exists (select 1 from alert_event where rule_id = :id)")
                            .param("id", ruleId)
                            .query(Boolean.class)
                            .single()) {
                throw ApiProblem.notFound(
                        "Unknown alert rule", "Alert rule '" + ruleId + "' does not exist in your org.");
            }
            return jdbc.sql("select e.id, e.rule_id, r.name as rule_name,"
                            + " e.source_id, e.status, e.first_seen, e.last_sent, e.count,"
                            + " e.payload_json->>'notification_state' as notification_state,"
                            + " e.payload_json->>'notification_reason' as notification_reason,"
                            + " e.payload_json::text as payload,"
                            + " e.updated_at from alert_event e"
                            + " left join alert_rule r on r.org_id = e.org_id and r.id = e.rule_id" + where.sql()
                            + " order by e.first_seen desc, e.id limit ?")
                    .params(where.paramsThen(query.limit()))
                    .query(AlertEventRepository::row)
                    .list();
        });
    }

    private static AlertEventRow row(ResultSet rs, int n) throws SQLException {
        Timestamp lastSent = rs.getTimestamp("last_sent");
        return new AlertEventRow(
                rs.getString("id"),
                rs.getString("rule_id"),
                rs.getString("rule_name"),
                rs.getString("source_id"),
                rs.getString("status"),
                rs.getTimestamp("first_seen").toInstant(),
                lastSent == null ? null : lastSent.toInstant(),
                rs.getInt("count"),
                rs.getString("notification_state"),
                rs.getString("notification_reason"),
                JSON.readTree(rs.getString("payload")),
                rs.getTimestamp("updated_at").toInstant());
    }
}
