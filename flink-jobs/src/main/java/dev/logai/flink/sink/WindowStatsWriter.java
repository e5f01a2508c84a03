package dev.logai.flink.sink;

import dev.logai.common.tenancy.OrgScope;
import dev.logai.flink.window.WindowStats;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers the latest totals per window (an early firing superseded before the flush is never
 * written) and flushes them in one transaction, org by org: the org is set per transaction with
 * {@link OrgScope}, so row-level security checks every row against the org it claims.
 *
 * <p>Two guards keep the table right under replays and odd input: a row only replaces one with at
 * least as many lines (a replay after restore briefly recomputes smaller partial totals), and rows
 * of a source that no longer exists are skipped rather than failing the job forever.
 */
class WindowStatsWriter implements SinkWriter<WindowStats> {
    private static final Logger LOG = LoggerFactory.getLogger(WindowStatsWriter.class);

    static final String UPSERT = "insert into window_stats (org_id, source_id, window_start, window_end, line_count,"
            + " trace_count, debug_count, info_count, warn_count, error_count, fatal_count, unknown_count, error_rate,"
            + " first_ts, last_ts, is_final, updated_at)"
            + " select ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now()"
            + " where exists (select 1 from source s where s.org_id = ? and s.id = ?)"
            + " on conflict (org_id, source_id, window_start) do update set"
            + " window_end = excluded.window_end, line_count = excluded.line_count,"
            + " trace_count = excluded.trace_count, debug_count = excluded.debug_count,"
            + " info_count = excluded.info_count, warn_count = excluded.warn_count,"
            + " error_count = excluded.error_count, fatal_count = excluded.fatal_count,"
            + " unknown_count = excluded.unknown_count, error_rate = excluded.error_rate,"
            + " first_ts = excluded.first_ts, last_ts = excluded.last_ts, is_final = excluded.is_final,"
            + " updated_at = now()"
            + " where excluded.line_count >= window_stats.line_count";

    private final PostgresSettings settings;
    private final ProcessingTimeService timers;
    private final Map<String, WindowStats> buffer = new LinkedHashMap<>();
    private Connection connection;
    private boolean flushScheduled;

    WindowStatsWriter(PostgresSettings settings, ProcessingTimeService timers) {
        this.settings = settings;
        this.timers = timers;
    }

    @Override
    public void write(WindowStats stats, Context context) throws IOException {
        buffer.put(stats.orgId + "/" + stats.sourceId + "/" + stats.windowStart, stats);
        if (buffer.size() >= settings.maxBufferedRows()) {
            flushBuffer();
        } else if (!flushScheduled) {
            flushScheduled = true;
            timers.registerTimer(timers.getCurrentProcessingTime() + settings.flushIntervalMs(), time -> {
                flushScheduled = false;
                flushBuffer();
            });
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
        flushBuffer();
    }

    private void flushBuffer() throws IOException {
        if (buffer.isEmpty()) {
            return;
        }
        Map<String, List<WindowStats>> byOrg = new TreeMap<>();
        for (WindowStats s : buffer.values()) {
            byOrg.computeIfAbsent(s.orgId, k -> new ArrayList<>()).add(s);
        }
        try {
            Connection c = connection();
            try {
                for (Map.Entry<String, List<WindowStats>> org : byOrg.entrySet()) {
                    OrgScope.enter(c, org.getKey());
                    try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
                        for (WindowStats s : org.getValue()) {
                            bind(ps, s);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
            buffer.clear();
        } catch (SQLException e) {
            closeQuietly();
            // Failing here fails the task; Flink restarts from the last checkpoint and the buffer's
            // windows are recomputed, so nothing is lost while Postgres is unavailable.
            throw new IOException("Writing " + buffer.size() + " window rows to Postgres failed: " + e.getMessage(), e);
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
        ps.setString(17, s.orgId);
        ps.setString(18, s.sourceId);
    }

    private Connection connection() throws SQLException {
        if (connection == null || !connection.isValid(2)) {
            closeQuietly();
            connection = DriverManager.getConnection(settings.url(), settings.user(), settings.password());
            connection.setAutoCommit(false);
            OrgScope.requireRlsApplies(connection);
            connection.commit();
        }
        return connection;
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("Ignoring error while closing a broken connection", e);
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
