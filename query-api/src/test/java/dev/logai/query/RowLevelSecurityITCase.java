package dev.logai.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logai.common.tenancy.OrgScope;
import dev.logai.localstack.LocalStack;
import dev.logai.localstack.SharedLocalStack;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tenant isolation enforced by Postgres itself, for the role the services connect as. */
class RowLevelSecurityITCase {
    static final LocalStack stack = SharedLocalStack.get(false);
    static LocalStack.Tenant a;
    static LocalStack.Tenant b;

    @BeforeAll
    static void tenants() throws Exception {
        a = stack.createTenant("rls-a", "svc");
        b = stack.createTenant("rls-b", "svc");
    }

    static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void withNoOrgSetTheApplicationRoleSeesNoRows() throws Exception {
        try (Connection c = stack.appConnection()) {
            for (String table : new String[] {"org", "source", "api_key", "window_stats", "summary", "anomaly"}) {
                assertThat(count(c, table)).as(table).isZero();
            }
        }
    }

    @Test
    void scopeLastsOneTransactionAndShowsOnlyThatOrg() throws Exception {
        try (Connection c = stack.appConnection()) {
            c.setAutoCommit(false);
            OrgScope.enter(c, a.orgId());
            assertThat(count(c, "org")).isEqualTo(1);
            try (PreparedStatement ps = c.prepareStatement("select id from source");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    assertThat(rs.getString(1)).isNotEqualTo(b.sourceId());
                }
            }
            c.commit();
            // the same pooled connection, next transaction: the scope must be gone
            assertThat(count(c, "source")).isZero();
            c.commit();
        }
    }

    @Test
    void cannotWriteIntoAnotherOrg() throws Exception {
        try (Connection c = stack.appConnection()) {
            c.setAutoCommit(false);
            OrgScope.enter(c, a.orgId());
            try (PreparedStatement ps =
                    c.prepareStatement("insert into source (id, org_id, name) values ('src_evil', ?, 'evil')")) {
                ps.setString(1, b.orgId());
                assertThatThrownBy(ps::executeUpdate).hasMessageContaining("row-level security");
            }
            c.rollback();
        }
    }

    @Test
    void servicesRefuseRolesThatBypassRls() throws Exception {
        try (Connection owner = stack.ownerConnection()) {
            assertThatThrownBy(() -> OrgScope.requireRlsApplies(owner)).hasMessageContaining("LOGAI_DB_USER");
        }
        try (Connection app = stack.appConnection()) {
            OrgScope.requireRlsApplies(app); // must not throw
        }
    }
}
