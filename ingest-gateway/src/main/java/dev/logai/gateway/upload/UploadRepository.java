package dev.logai.gateway.upload;

import dev.logai.common.tenancy.TenantTransactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The gateway's writes to the {@code upload} table, each in one transaction of the caller's org
 * ({@link TenantTransactions}: row-level security applies, another org's upload is invisible).
 */
@Component
class UploadRepository {
    private final TenantTransactions db;

    UploadRepository(TenantTransactions db) {
        this.db = db;
    }

    /** One upload row, as register-upload needs it. */
    record Upload(
            String id,
            String sourceId,
            String objectKey,
            long size,
            String sha256Hex,
            String status,
            String contentEncoding,
            Instant expiresAt) {}

    /** Records the upload an issued URL is for (status {@code pending}). */
    void createPending(
            String orgId,
            String uploadId,
            String sourceId,
            String objectKey,
            long size,
            String sha256Hex,
            String filename,
            String contentType,
            String contentEncoding,
            Instant expiresAt)
            throws SQLException {
        db.inOrg(orgId, c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into upload (id, org_id, source_id, object_key,"
                    + " size, hash, status, filename, content_type, content_encoding, expires_at)"
                    + " values (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)")) {
                ps.setString(1, uploadId);
                ps.setString(2, orgId);
                ps.setString(3, sourceId);
                ps.setString(4, objectKey);
                ps.setLong(5, size);
                ps.setString(6, "sha256:" + sha256Hex);
                ps.setString(7, filename);
                ps.setString(8, contentType);
                ps.setString(9, contentEncoding);
                ps.setTimestamp(10, Timestamp.from(expiresAt));
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** What to do with the upload row once it is locked: decides and returns the answer. */
    @FunctionalInterface
    interface Registration<T> {
        T decide(Upload upload, Queue queue) throws SQLException;
    }

    /** Marks the locked upload queued, within the same transaction. */
    interface Queue {
        void markQueued() throws SQLException;

        /** The transaction's connection (in the org's scope), for work that must commit with it. */
        Connection connection();
    }

    /**
     * Locks the org's upload with {@code objectKey} for the rest of one transaction and lets {@code
     * registration} decide (a second register of the same object waits for the first, then sees it
     * queued); empty when the org has no upload with that key.
     */
    <T> Optional<T> register(String orgId, String objectKey, Registration<T> registration) throws SQLException {
        return db.inOrg(orgId, c -> {
            Upload upload = lock(c, objectKey);
            if (upload == null) {
                return Optional.empty();
            }
            return Optional.ofNullable(registration.decide(upload, new Queue() {
                @Override
                public void markQueued() throws SQLException {
                    UploadRepository.markQueued(c, upload.id());
                }

                @Override
                public Connection connection() {
                    return c;
                }
            }));
        });
    }

    private static Upload lock(Connection c, String objectKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id, source_id, object_key, size, hash, status,"
                + " content_encoding, expires_at from upload where object_key = ? for update")) {
            ps.setString(1, objectKey);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                String hash = rs.getString(5);
                Timestamp expires = rs.getTimestamp(8);
                return new Upload(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getLong(4),
                        hash == null ? null : hash.substring(hash.indexOf(':') + 1),
                        rs.getString(6),
                        rs.getString(7),
                        expires == null ? null : expires.toInstant());
            }
        }
    }

    private static void markQueued(Connection c, String uploadId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update upload set status = 'queued', registered_at = now(),"
                + " updated_at = now() where id = ? and status = 'pending'")) {
            ps.setString(1, uploadId);
            ps.executeUpdate();
        }
    }
}
