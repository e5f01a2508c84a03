package dev.logai.flink.sink;

import dev.logai.flink.window.WindowLateness;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Writes {@link WindowLateness} running totals into {@code window_stats.late_lines}: the count
 * only grows ({@code greatest}), so repeats under at-least-once delivery are harmless; a window
 * with no row yet (all its lines were late) gets one with zero counted lines. Rows of a source that
 * no longer exists are skipped.
 */
public class WindowLatenessSink implements Sink<WindowLateness> {
    private final PostgresSettings settings;

    public WindowLatenessSink(PostgresSettings settings) {
        this.settings = settings;
    }

    @Override
    public SinkWriter<WindowLateness> createWriter(WriterInitContext context) throws IOException {
        return new Writer(settings, context.getProcessingTimeService());
    }

    static final class Writer extends BufferedPostgresWriter<WindowLateness> {
        static final String UPSERT =
                "insert into window_stats (org_id, source_id, window_start, window_end, line_count,"
                        + " error_rate, first_ts, last_ts, is_final, late_lines, updated_at)"
                        + " select ?, ?, ?, ?, 0, 0, ?, ?, true, ?, now()"
                        + " where exists (select 1 from source s where s.org_id = ? and s.id = ?)"
                        + " on conflict (org_id, source_id, window_start) do update set"
                        + " late_lines = greatest(window_stats.late_lines, excluded.late_lines), updated_at = now()";

        Writer(PostgresSettings settings, ProcessingTimeService timers) {
            super(settings, timers);
        }

        @Override
        String key(WindowLateness l) {
            return l.orgId + "/" + l.sourceId + "/" + l.windowStart;
        }

        @Override
        String orgOf(WindowLateness l) {
            return l.orgId;
        }

        @Override
        String what() {
            return "late-line counts";
        }

        @Override
        void writeOrg(Connection c, List<WindowLateness> rows) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
                for (WindowLateness l : rows) {
                    ps.setString(1, l.orgId);
                    ps.setString(2, l.sourceId);
                    ps.setTimestamp(3, new Timestamp(l.windowStart));
                    ps.setTimestamp(4, new Timestamp(l.windowEnd));
                    ps.setTimestamp(5, new Timestamp(l.windowStart));
                    ps.setTimestamp(6, new Timestamp(l.windowStart));
                    ps.setLong(7, l.lateLines);
                    ps.setString(8, l.orgId);
                    ps.setString(9, l.sourceId);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }
}
