package dev.logai.flink.upload;

import dev.logai.common.tenancy.OrgScope;
import dev.logai.flink.sink.PostgresSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;

/**
 * Records an upload's progress in Postgres as the application role, one transaction per step, the
 * org set in it (row-level security checks every row): the {@code chunk} row of each step and the
 * {@code upload} row's status and totals. Every write is idempotent — chunk ids derive from the
 * upload and the offset, totals only grow — so a step read again after a failover rewrites the same
 * values.
 */
final class UploadStatus implements AutoCloseable {
    private final PostgresSettings settings;
    private Connection connection;

    UploadStatus(PostgresSettings settings) {
        this.settings = settings;
    }

    /**
     * How many uploads of {@code orgId} may be read at once (its plan's {@code concurrent_uploads});
     * 1 for an org that no longer exists.
     */
    int concurrentUploads(String orgId, dev.logai.common.plan.PlanCatalog catalog) throws SQLException {
        int[] cap = {1};
        inOrg(orgId, c -> {
            dev.logai.common.plan.PlanLimits limits = dev.logai.common.plan.OrgPlans.read(c, orgId, catalog);
            if (limits != null) {
                cap[0] = limits.concurrentUploads();
            }
        });
        return cap[0];
    }

    /** The upload is being read (from {@code queued}; a finished upload stays finished). */
    void started(UploadTask task) throws SQLException {
        inOrg(task.orgId, c -> {
            try (PreparedStatement ps = c.prepareStatement("update upload set status = 'processing',"
                    + " started_at = coalesce(started_at, now()), updated_at = now()"
                    + " where id = ? and status in ('pending', 'queued')")) {
                ps.setString(1, task.uploadId);
                ps.executeUpdate();
            }
        });
    }

    /** One step's chunk and the totals after it. */
    void chunk(UploadProgress p, long offset, long length, long lines, Long tsStart, Long tsEnd) throws SQLException {
        inOrg(p.task.orgId, c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into chunk (id, upload_id, org_id, source_id,"
                    + " \"offset\", length, ts_start, ts_end, line_count) values (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " on conflict (id) do update set length = excluded.length, ts_start = excluded.ts_start,"
                    + " ts_end = excluded.ts_end, line_count = excluded.line_count")) {
                ps.setString(1, chunkId(p.task.uploadId, offset));
                ps.setString(2, p.task.uploadId);
                ps.setString(3, p.task.orgId);
                ps.setString(4, p.task.sourceId);
                ps.setLong(5, offset);
                ps.setLong(6, length);
                setTime(ps, 7, tsStart);
                setTime(ps, 8, tsEnd);
                ps.setLong(9, lines);
                ps.executeUpdate();
            }
            totals(c, p, "status");
        });
    }

    /** Every line was read into the pipeline. */
    void processed(UploadProgress p) throws SQLException {
        inOrg(p.task.orgId, c -> totals(c, p, "'processed', finished_at = now()"));
    }

    /**
     * Reading stopped for good at line-stream offset {@code offset}; the lines before it were read
     * and count.
     */
    void failed(UploadProgress p, String reason, long offset) throws SQLException {
        inOrg(p.task.orgId, c -> {
            totals(c, p, "'failed', finished_at = now()");
            try (PreparedStatement ps =
                    c.prepareStatement("update upload set failure_reason = ?, failure_offset = ? where id = ?")) {
                ps.setString(1, reason.length() > 1000 ? reason.substring(0, 1000) : reason);
                ps.setLong(2, offset);
                ps.setString(3, p.task.uploadId);
                ps.executeUpdate();
            }
        });
    }

    private static void totals(Connection c, UploadProgress p, String status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update upload set status = " + status + ","
                + " bytes_read = greatest(bytes_read, ?), line_count = greatest(line_count, ?),"
                + " truncated_lines = greatest(truncated_lines, ?), ts_start = coalesce(?, ts_start),"
                + " ts_end = coalesce(?, ts_end), updated_at = now() where id = ?")) {
            ps.setLong(1, Math.min(p.objectBytes, p.task.size));
            ps.setLong(2, p.lines);
            ps.setLong(3, p.truncated);
            setTime(ps, 4, p.tsStart);
            setTime(ps, 5, p.tsEnd);
            ps.setString(6, p.task.uploadId);
            ps.executeUpdate();
        }
    }

    /** {@code chk_} and 20 base-32 characters of SHA-256(upload id, offset): the same step, the same row. */
    static String chunkId(String uploadId, long offset) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((uploadId + "@" + offset).getBytes(StandardCharsets.UTF_8));
            String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
            StringBuilder id = new StringBuilder("chk_");
            for (int i = 0; i < 20; i++) {
                id.append(alphabet.charAt((digest[i] & 0xFF) % 32));
            }
            return id.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void setTime(PreparedStatement ps, int index, Long epochMillis) throws SQLException {
        if (epochMillis == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setTimestamp(index, new Timestamp(epochMillis));
        }
    }

    @FunctionalInterface
    private interface Work {
        void run(Connection c) throws SQLException;
    }

    private void inOrg(String orgId, Work work) throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = DriverManager.getConnection(settings.url(), settings.user(), settings.password());
            connection.setAutoCommit(false);
        }
        try {
            OrgScope.enter(connection, orgId);
            work.run(connection);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the connection is broken: it is closed below and opened again next time
            }
            close();
            throw e;
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing a broken connection
            }
            connection = null;
        }
    }
}
