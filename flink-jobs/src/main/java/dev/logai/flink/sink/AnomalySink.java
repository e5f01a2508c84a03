package dev.logai.flink.sink;

import dev.logai.flink.anomaly.Anomaly;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Upserts {@link Anomaly} rows by their derived id: at-least-once delivery writes each anomaly
 * exactly once. Rows of a source that no longer exists are skipped.
 */
public class AnomalySink implements Sink<Anomaly> {
    private final PostgresSettings settings;

    public AnomalySink(PostgresSettings settings) {
        this.settings = settings;
    }

    @Override
    public SinkWriter<Anomaly> createWriter(WriterInitContext context) throws IOException {
        return new Writer(settings, context.getProcessingTimeService());
    }

    static final class Writer extends BufferedPostgresWriter<Anomaly> {
        static final String UPSERT =
                "insert into anomaly (id, org_id, source_id, ts_window, window_end, metric, service,"
                        + " template_id, observed, baseline, zscore, score, label, explanation, onset)"
                        + " select ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?"
                        + " where exists (select 1 from source s where s.org_id = ? and s.id = ?)"
                        + " on conflict (id) do update set observed = excluded.observed, baseline = excluded.baseline,"
                        + " zscore = excluded.zscore, score = excluded.score, label = excluded.label,"
                        + " explanation = excluded.explanation, onset = excluded.onset, updated_at = now()";

        Writer(PostgresSettings settings, ProcessingTimeService timers) {
            super(settings, timers);
        }

        @Override
        String key(Anomaly a) {
            return a.id;
        }

        @Override
        String orgOf(Anomaly a) {
            return a.orgId;
        }

        @Override
        String what() {
            return "anomalies";
        }

        @Override
        void writeOrg(Connection c, List<Anomaly> rows) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
                for (Anomaly a : rows) {
                    ps.setString(1, a.id);
                    ps.setString(2, a.orgId);
                    ps.setString(3, a.sourceId);
                    ps.setTimestamp(4, new Timestamp(a.windowStart));
                    ps.setTimestamp(5, new Timestamp(a.windowEnd));
                    ps.setString(6, a.metric);
                    ps.setString(7, a.service);
                    ps.setString(8, a.templateId);
                    ps.setDouble(9, a.observed);
                    ps.setDouble(10, a.baseline);
                    if (Double.isFinite(a.zscore)) {
                        ps.setDouble(11, a.zscore);
                    } else {
                        ps.setNull(11, Types.DOUBLE);
                    }
                    ps.setDouble(12, a.score);
                    ps.setString(13, a.label);
                    ps.setString(14, a.explanation);
                    ps.setTimestamp(15, new Timestamp(a.onset > 0 ? a.onset : a.windowStart));
                    ps.setString(16, a.orgId);
                    ps.setString(17, a.sourceId);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }
}
