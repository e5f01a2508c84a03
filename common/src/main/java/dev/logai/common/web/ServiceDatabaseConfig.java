package dev.logai.common.web;

import dev.logai.common.db.DatabaseMigrations;
import dev.logai.common.tenancy.ApiKeyAuthenticator;
import dev.logai.common.tenancy.OrgScope;
import dev.logai.common.tenancy.TenantTransactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Database wiring every LogAi Spring service shares: migrations at start-up (only when an owner
 * role is configured, {@code LOGAI_DB_ADMIN_USER}), a refusal to run as a role that row-level
 * security would not apply to, org-scoped transactions, and API-key authentication.
 */
@Configuration
public class ServiceDatabaseConfig {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceDatabaseConfig.class);

    @Bean
    TenantTransactions tenantTransactions(DataSource dataSource) {
        return new TenantTransactions(dataSource);
    }

    @Bean
    ApiKeyAuthenticator apiKeyAuthenticator(
            TenantTransactions db, @Value("${logai.auth.cache-ttl:60s}") Duration cacheTtl) {
        return new ApiKeyAuthenticator(db, cacheTtl);
    }

    @Bean
    InitializingBean databaseStartupChecks(
            DataSource dataSource,
            @Value("${spring.datasource.url}") String url,
            @Value("${logai.db.admin-user:}") String adminUser,
            @Value("${logai.db.admin-password:}") String adminPassword,
            @Value("${logai.db.app-role:" + DatabaseMigrations.DEFAULT_APP_ROLE + "}") String appRole) {
        return () -> {
            if (!adminUser.isBlank()) {
                DatabaseMigrations.migrate(url, adminUser, adminPassword, appRole);
            }
            try (Connection c = dataSource.getConnection()) {
                OrgScope.requireRlsApplies(c);
            } catch (SQLException e) {
                // The database may come up after the service; requests answer 503 until it does.
                LOG.warn("Could not check the database role at start-up ({}); requests will retry", e.getMessage());
            }
        };
    }
}
