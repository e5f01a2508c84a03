package dev.logai.localstack;

import dev.logai.common.contract.Topics;
import dev.logai.common.db.DatabaseMigrations;
import dev.logai.common.tenancy.OrgProvisioning;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The infrastructure half of LogAi's embedded default: a real Kafka broker, a real Postgres
 * (schema migrated, application role created) and an S3-compatible store, all on 127.0.0.1.
 * Used by {@code ./logai up} (through {@link LocalServicesMain}) and by the integration tests.
 */
public final class LocalStack implements AutoCloseable {
    public static final String RAW_BUCKET = "logai-raw";
    public static final String APP_ROLE = DatabaseMigrations.DEFAULT_APP_ROLE;

    public final EmbeddedPostgresServer postgres;
    public final EmbeddedKafka kafka;
    public final EmbeddedS3 s3;
    public final String appPassword;
    private final String ownerPassword;

    private LocalStack(
            EmbeddedPostgresServer postgres,
            EmbeddedKafka kafka,
            EmbeddedS3 s3,
            String appPassword,
            String ownerPassword) {
        this.postgres = postgres;
        this.kafka = kafka;
        this.s3 = s3;
        this.appPassword = appPassword;
        this.ownerPassword = ownerPassword;
    }

    /** Ports of 0 pick free ones (tests); {@code ./logai up} passes fixed ports. */
    public record Ports(int kafka, int postgres, int s3) {
        public static Ports any() {
            return new Ports(0, 0, 0);
        }
    }

    /**
     * Starts Postgres (its superuser with {@code ownerPassword}, the services' role with {@code
     * appPassword}), Kafka and the object store on {@code dataDir}.
     */
    public static LocalStack start(Path dataDir, Ports ports, String appPassword, String ownerPassword)
            throws Exception {
        return start(dataDir, ports, appPassword, ownerPassword, true);
    }

    /** Without the object store, s3proxy need not be on the classpath (the services' tests). */
    public static LocalStack start(
            Path dataDir, Ports ports, String appPassword, String ownerPassword, boolean withObjectStore)
            throws Exception {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            EmbeddedPostgresServer postgres =
                    EmbeddedPostgresServer.start(dataDir.resolve("postgres"), ports.postgres(), ownerPassword);
            started.add(postgres);
            postgres.ensureLoginRole(APP_ROLE, appPassword);
            DatabaseMigrations.migrate(postgres.jdbcUrl(), EmbeddedPostgresServer.SUPERUSER, ownerPassword, APP_ROLE);

            EmbeddedKafka kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), ports.kafka());
            started.add(kafka);
            kafka.createTopics(4, Topics.RAW_LINES, Topics.DEAD_LETTER, Topics.UPLOADS);

            EmbeddedS3 s3 = withObjectStore ? EmbeddedS3.start(dataDir.resolve("s3"), ports.s3(), RAW_BUCKET) : null;
            return new LocalStack(postgres, kafka, s3, appPassword, ownerPassword);
        } catch (Exception e) {
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    started.get(i).close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** 24 random bytes in hex: a password for a local role. */
    public static String randomPassword() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** A connection as the schema owner, for provisioning and for assertions in tests. */
    public Connection ownerConnection() throws java.sql.SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), EmbeddedPostgresServer.SUPERUSER, ownerPassword);
    }

    /** A connection as the services' role: row-level security applies to it. */
    public Connection appConnection() throws java.sql.SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), APP_ROLE, appPassword);
    }

    /** A ready-to-use tenant: org, source and API key. */
    public record Tenant(String orgId, String sourceId, String apiKey) {
        /** A {@code POST /v1/logs/stream} of {@code body} as plain text lines to this tenant's source. */
        public java.net.http.HttpRequest.Builder streamRequest(String gatewayUrl, byte[] body) {
            return java.net.http.HttpRequest.newBuilder(java.net.URI.create(gatewayUrl + "/v1/logs/stream"))
                    .header("Authorization", "Bearer " + apiKey)
                    .header("X-Source-Id", sourceId)
                    .header("Content-Type", "text/plain")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
        }
    }

    public Tenant createTenant(String orgName, String sourceName) throws java.sql.SQLException {
        try (Connection c = ownerConnection()) {
            c.setAutoCommit(false);
            String orgId = OrgProvisioning.createOrg(c, orgName, "team");
            String sourceId = OrgProvisioning.createSource(c, orgId, sourceName, "production");
            String key = OrgProvisioning.createApiKey(c, orgId, "default").plaintext();
            c.commit();
            return new Tenant(orgId, sourceId, key);
        }
    }

    /**
     * Sets an org's own limits ({@code org.limit_overrides}, the plan settings by name, e.g. {@code
     * {"max_sources": "100"}}), as the owner role: what tests and benchmarks give a tenant beyond
     * its plan.
     */
    public void overrideLimits(String orgId, String overridesJson) throws java.sql.SQLException {
        try (Connection c = ownerConnection();
                java.sql.PreparedStatement ps =
                        c.prepareStatement("update org set limit_overrides = ?::jsonb where id = ?")) {
            ps.setString(1, overridesJson);
            ps.setString(2, orgId);
            ps.executeUpdate();
        }
    }

    @Override
    public void close() throws Exception {
        Exception failure = null;
        for (AutoCloseable c : new AutoCloseable[] {s3, kafka, postgres}) {
            if (c == null) continue;
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) failure = e;
                else failure.addSuppressed(e);
            }
        }
        if (failure != null) throw failure;
    }
}
