package dev.logai.query.search;

import dev.logai.query.OrgJdbc;
import dev.logai.query.TimeRange;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Repository;

/**
 * Search across one org's patterns, summaries, anomalies and alerts, under row-level security.
 * Every word of the query must occur (case-insensitively, anywhere) in the matched text; the
 * trigram indexes of migration V20 serve the {@code ILIKE}s.
 */
@Repository
class SearchRepository {
    private final OrgJdbc db;

    SearchRepository(OrgJdbc db) {
        this.db = db;
    }

    /** One searched kind: its table's text column, time column and the select that shapes a hit. */
    private record Kind(String select, String text, String time, String from) {}

    private static final List<Kind> KINDS = List.of(
            new Kind(
                    "select 'pattern' as kind, template_id as id, source_id, left(template, 300) as title,"
                            + " last_seen as at",
                    "template",
                    "last_seen",
                    " from pattern"),
            new Kind(
                    "select 'summary' as kind, id, source_id, left(title, 300) as title,"
                            + " coalesce(window_start, created_at) as at",
                    "title",
                    "coalesce(window_start, created_at)",
                    " from summary"),
            new Kind(
                    "select 'anomaly' as kind, id, source_id, left(explanation ->> 'reason', 300) as title,"
                            + " ts_window as at",
                    "(explanation ->> 'reason')",
                    "ts_window",
                    " from anomaly"),
            new Kind(
                    "select 'alert' as kind, id, source_id, left(payload_json ->> 'title', 300) as title,"
                            + " first_seen as at",
                    "(payload_json ->> 'title')",
                    "first_seen",
                    " from alert_event"));

    /**
     * Hits for every word of {@code words}, newest first, at most {@code limit}.
     *
     * @param sourceId null: every source of the org
     * @throws dev.logai.common.web.ApiProblem 404 when {@code sourceId} is not the org's
     */
    List<SearchHit> search(String orgId, List<String> words, String sourceId, TimeRange range, int limit) {
        StringBuilder sql = new StringBuilder();
        List<Object> params = new ArrayList<>();
        for (Kind kind : KINDS) {
            if (!sql.isEmpty()) {
                sql.append(" union all ");
            }
            sql.append('(').append(kind.select()).append(kind.from()).append(" where true");
            for (String word : words) {
                sql.append(" and ").append(kind.text()).append(" ilike ? escape '\\'");
                params.add("%" + escapeLike(word) + "%");
            }
            if (sourceId != null) {
                sql.append(" and source_id = ?");
                params.add(sourceId);
            }
            if (range.since() != null) {
                sql.append(" and ").append(kind.time()).append(" >= ?");
                params.add(Timestamp.from(range.since()));
            }
            if (range.until() != null) {
                sql.append(" and ").append(kind.time()).append(" < ?");
                params.add(Timestamp.from(range.until()));
            }
            sql.append(" order by at desc limit ?)");
            params.add(limit);
        }
        sql.append(" order by at desc nulls last, kind, id limit ?");
        params.add(limit);
        return db.inOrgSource(
                orgId,
                sourceId,
                jdbc -> jdbc.sql(sql.toString())
                        .params(params)
                        .query(SearchRepository::row)
                        .list());
    }

    /** The word as a literal inside a LIKE pattern: {@code %}, {@code _} and {@code \} escaped. */
    static String escapeLike(String word) {
        return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static SearchHit row(ResultSet rs, int n) throws SQLException {
        Timestamp at = rs.getTimestamp("at");
        return new SearchHit(
                rs.getString("kind"),
                rs.getString("id"),
                rs.getString("source_id"),
                rs.getString("title"),
                at == null ? null : at.toInstant());
    }
}
