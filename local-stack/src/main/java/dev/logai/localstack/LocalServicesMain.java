package dev.logai.localstack;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of the infrastructure process that {@code ./logai up} starts: brings up the
 * {@link LocalStack} under {@code .logai/}, provisions the local org, source and API key once,
 * writes the endpoints to {@code .logai/services.env} and the tenant to {@code .logai/tenant.env},
 * then runs until it is stopped (SIGINT/SIGTERM stop everything cleanly).
 *
 * <p>Usage: {@code LocalServicesMain DATA_DIR KAFKA_PORT POSTGRES_PORT S3_PORT}
 */
public final class LocalServicesMain {
    public static final String READY_LINE = "LOGAI-LOCAL-SERVICES-READY";

    private LocalServicesMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: LocalServicesMain DATA_DIR KAFKA_PORT POSTGRES_PORT S3_PORT");
            System.exit(2);
        }
        Path dataDir = Path.of(args[0]).toAbsolutePath();
        LocalStack.Ports ports =
                new LocalStack.Ports(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        FreePorts.requireFree(ports.kafka(), "Kafka");
        FreePorts.requireFree(ports.postgres(), "Postgres");
        FreePorts.requireFree(ports.s3(), "object store");

        Files.createDirectories(dataDir);
        String appPassword = readOrCreateSecret(dataDir.resolve("secrets").resolve("app-db-password"));
        // The superuser's password only ever sits in this file (0600); nothing else needs it.
        String ownerPassword = readOrCreateSecret(dataDir.resolve("secrets").resolve("postgres-superuser-password"));
        LocalStack stack = LocalStack.start(dataDir, ports, appPassword, ownerPassword);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                stack.close();
                            } catch (Exception e) {
                                System.err.println("Error while stopping the local stack: " + e);
                            }
                            stopped.countDown();
                        },
                        "local-stack-shutdown"));

        Map<String, String> services = new LinkedHashMap<>();
        services.put("LOGAI_KAFKA_BOOTSTRAP", stack.kafka.bootstrapServers());
        services.put("LOGAI_DB_URL", stack.postgres.jdbcUrl());
        services.put("LOGAI_DB_USER", LocalStack.APP_ROLE);
        services.put("LOGAI_DB_PASSWORD", appPassword);
        services.put("LOGAI_S3_ENDPOINT", stack.s3.endpoint());
        services.put("LOGAI_S3_BUCKET", LocalStack.RAW_BUCKET);
        services.put("LOGAI_S3_ACCESS_KEY", EmbeddedS3.ACCESS_KEY);
        services.put("LOGAI_S3_SECRET_KEY", EmbeddedS3.SECRET_KEY);
        writeEnv(dataDir.resolve("services.env"), services);

        Path tenantFile = dataDir.resolve("tenant.env");
        if (Files.exists(tenantFile) && !orgExists(stack, tenantFile)) {
            // The local org was deleted (DELETE /v1/org): its key and source are gone with it.
            System.out.println("The local org of " + tenantFile + " no longer exists (deleted): creating a new one.");
            Files.delete(tenantFile);
        }
        if (!Files.exists(tenantFile)) {
            LocalStack.Tenant tenant = stack.createTenant("local", "default");
            Map<String, String> t = new LinkedHashMap<>();
            t.put("LOGAI_ORG_ID", tenant.orgId());
            t.put("LOGAI_API_KEY", tenant.apiKey());
            t.put("LOGAI_SOURCE_ID", tenant.sourceId());
            writeEnv(tenantFile, t);
        }
        System.out.println(READY_LINE);
        System.out.flush();
        stopped.await();
    }

    /** Whether the org named by {@code LOGAI_ORG_ID} in {@code tenantFile} is still in the database. */
    private static boolean orgExists(LocalStack stack, Path tenantFile) throws Exception {
        String orgId = null;
        for (String line : Files.readAllLines(tenantFile, StandardCharsets.UTF_8)) {
            if (line.startsWith("export LOGAI_ORG_ID='")) {
                orgId = line.substring("export LOGAI_ORG_ID='".length(), line.length() - 1);
            }
        }
        if (orgId == null) {
            return false;
        }
        try (java.sql.Connection c = stack.ownerConnection();
                java.sql.PreparedStatement ps = c.prepareStatement("select 1 from org where id = ?")) {
            ps.setString(1, orgId);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String readOrCreateSecret(Path file) throws Exception {
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        Files.createDirectories(file.getParent());
        String secret = LocalStack.randomPassword();
        Files.writeString(file, secret, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return secret;
    }

    static void writeEnv(Path file, Map<String, String> values) throws Exception {
        StringBuilder sb = new StringBuilder();
        values.forEach(
                (k, v) -> sb.append("export ").append(k).append("='").append(v).append("'\n"));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        Files.move(
                tmp,
                file,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
