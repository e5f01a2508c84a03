package dev.logai.query.apikey;

import dev.logai.common.tenancy.ApiKeys;
import dev.logai.common.tenancy.OrgProvisioning;
import dev.logai.query.OrgJdbc;
import dev.logai.query.SourceChecks;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Repository;

/** API keys of one org. Every call is one org-scoped transaction; row-level security hides other orgs' keys. */
@Repository
class ApiKeyRepository {
    /** Active keys an org may hold: far more than any deployment needs, a bound on what a caller can create. */
    static final int MAX_ACTIVE_KEYS = 200;

    private final OrgJdbc db;

    ApiKeyRepository(OrgJdbc db) {
        this.db = db;
    }

    /** Outcome of a create. */
    sealed interface CreateResult {
        record Created(NewApiKey key) implements CreateResult {}

        record UnknownSource() implements CreateResult {}

        record TooManyKeys() implements CreateResult {}
    }

    /**
     * Creates a key (stored hashed, {@link OrgProvisioning#createApiKey}) unless the org has {@link
     * #MAX_ACTIVE_KEYS} active keys or {@code sourceId} is not one of its sources.
     */
    CreateResult create(
            String orgId, String name, List<String> scopes, String sourceId, Instant expiresAt, String createdBy) {
        return db.inOrgConnection(orgId, (jdbc, connection) -> {
            Integer active = jdbc.sql("select count(*) from api_key where revoked_at is null"
                            + " and (expires_at is null or expires_at > now())")
                    .query(Integer.class)
                    .single();
            if (active >= MAX_ACTIVE_KEYS) {
                return new CreateResult.TooManyKeys();
            }
            if (sourceId != null && !SourceChecks.exists(jdbc, sourceId)) {
                return new CreateResult.UnknownSource();
            }
            OrgProvisioning.NewApiKey key =
                    OrgProvisioning.createApiKey(connection, orgId, name, scopes, sourceId, expiresAt, createdBy);
            Instant createdAt = jdbc.sql("select created_at from api_key where id = :id")
                    .param("id", key.id())
                    .query((rs, n) -> rs.getTimestamp(1).toInstant())
                    .single();
            return new CreateResult.Created(new NewApiKey(
                    key.id(),
                    key.plaintext(),
                    name,
                    ApiKeys.displayPrefix(key.plaintext()),
                    scopes,
                    sourceId,
                    createdAt,
                    expiresAt));
        });
    }

    /** The org's keys, active and revoked, newest first. */
    List<ApiKeyRow> list(String orgId) {
        return db.inOrg(
                orgId,
                jdbc -> jdbc.sql("select id, name, prefix, scopes, source_id, created_at, created_by, last_used_at,"
                                + " expires_at, revoked_at from api_key order by created_at desc, id")
                        .query(ApiKeyRepository::row)
                        .list());
    }

    /**
     * Revokes the key: {@code true} when it was active, {@code false} when already revoked, empty
     * when the org has no such key (another org's included).
     */
    Optional<Boolean> revoke(String orgId, String keyId) {
        return db.inOrg(orgId, jdbc -> {
            Optional<Boolean> active = jdbc.sql("select revoked_at is null from api_key where id = :id for update")
                    .param("id", keyId)
                    .query(Boolean.class)
                    .optional();
            if (active.orElse(false)) {
                jdbc.sql("update api_key set revoked_at = now() where id = :id")
                        .param("id", keyId)
                        .update();
            }
            return active;
        });
    }

    private static ApiKeyRow row(ResultSet rs, int n) throws SQLException {
        Array scopes = rs.getArray("scopes");
        return new ApiKeyRow(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("prefix"),
                Arrays.asList((String[]) scopes.getArray()),
                rs.getString("source_id"),
                instant(rs.getTimestamp("created_at")),
                rs.getString("created_by"),
                instant(rs.getTimestamp("last_used_at")),
                instant(rs.getTimestamp("expires_at")),
                instant(rs.getTimestamp("revoked_at")));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
