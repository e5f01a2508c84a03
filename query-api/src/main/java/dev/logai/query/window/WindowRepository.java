package dev.logai.query.window;

import dev.logai.query.ListQuery;
import dev.logai.query.OrgJdbc;
import dev.logai.query.SqlFilters;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Repository;

/** Window statistics of one org ({@code window_stats}), read under row-level security. */
@Repository
class WindowRepository {
    /** Level names as in the JSON, in severity order; column {@code <level>_count}. */
    static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error", "fatal", "unknown");

    private final OrgJdbc db;

    WindowRepository(OrgJdbc db) {
        this.db = db;
    }

    /**
     * Windows whose start is in the query's range, newest first, at most {@code query.limit()}.
     *
     * @throws dev.logai.common.web.ApiProblem 404 when {@code query.sourceId()} is not the org's
     */
    List<WindowStatsRow> list(String orgId, ListQuery query) {
        SqlFilters where = new SqlFilters()
                .and("source_id = ?", query.sourceId())
                .and("window_start >= ?", query.range().since())
                .and("window_start < ?", query.range().until());
        return db.inOrgSource(
                orgId,
                query.sourceId(),
                jdbc -> jdbc.sql("select source_id, window_start,"
                                + " window_end, line_count, trace_count, debug_count, info_count, warn_count, error_count,"
                                + " fatal_count, unknown_count, error_rate, first_ts, last_ts, is_final, late_lines, updated_at,"
                                + " latency_count, latency_p50_ms, latency_p95_ms"
                                + " from window_stats" + where.sql() + " order by window_start desc, source_id limit ?")
                        .params(where.paramsThen(query.limit()))
                        .query(WindowRepository::row)
                        .list());
    }

    private static WindowStatsRow row(ResultSet rs, int n) throws SQLException {
        Map<String, Long> levels = new LinkedHashMap<>();
        for (String level : LEVELS) {
            levels.put(level, rs.getLong(level + "_count"));
        }
        return new WindowStatsRow(
                rs.getString("source_id"),
                rs.getTimestamp("window_start").toInstant(),
                rs.getTimestamp("window_end").toInstant(),
                rs.getLong("line_count"),
                levels,
                rs.getDouble("error_rate"),
                rs.getTimestamp("first_ts").toInstant(),
                rs.getTimestamp("last_ts").toInstant(),
                rs.getBoolean("is_final"),
                rs.getLong("late_lines"),
                rs.getTimestamp("updated_at").toInstant(),
                rs.getObject("latency_count", Long.class),
                rs.getObject("latency_p50_ms", Double.class),
                rs.getObject("latency_p95_ms", Double.class));
    }
}
