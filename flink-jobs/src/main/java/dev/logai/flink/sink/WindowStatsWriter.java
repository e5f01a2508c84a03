package dev.logai.flink.sink;

import dev.logai.flink.window.WindowStats;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService;

/**
 * Upserts window statistics (see {@link BufferedPostgresWriter} for buffering and org scoping).
 *
 * <p>Two guards keep the table right under replays and odd input: a row only replaces one with at
 * least as many lines (a replay after restore briefly recomputes smaller partial totals), and rows
 * of a source that no longer exists are skipped rather than failing the job forever.
 */
class WindowStatsWriter extends BufferedPostgresWriter<WindowStats> {
    static final String UPSERT = "insert into window_stats (org_id, source_id, window_start, window_end, line_count,"
            + " trace_count, debug_count, info_count, warn_count, error_count, fatal_count, unknown_count, error_rate,"
            + " first_ts, last_ts, is_final, latency_count, latency_p50_ms, latency_p95_ms, updated_at)"
            + " select ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now()"
            + " where exists (select 1 from source s where s.org_id = ? and s.id = ?)"
            + " on conflict (org_id, source_id, window_start) do update set"
            + " window_end = excluded.window_end, line_count = excluded.line_count,"
            + " trace_count = excluded.trace_count, debug_count = excluded.debug_count,"
            + " info_count = excluded.info_count, warn_count = excluded.warn_count,"
            + " error_count = excluded.error_count, fatal_count = excluded.fatal_count,"
            + " unknown_count = excluded.unknown_count, error_rate = excluded.error_rate,"
            + " first_ts = excluded.first_ts, last_ts = excluded.last_ts, is_final = excluded.is_final,"
            + " latency_count = excluded.latency_count, latency_p50_ms = excluded.latency_p50_ms,"
            + " latency_p95_ms = excluded.latency_p95_ms, updated_at = now()"
            + " where excluded.line_count >= window_stats.line_count";

    WindowStatsWriter(PostgresSettings settings, ProcessingTimeService timers) {
        super(settings, timers);
    }

    @Override
    String key(WindowStats s) {
        return s.orgId + "/" + s.sourceId + "/" + s.windowStart;
    }

    @Override
    String orgOf(WindowStats s) {
        return s.orgId;
    }

    @Override
    String what() {
        return "window rows";
    }

    @Override
    void writeOrg(Connection c, List<WindowStats> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            for (WindowStats s : rows) {
                bind(ps, s);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void bind(PreparedStatement ps, WindowStats s) throws SQLException {
        ps.setString(1, s.orgId);
        ps.setString(2, s.sourceId);
        ps.setTimestamp(3, new Timestamp(s.windowStart));
        ps.setTimestamp(4, new Timestamp(s.windowEnd));
        ps.setLong(5, s.lines);
        ps.setLong(6, s.trace);
        ps.setLong(7, s.debug);
        ps.setLong(8, s.info);
        ps.setLong(9, s.warn);
        ps.setLong(10, s.error);
        ps.setLong(11, s.fatal);
        ps.setLong(12, s.unknown);
        ps.setDouble(13, s.errorRate);
        ps.setTimestamp(14, new Timestamp(s.firstTs));
        ps.setTimestamp(15, new Timestamp(s.lastTs));
        ps.setBoolean(16, s.complete);
        if (s.latencyCount > 0) {
            ps.setLong(17, s.latencyCount);
            ps.setDouble(18, s.latencyP50Ms);
            ps.setDouble(19, s.latencyP95Ms);
        } else {
            ps.setNull(17, java.sql.Types.BIGINT);
            ps.setNull(18, java.sql.Types.DOUBLE);
            ps.setNull(19, java.sql.Types.DOUBLE);
        }
        ps.setString(20, s.orgId);
        ps.setString(21, s.sourceId);
    }
}
