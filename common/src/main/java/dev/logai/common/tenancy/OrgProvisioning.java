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

    public static NewApiKey createApiKey(Connection c, String orgId, String name) throws SQLException {
        String keyId = Ids.newId("key");
        String plaintext = ApiKeys.generate();
        OrgScope.enter(c, orgId);
        try (PreparedStatement ps =
                c.prepareStatement("insert into api_key (id, org_id, name, hash) values (?, ?, ?, ?)")) {
            ps.setString(1, keyId);
            ps.setString(2, orgId);
            ps.setString(3, name);
            ps.setString(4, ApiKeys.hash(plaintext));
            ps.executeUpdate();
        }
        return new NewApiKey(keyId, plaintext);
    }
}
