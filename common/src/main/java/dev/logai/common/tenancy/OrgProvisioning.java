package dev.logai.common.tenancy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Creating orgs, their first sources and API keys: administrative work done with a connection the
 * caller controls (the local bootstrap, tests, later the sign-up flow). Each call runs in the
 * connection's current transaction, scoped to the org it writes.
 */
public final class OrgProvisioning {
    private OrgProvisioning() {}

    public record NewApiKey(String id, String plaintext) {}

    public static String createOrg(Connection c, String name, String plan) throws SQLException {
        String orgId = Ids.newId("org");
        OrgScope.enter(c, orgId);
        try (PreparedStatement ps = c.prepareStatement("insert into org (id, name, plan) values (?, ?, ?)")) {
            ps.setString(1, orgId);
            ps.setString(2, name);
            ps.setString(3, plan);
            ps.executeUpdate();
        }
        return orgId;
    }

    public static String createSource(Connection c, String orgId, String name, String env) throws SQLException {
        String sourceId = Ids.newId("src");
        OrgScope.enter(c, orgId);
        try (PreparedStatement ps =
                c.prepareStatement("insert into source (id, org_id, name, env) values (?, ?, ?, ?)")) {
            ps.setString(1, sourceId);
            ps.setString(2, orgId);
            ps.setString(3, name);
            ps.setString(4, env);
            ps.executeUpdate();
        }
        return sourceId;
    }

    /** A key with every scope ({@code ingest}, {@code read}, {@code write}) for any source, never expiring. */
    public static NewApiKey createApiKey(Connection c, String orgId, String name) throws SQLException {
        return createApiKey(c, orgId, name, Permissions.KEY_SCOPES, null, null, null);
    }

    /**
     * Creates an API key of {@code orgId}; the plaintext is returned once and stored only hashed
     * ({@link ApiKeys#hash}), with its {@link ApiKeys#displayPrefix}.
     *
     * @param scopes values of {@link Permissions#KEY_SCOPES}
     * @param sourceId the one source the key may send to, or null for any
     * @param expiresAt when the key stops working, or null for never
     * @param createdBy the member who made it ({@code app_user.id}), or null
     * @throws SQLException when the database refuses it (unknown source: a foreign-key violation)
     */
    public static NewApiKey createApiKey(
            Connection c,
            String orgId,
            String name,
            java.util.List<String> scopes,
            String sourceId,
            java.time.Instant expiresAt,
            String createdBy)
            throws SQLException {
        String keyId = Ids.newId("key");
        String plaintext = ApiKeys.generate();
        OrgScope.enter(c, orgId);
        try (PreparedStatement ps = c.prepareStatement("insert into api_key (id, org_id, name, hash, prefix, scopes,"
                + " source_id, expires_at, created_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, keyId);
            ps.setString(2, orgId);
            ps.setString(3, name);
            ps.setString(4, ApiKeys.hash(plaintext));
            ps.setString(5, ApiKeys.displayPrefix(plaintext));
            ps.setArray(6, c.createArrayOf("text", scopes.toArray()));
            ps.setString(7, sourceId);
            ps.setTimestamp(8, expiresAt == null ? null : java.sql.Timestamp.from(expiresAt));
            ps.setString(9, createdBy);
            ps.executeUpdate();
        }
        return new NewApiKey(keyId, plaintext);
    }
}
