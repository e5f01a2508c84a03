package dev.logai.flink.sink;

import dev.logai.flink.window.PatternWindow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService;

/**
 * Writes template counts: first the {@code pattern} row (text; first/last seen only ever widen),
 * then the window's row, which only replaces one with at least as many lines (a replay after a
 * restore briefly recomputes smaller partial totals). A trigger moves the pattern's total by the
 * window's change. Rows of a source that no longer exists are skipped.
 */
class PatternWindowWriter extends BufferedPostgresWriter<PatternWindow> {
    static final String UPSERT_PATTERN = "insert into pattern (org_id, source_id, template_id, template, first_seen,"
            + " last_seen) select ?, ?, ?, ?, ?, ?"
            + " where exists (select 1 from source s where s.org_id = ? and s.id = ?)"
            + " on conflict (org_id, source_id, template_id) do update set"
            + " first_seen = least(pattern.first_seen, excluded.first_seen),"
            + " last_seen = greatest(pattern.last_seen, excluded.last_seen), updated_at = now()";

    static final String UPSERT_WINDOW = "insert into pattern_window (org_id, source_id, template_id, window_start,"
            + " window_end, line_count, error_count, is_new, is_final) select ?, ?, ?, ?, ?, ?, ?, ?, ?"
            + " where exists (select 1 from pattern p where p.org_id = ? and p.source_id = ? and p.template_id = ?)"
            + " on conflict (org_id, source_id, window_start, template_id) do update set"
            + " window_end = excluded.window_end, line_count = excluded.line_count,"
            + " error_count = excluded.error_count, is_new = pattern_window.is_new or excluded.is_new,"
            + " is_final = excluded.is_final, updated_at = now()"
            + " where excluded.line_count >= pattern_window.line_count";

    PatternWindowWriter(PostgresSettings settings, ProcessingTimeService timers) {
        super(settings, timers);
    }

    @Override
    String key(PatternWindow w) {
        return w.orgId + "/" + w.sourceId + "/" + w.templateId + "/" + w.windowStart;
    }

    @Override
    String orgOf(PatternWindow w) {
        return w.orgId;
    }

    @Override
    String what() {
        return "pattern rows";
    }

    @Override
    void writeOrg(Connection c, List<PatternWindow> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPSERT_PATTERN)) {
            for (PatternWindow w : rows) {
                ps.setString(1, w.orgId);
                ps.setString(2, w.sourceId);
                ps.setString(3, w.templateId);
                ps.setString(4, w.template);
                ps.setTimestamp(5, new Timestamp(w.firstTs));
                ps.setTimestamp(6, new Timestamp(w.lastTs));
                ps.setString(7, w.orgId);
                ps.setString(8, w.sourceId);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT_WINDOW)) {
            for (PatternWindow w : rows) {
                ps.setString(1, w.orgId);
                ps.setString(2, w.sourceId);
                ps.setString(3, w.templateId);
                ps.setTimestamp(4, new Timestamp(w.windowStart));
                ps.setTimestamp(5, new Timestamp(w.windowEnd));
                ps.setLong(6, w.lines);
                ps.setLong(7, w.errors);
                ps.setBoolean(8, w.isNew);
                ps.setBoolean(9, w.complete);
                ps.setString(10, w.orgId);
                ps.setString(11, w.sourceId);
                ps.setString(12, w.templateId);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
