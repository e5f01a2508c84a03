package dev.logai.common.tenancy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Row-level security is keyed on the {@code logai.org_id} setting. It is set per transaction
 * ({@code set_config(..., true)}, i.e. SET LOCAL), never per session: a pooled connection must not
 * carry one tenant's scope into the next borrower's work. With no org set, policies match no row.
 */
public final class OrgScope {
    public static final String SETTING = "logai.org_id";

    private OrgScope() {}

    /** Scopes the current transaction of {@code connection} to {@code orgId}; autocommit must be off. */
    public static void enter(Connection connection, String orgId) throws SQLException {
        if (connection.getAutoCommit()) {
            throw new IllegalStateException(
                    "OrgScope needs a transaction: with autocommit the scope would end" + " after this statement");
        }
        if (orgId == null || orgId.isBlank()) {
            throw new IllegalArgumentException("orgId must be set");
        }
        try (PreparedStatement ps = connection.prepareStatement("select set_config('" + SETTING + "', ?, true)")) {
            ps.setString(1, orgId);
            ps.execute();
        }
    }

    /**
     * Refuses to run as a role for which row-level security would not apply: a superuser, a role
     * with BYPASSRLS, or the owner of a LogAi table.
     */
    public static void requireRlsApplies(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("select r.rolname, r.rolsuper, r.rolbypassrls,"
                        + " exists (select 1 from pg_tables t where t.tableowner = r.rolname"
                        + "         and t.schemaname = current_schema()) as owns_tables"
                        + " from pg_roles r where r.rolname = current_user");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            String role = rs.getString(1);
            if (rs.getBoolean(2) || rs.getBoolean(3) || rs.getBoolean(4)) {
                throw new IllegalStateException("Database role '" + role + "' is a superuser, has BYPASSRLS or"
                        + " owns LogAi tables, so tenant isolation (row-level security) would not apply. Connect"
                        + " the services as the application role (LOGAI_DB_USER) and run migrations as the owner"
                        + " (LOGAI_DB_ADMIN_USER).");
            }
        }
    }
}
