package dev.logai.query;

import dev.logai.common.tenancy.TenantTransactions;
import java.sql.SQLException;
import java.util.function.Function;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Component;

/**
 * Spring's {@link JdbcClient} inside {@link TenantTransactions}: each call is one transaction
 * scoped to one org (row-level security set with {@code set_config(..., true)}, so the scope ends
 * with the transaction), and the client runs every statement on that transaction's connection.
 * Work that throws rolls the whole transaction back. Every repository of the query API goes
 * through here.
 */
@Component
public class OrgJdbc {
    private final TenantTransactions db;

    OrgJdbc(TenantTransactions db) {
        this.db = db;
    }

    /**
     * Runs {@code work} in one transaction of {@code orgId}.
     *
     * @throws org.springframework.dao.DataAccessException when the database fails
     */
    public <T> T inOrg(String orgId, Function<JdbcClient, T> work) {
        try {
            // suppressClose: the client must not close the connection TenantTransactions commits.
            return db.inOrg(orgId, c -> work.apply(JdbcClient.create(new SingleConnectionDataSource(c, true))));
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("Org-scoped transaction failed: " + e.getMessage(), e);
        }
    }

    /** Work given both the client and its connection, for helpers written for a JDBC connection. */
    public interface ConnectionWork<T> {
        T run(JdbcClient jdbc, java.sql.Connection connection) throws SQLException;
    }

    /**
     * Like {@link #inOrg}, for work that also calls a helper taking the transaction's connection
     * (such as {@code OrgProvisioning}).
     */
    public <T> T inOrgConnection(String orgId, ConnectionWork<T> work) {
        try {
            return db.inOrg(orgId, c -> work.run(JdbcClient.create(new SingleConnectionDataSource(c, true)), c));
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("Org-scoped transaction failed: " + e.getMessage(), e);
        }
    }

    /**
     * Like {@link #inOrg}, for a list filtered by {@code sourceId}: a source the org does not have
     * (another org's included) is a 404 {@link SourceChecks#unknown}, not an empty list.
     *
     * @param sourceId null: no source filter
     */
    public <T> T inOrgSource(String orgId, String sourceId, Function<JdbcClient, T> work) {
        SourceChecks.requireWellFormed(sourceId);
        return inOrg(orgId, jdbc -> {
            if (sourceId != null && !SourceChecks.exists(jdbc, sourceId)) {
                throw SourceChecks.unknown(sourceId);
            }
            return work.apply(jdbc);
        });
    }
}
