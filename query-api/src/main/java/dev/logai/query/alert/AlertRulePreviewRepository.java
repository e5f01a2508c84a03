package dev.logai.query.alert;

import dev.logai.common.contract.alert.AlertCondition;
import dev.logai.query.OrgJdbc;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Repository;

/** The stored data a rule preview replays: windows, anomalies and new or matching pattern windows. */
@Repository
class AlertRulePreviewRepository {
    private final OrgJdbc db;

    AlertRulePreviewRepository(OrgJdbc db) {
        this.db = db;
    }

    /** Windows of the range by source, then time; with the count of templates first seen in each. */
    List<RulePreview.Window> windows(
            String orgId, String sourceId, Instant since, Instant until, boolean newTemplates) {
        List<Object> params = new ArrayList<>();
        // templates first seen per window, counted once for the range (not per window) and only when asked
        String fresh = " left join (select null::text as source_id, null::timestamptz as window_start, 0 as n) f"
                + " on false";
        if (newTemplates) {
            fresh = " left join (select source_id, window_start, count(*) as n from pattern_window"
                    + " where is_new and window_start >= ? and window_start < ? group by source_id, window_start) f"
                    + " on f.source_id = w.source_id and f.window_start = w.window_start";
            params.add(Timestamp.from(since));
            params.add(Timestamp.from(until));
        }
        params.add(Timestamp.from(since));
        params.add(Timestamp.from(until));
        String bySource = "";
        if (sourceId != null) {
            bySource = " and w.source_id = ?";
            params.add(sourceId);
        }
        String sql = "select w.source_id, w.window_start, w.line_count, w.error_count + w.fatal_count as errors,"
                + " coalesce(f.n, 0) as new_templates, w.latency_p95_ms"
                + " from window_stats w" + fresh + " where w.window_start >= ? and w.window_start < ?" + bySource
                + " order by w.source_id, w.window_start";
        return db.inOrgSource(
                orgId,
                sourceId,
                jdbc -> jdbc.sql(sql)
                        .params(params)
                        .query((rs, n) -> new RulePreview.Window(
                                rs.getString(1),
                                rs.getTimestamp(2).toInstant(),
                                rs.getLong(3),
                                rs.getLong(4),
                                rs.getLong(5),
                                rs.getObject(6) == null ? Double.NaN : rs.getDouble(6)))
                        .list());
    }

    /** Anomalies matching the condition, oldest first: one firing per (source, window). */
    List<RulePreview.Firing> anomalies(
            String orgId, String sourceId, AlertCondition.Anomaly rule, Instant since, Instant until) {
        List<Object> params = new ArrayList<>(List.of(Timestamp.from(since), Timestamp.from(until), rule.minScore()));
        StringBuilder sql = new StringBuilder("select source_id, ts_window, max(score) from anomaly"
                + " where ts_window >= ? and ts_window < ? and score >= ?");
        if (sourceId != null) {
            sql.append(" and source_id = ?");
            params.add(sourceId);
        }
        if (rule.metric() != null) {
            sql.append(" and metric = ?");
            params.add(rule.metric().wireName());
        }
        if (rule.label() != null) {
            sql.append(" and label = ?");
            params.add(rule.label().wireName());
        }
        sql.append(" group by source_id, ts_window order by ts_window, source_id");
        return db.inOrgSource(
                orgId,
                sourceId,
                jdbc -> jdbc.sql(sql.toString())
                        .params(params)
                        .query((rs, n) -> new RulePreview.Firing(
                                rs.getTimestamp(2).toInstant(), rs.getString(1), rs.getDouble(3)))
                        .list());
    }

    /**
     * Pattern windows matching the condition, oldest first: for {@code new_template}, the window
     * where a template first appeared; for {@code contains} alone, each matching template's first
     * window in the range (the pipeline raises once per template).
     */
    List<RulePreview.Firing> patterns(
            String orgId, String sourceId, AlertCondition.Pattern rule, Instant since, Instant until) {
        List<Object> params = new ArrayList<>(List.of(Timestamp.from(since), Timestamp.from(until)));
        StringBuilder where = new StringBuilder(" where w.window_start >= ? and w.window_start < ?");
        if (sourceId != null) {
            where.append(" and w.source_id = ?");
            params.add(sourceId);
        }
        if (rule.newTemplate()) {
            where.append(" and w.is_new");
        }
        if (rule.contains() != null) {
            where.append(" and p.template ilike ? escape '\\'");
            params.add("%"
                    + rule.contains().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        String sql = "select w.source_id, min(w.window_start) as first_window, sum(w.line_count) as lines"
                + " from pattern_window w join pattern p on p.org_id = w.org_id and p.source_id = w.source_id"
                + " and p.template_id = w.template_id" + where
                + " group by w.source_id, w.template_id order by first_window, w.source_id";
        return db.inOrgSource(
                orgId,
                sourceId,
                jdbc -> jdbc.sql(sql)
                        .params(params)
                        .query((rs, n) -> new RulePreview.Firing(
                                rs.getTimestamp(2).toInstant(), rs.getString(1), rs.getDouble(3)))
                        .list());
    }
}
