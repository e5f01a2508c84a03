package dev.logai.query.pattern;

import dev.logai.query.ListQuery;
import dev.logai.query.OrgJdbc;
import dev.logai.query.SqlFilters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Mined templates of one org ({@code pattern}) and their per-window counts ({@code pattern_window}). */
@Repository
class PatternRepository {
    /** Per pattern, at most this many windows (the newest) are returned: a day of 1-minute windows. */
    static final int MAX_WINDOWS_PER_PATTERN = 1440;

    private final OrgJdbc db;

    PatternRepository(OrgJdbc db) {
        this.db = db;
    }

    /**
     * The templates with lines in windows starting in the query's range, most lines in the range
     * first, at most {@code query.limit()}, each with its window counts in the range (oldest first).
     *
     * @throws dev.logai.common.web.ApiProblem 404 when {@code query.sourceId()} is not the org's
     */
    List<PatternRow> list(String orgId, ListQuery query) {
        SqlFilters where = new SqlFilters()
                .and("w.source_id = ?", query.sourceId())
                .and("w.window_start >= ?", query.range().since())
                .and("w.window_start < ?", query.range().until());
        return db.inOrgSource(orgId, query.sourceId(), jdbc -> {
            List<PatternRow> top = top(jdbc, where, query.limit());
            return top.isEmpty() ? top : withWindows(jdbc, where, top);
        });
    }

    private static List<PatternRow> top(JdbcClient jdbc, SqlFilters where, int limit) {
        return jdbc.sql("select p.source_id, p.template_id, p.template, p.first_seen, p.last_seen, p.line_count,"
                        + " sum(w.line_count) as in_range, bool_or(w.is_new) as is_new"
                        + " from pattern_window w join pattern p"
                        + " on p.org_id = w.org_id and p.source_id = w.source_id and p.template_id = w.template_id"
                        + where.sql()
                        + " group by p.source_id, p.template_id, p.template, p.first_seen, p.last_seen, p.line_count"
                        + " order by in_range desc, p.source_id, p.template_id limit ?")
                .params(where.paramsThen(limit))
                .query((rs, n) -> new PatternRow(
                        rs.getString("source_id"),
                        rs.getString("template_id"),
                        rs.getString("template"),
                        rs.getTimestamp("first_seen").toInstant(),
                        rs.getTimestamp("last_seen").toInstant(),
                        rs.getLong("line_count"),
                        rs.getLong("in_range"),
                        rs.getBoolean("is_new"),
                        List.of()))
                .list();
    }

    /** One query for the windows of all the patterns found, newest first per pattern, capped. */
    private static List<PatternRow> withWindows(JdbcClient jdbc, SqlFilters where, List<PatternRow> patterns) {
        StringBuilder ids = new StringBuilder();
        List<Object> params = new ArrayList<>(where.params());
        for (PatternRow p : patterns) {
            ids.append(ids.length() == 0 ? "(?, ?)" : ", (?, ?)");
            params.add(p.sourceId());
            params.add(p.templateId());
        }
        Map<String, List<PatternRow.WindowCount>> bySeries = new HashMap<>();
        jdbc.sql("select source_id, template_id, window_start, line_count, error_count from ("
                        + " select w.*, row_number() over (partition by w.source_id, w.template_id"
                        + " order by w.window_start desc) n from pattern_window w" + where.sql()
                        + " and (w.source_id, w.template_id) in (" + ids + ")) x"
                        + " where n <= " + MAX_WINDOWS_PER_PATTERN + " order by source_id, template_id, window_start")
                .params(params)
                .query(rs -> {
                    Instant start = rs.getTimestamp("window_start").toInstant();
                    bySeries.computeIfAbsent(
                                    rs.getString("source_id") + "/" + rs.getString("template_id"),
                                    k -> new ArrayList<>())
                            .add(new PatternRow.WindowCount(
                                    start, rs.getLong("line_count"), rs.getLong("error_count")));
                });
        return patterns.stream()
                .map(p -> new PatternRow(
                        p.sourceId(),
                        p.templateId(),
                        p.template(),
                        p.firstSeen(),
                        p.lastSeen(),
                        p.totalCount(),
                        p.count(),
                        p.isNew(),
                        bySeries.getOrDefault(p.sourceId() + "/" + p.templateId(), List.of())))
                .toList();
    }
}
