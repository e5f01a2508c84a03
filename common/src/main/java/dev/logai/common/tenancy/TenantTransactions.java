package dev.logai.common.tenancy;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs database work inside one transaction scoped to one org (see {@link OrgScope}). Every
 * tenant query of the services goes through here, so there is no code path that reads tenant
 * tables without an org set.
 */
public final class TenantTransactions {
    private final DataSource dataSource;

    public TenantTransactions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    public <T> T inOrg(String orgId, Work<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                OrgScope.enter(connection, orgId);
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    /** Work that must run without an org, e.g. resolving an API key; no tenant row is visible. */
    public <T> T withoutOrg(Work<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        }
    }
}
