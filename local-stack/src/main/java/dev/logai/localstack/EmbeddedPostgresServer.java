package dev.logai.localstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * A real PostgreSQL server (zonky's packaged binaries) on 127.0.0.1. With a persistent data
 * directory a restart keeps the data. The superuser {@code postgres} is the schema owner that
 * runs migrations; services connect as a separate role (see {@code DatabaseMigrations}).
 *
 * <p>The superuser logs in with a password: {@code initdb} leaves every local login trusted, so
 * on the first start the role gets its password and {@code pg_hba.conf} is switched from {@code
 * trust} to {@code scram-sha-256}. Without it anyone on the machine could log in as the
 * superuser from 127.0.0.1 and read every tenant's rows, row-level security notwithstanding.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    public static final String DATABASE = "logai";
    public static final String SUPERUSER = "postgres";

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts the server on {@code dataDir} (kept across starts) and {@code port} (0: any free one),
     * its superuser logging in with {@code superuserPassword}.
     *
     * @throws IOException when it does not start, or the data directory's superuser has another password
     */
    public static EmbeddedPostgresServer start(Path dataDir, int port, String superuserPassword) throws IOException {
        Files.createDirectories(dataDir);
        boolean persistent = Files.exists(dataDir.resolve("PG_VERSION"));
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(
                        dataDir.getParent().resolve("pg-bin").toFile())
                .setPort(FreePorts.orPick(port))
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "200")
                .setPGStartupWait(Duration.ofSeconds(60))
                .setConnectConfig("password", superuserPassword)
                .start();
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres);
        server.requirePasswords(dataDir.resolve("pg_hba.conf"), superuserPassword);
        if (!persistent || !server.databaseExists()) {
            server.createDatabase();
        }
        return server;
    }

    /** Gives the superuser its password and stops trusting local logins, unless that was done before. */
    private void requirePasswords(Path hba, String superuserPassword) throws IOException {
        List<String> lines = Files.readAllLines(hba);
        List<String> scram = lines.stream()
                .map(l -> l.strip().startsWith("#") ? l : l.replaceAll("\\btrust\\s*$", "scram-sha-256"))
                .toList();
        if (scram.equals(lines)) {
            return;
        }
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("alter role " + SUPERUSER + " password '" + superuserPassword.replace("'", "''") + "'");
            Files.write(hba, scram);
            s.execute("select pg_reload_conf()");
        } catch (SQLException e) {
            throw new IOException("Could not set the embedded Postgres superuser's password", e);
        }
    }

    private boolean databaseExists() throws IOException {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'")) {
            return rs.next();
        } catch (SQLException e) {
            throw new IOException("Could not inspect the embedded Postgres", e);
        }
    }

    private void createDatabase() throws IOException {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("create database " + DATABASE);
        } catch (SQLException e) {
            throw new IOException("Could not create database " + DATABASE, e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    /** Creates (or re-passwords) a login role; used for the services' non-owner role. */
    public void ensureLoginRole(String role, String password) throws SQLException {
        if (!role.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("Role names are lower-case identifiers, got " + role);
        }
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            String quotedPassword = "'" + password.replace("'", "''") + "'";
            s.execute("do $$ begin if not exists (select from pg_roles where rolname = '" + role + "') then"
                    + " create role " + role + " login password " + quotedPassword + " nosuperuser nobypassrls;"
                    + " end if; end $$");
            s.execute("alter role " + role + " login password " + quotedPassword);
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
