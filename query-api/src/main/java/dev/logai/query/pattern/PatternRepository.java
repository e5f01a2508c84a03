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

    /** A window row's template as it lives now: its own id, or the one it was generalised into. */
    static final String LIVE_ID = "coalesce(m.into_id, w.template_id)";

    static final String MERGED_WINDOWS = " from pattern_window w left join pattern_merge m"
            + " on m.org_id = w.org_id and m.source_id = w.source_id and m.from_id = w.template_id";

    /** Per live pattern: the templates generalised into it, their lines and first appearance. */
    static final String MERGED_INTO_P = " left join lateral (select sum(q.line_count) as lines,"
            + " min(q.first_seen) as first_seen, array_agg(mm.from_id order by mm.from_id) as ids"
            + " from pattern_merge mm left join pattern q on q.org_id = mm.org_id and q.source_id = mm.source_id"
            + " and q.template_id = mm.from_id"
            + " where mm.org_id = p.org_id and mm.source_id = p.source_id and mm.into_id = p.template_id) g on true";

    private static List<PatternRow> top(JdbcClient jdbc, SqlFilters where, int limit) {
        return jdbc.sql("select p.source_id, p.template_id, p.template,"
                        + " least(p.first_seen, g.first_seen) as first_seen, p.last_seen,"
                        + " p.line_count + coalesce(g.lines, 0) as line_count, g.ids as merged_from,"
                        + " sum(w.line_count) as in_range, bool_or(w.is_new) as is_new"
                        + MERGED_WINDOWS
                        + " join pattern p on p.org_id = w.org_id and p.source_id = w.source_id and p.template_id = "
                        + LIVE_ID
                        + MERGED_INTO_P
                        + where.sql()
                        + " group by p.org_id, p.source_id, p.template_id, p.template, p.first_seen, p.last_seen,"
                        + " p.line_count, g.lines, g.first_seen, g.ids"
                        + " order by in_range desc, p.source_id, p.template_id limit ?")
                .params(where.paramsThen(limit))
                .query((rs, n) -> row(rs, rs.getLong("in_range"), rs.getBoolean("is_new"), null))
                .list();
    }

    private static PatternRow row(java.sql.ResultSet rs, long inRange, boolean isNew, String mergedInto)
            throws java.sql.SQLException {
        java.sql.Array ids = rs.getArray("merged_from");
        return new PatternRow(
                rs.getString("source_id"),
                rs.getString("template_id"),
                rs.getString("template"),
                rs.getTimestamp("first_seen").toInstant(),
                rs.getTimestamp("last_seen").toInstant(),
                rs.getLong("line_count"),
                inRange,
                isNew,
                ids == null ? List.of() : List.of((String[]) ids.getArray()),
                mergedInto,
                List.of());
    }

    /**
     * One template of a source by id, an old id included: the pattern it lives in now, with that
     * pattern's life totals ({@code count} = {@code total_count}; no windows), and {@code
     * merged_into} set when {@code templateId} was generalised into it.
     *
     * @throws dev.logai.common.web.ApiProblem 404 when the source is not the org's or the id unknown
     */
    java.util.Optional<PatternRow> find(String orgId, String sourceId, String templateId) {
        return db.inOrgSource(
                orgId,
                sourceId,
                jdbc -> jdbc.sql("select p.source_id, p.template_id, p.template,"
                                + " least(p.first_seen, g.first_seen) as first_seen, p.last_seen,"
                                + " p.line_count + coalesce(g.lines, 0) as line_count, g.ids as merged_from,"
                                + " m.into_id as merged_into"
                                + " from (select ? as source_id, ? as template_id) w left join pattern_merge m"
                                + " on m.source_id = w.source_id and m.from_id = w.template_id"
                                + " join pattern p on p.source_id = w.source_id and p.template_id = "
                                + LIVE_ID
                                + MERGED_INTO_P)
                        .params(sourceId, templateId)
                        .query((rs, n) -> row(rs, rs.getLong("line_count"), false, rs.getString("merged_into")))
                        .optional());
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
        // A generalised template's windows add to the live one's, window by window.
        jdbc.sql("select source_id, template_id, window_start, line_count, error_count from ("
                        + " select w.source_id, " + LIVE_ID + " as template_id, w.window_start,"
                        + " sum(w.line_count) as line_count, sum(w.error_count) as error_count,"
                        + " row_number() over (partition by w.source_id, " + LIVE_ID
                        + " order by w.window_start desc) n" + MERGED_WINDOWS + where.sql()
                        + " and (w.source_id, " + LIVE_ID + ") in (" + ids + ")"
                        + " group by w.source_id, " + LIVE_ID + ", w.window_start) x"
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
                        p.mergedFrom(),
                        p.mergedInto(),
                        bySeries.getOrDefault(p.sourceId() + "/" + p.templateId(), List.of())))
                .toList();
    }
}
