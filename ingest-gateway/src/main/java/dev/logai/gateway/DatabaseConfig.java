package dev.logai.gateway;

import dev.logai.common.db.DatabaseMigrations;
import dev.logai.common.tenancy.OrgScope;
import dev.logai.common.tenancy.TenantTransactions;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Migrations at start-up (when an owner role is configured) and the org-scoped transaction helper. */
@Configuration
class DatabaseConfig {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseConfig.class);

    @Bean
    TenantTransactions tenantTransactions(DataSource dataSource) {
        return new TenantTransactions(dataSource);
    }

    @Bean
    InitializingBean databaseStartupChecks(GatewaySettings settings, DataSource dataSource,
            org.springframework.core.env.Environment env) {
        return () -> {
            GatewaySettings.Db db = settings.db();
            if (db.adminUser() != null && !db.adminUser().isBlank()) {
                DatabaseMigrations.migrate(env.getRequiredProperty("spring.datasource.url"), db.adminUser(),
                        db.adminPassword(), db.appRole());
            }
            try (Connection c = dataSource.getConnection()) {
                OrgScope.requireRlsApplies(c);
            } catch (SQLException e) {
                // The database may come up after the gateway; requests then answer 503 until it does.
                LOG.warn("Could not check the database role at start-up ({}); will retry on use", e.getMessage());
            }
        };
    }
}
