package dev.logai.common.web;

import dev.logai.common.auth.AccessTokens;
import dev.logai.common.auth.MemberAuthenticator;
import dev.logai.common.auth.OidcSettings;
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
 * security would not apply to, org-scoped transactions, and authentication: API keys, and people's
 * OIDC access tokens ({@code logai.oidc.*}; off while the issuer is blank).
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
            TenantTransactions db, @Value("${logai.auth.cache-ttl:4s}") Duration cacheTtl) {
        return new ApiKeyAuthenticator(db, cacheTtl);
    }

    @Bean
    OidcSettings oidcSettings(
            @Value("${logai.oidc.issuer:}") String issuer,
            @Value("${logai.oidc.audience:}") String audience,
            @Value("${logai.oidc.jwks-uri:}") String jwksUri,
            @Value("${logai.oidc.claim-namespace:https://logai.dev/}") String claimNamespace,
            @Value("${logai.oidc.email-claim:email}") String emailClaim,
            @Value("${logai.oidc.clock-skew:30s}") Duration clockSkew,
            @Value("${logai.oidc.jwks-cache-ttl:15m}") Duration jwksCacheTtl,
            @Value("${logai.oidc.jwks-refetch-interval:30s}") Duration jwksRefetchInterval) {
        OidcSettings settings = new OidcSettings(
                issuer, audience, jwksUri, claimNamespace, emailClaim, clockSkew, jwksCacheTtl, jwksRefetchInterval);
        if (settings.enabled() && audience.isBlank()) {
            throw new IllegalStateException("LOGAI_OIDC_ISSUER is set but LOGAI_OIDC_AUDIENCE is not: set it to the"
                    + " audience of LogAi's access tokens (Auth0: the API identifier).");
        }
        return settings;
    }

    @Bean
    MemberAuthenticator memberAuthenticator(
            OidcSettings settings, TenantTransactions db, @Value("${logai.auth.cache-ttl:4s}") Duration cacheTtl) {
        return new MemberAuthenticator(settings, settings.enabled() ? new AccessTokens(settings) : null, db, cacheTtl);
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
