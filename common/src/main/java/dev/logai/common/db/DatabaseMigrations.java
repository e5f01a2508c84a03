package dev.logai.common.db;

import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned SQL in {@code db/migration} as the schema owner. The application role is
 * a placeholder: migrations grant it table privileges but never ownership, so forced row-level
 * security applies to every query the services make. Flyway takes a Postgres advisory lock, so
 * services starting together migrate once.
 */
public final class DatabaseMigrations {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseMigrations.class);
    public static final String DEFAULT_APP_ROLE = "logai_app";

    private DatabaseMigrations() {}

    public static MigrateResult migrate(String jdbcUrl, String ownerUser, String ownerPassword, String appRole) {
        if (!appRole.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException(
                    "The application role must be a lower-case SQL identifier, got '" + appRole + "'");
        }
        Flyway flyway = Flyway.configure()
                .dataSource(jdbcUrl, ownerUser, ownerPassword)
                .locations("classpath:db/migration")
                .placeholders(Map.of("app_role", appRole))
                .table("logai_schema_history")
                // Features land from parallel branches: a lower version merged later still applies.
                .outOfOrder(true)
                .load();
        MigrateResult result = flyway.migrate();
        LOG.info(
                "Database schema at version {} ({} migrations applied now)",
                result.targetSchemaVersion,
                result.migrationsExecuted);
        return result;
    }
}
