package dev.logai.flink.sink;

import dev.logai.common.tenancy.OrgScope;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
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
 * Buffers the latest row per key (an early firing superseded before the flush is never written)
 * and flushes them in one transaction, org by org: the org is set per transaction with
 * {@link OrgScope}, so row-level security checks every row against the org it claims.
 */
abstract class BufferedPostgresWriter<T> implements SinkWriter<T> {
    private static final Logger LOG = LoggerFactory.getLogger(BufferedPostgresWriter.class);

    private final PostgresSettings settings;
    private final ProcessingTimeService timers;
    private final Map<String, T> buffer = new LinkedHashMap<>();
    private Connection connection;
    private boolean flushScheduled;

    BufferedPostgresWriter(PostgresSettings settings, ProcessingTimeService timers) {
        this.settings = settings;
        this.timers = timers;
    }

    /** Rows with the same key replace each other in the buffer. */
    abstract String key(T row);

    abstract String orgOf(T row);

    /** Writes one org's rows; the connection is in that org's scope and a transaction. */
    abstract void writeOrg(Connection c, List<T> rows) throws SQLException;

    /** What the rows are, for the error message. */
    abstract String what();

    /** The row kept when {@code newer} arrives while {@code older}, of the same key, is buffered. */
    T combine(T older, T newer) {
        return newer;
    }

    @Override
    public void write(T row, Context context) throws IOException {
        buffer.merge(key(row), row, this::combine);
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
        Map<String, List<T>> byOrg = new TreeMap<>();
        for (T row : buffer.values()) {
            byOrg.computeIfAbsent(orgOf(row), k -> new ArrayList<>()).add(row);
        }
        try {
            Connection c = connection();
            try {
                for (Map.Entry<String, List<T>> org : byOrg.entrySet()) {
                    OrgScope.enter(c, org.getKey());
                    writeOrg(c, org.getValue());
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
            throw new IOException(
                    "Writing " + buffer.size() + " " + what() + " to Postgres failed: " + e.getMessage(), e);
        }
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
