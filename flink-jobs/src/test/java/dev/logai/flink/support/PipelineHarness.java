package dev.logai.flink.support;

import dev.logai.flink.LogPipelineJob;
import dev.logai.flink.PipelineOptions;
import dev.logai.localstack.EmbeddedS3;
import dev.logai.localstack.LocalStack;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Everything an end-to-end pipeline test needs around the job under test: its own topics, its own
 * gateway process on them, pipeline settings pointing at the real local stack, and ways to post
 * lines and read back what landed in Postgres and the archive.
 */
public final class PipelineHarness implements AutoCloseable {
    public final LocalStack stack;
    public final String rawTopic = "it-raw-" + UUID.randomUUID();
    public final String deadLetterTopic = "it-dlq-" + UUID.randomUUID();
    public final String rulesTopic = "it-rules-" + UUID.randomUUID();
    public final String anomalySettingsTopic = "it-anomaly-settings-" + UUID.randomUUID();
    public final String archivePrefix = "it-" + UUID.randomUUID();
    public final ServiceProcess gateway;
    private final HttpClient http = HttpClient.newHttpClient();

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PipelineHarness.class);

    public PipelineHarness(LocalStack stack) throws Exception {
        this(stack, 2);
    }

    /** {@code partitions} of the raw topic (and so Kafka readers that can drift apart). */
    public PipelineHarness(LocalStack stack, int partitions) throws Exception {
        this(stack, partitions, Map.of());
    }

    /** As above, the gateway started with {@code gatewayEnv} added to its environment. */
    public PipelineHarness(LocalStack stack, int partitions, Map<String, String> gatewayEnv) throws Exception {
        this.stack = stack;
        LOG.info("Starting the gateway on topic {}", rawTopic);
        stack.kafka.createTopics(partitions, rawTopic, deadLetterTopic);
        Map<String, String> env = new HashMap<>(serviceEnvironment(stack));
        env.put("LOGAI_KAFKA_RAW_TOPIC", rawTopic);
        env.putAll(gatewayEnv);
        this.gateway = ServiceProcess.start("logai.gateway.jar", "LOGAI_GATEWAY_PORT", env);
        LOG.info("Gateway up at {}", gateway.url());
    }

    /** The Flink runtime the pipeline tests run on: parallelism 2 in one task manager. */
    public static MiniClusterExtension miniCluster() {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(2)
                .build());
    }

    /** Environment of a service connected to the local stack as the application role. */
    public static Map<String, String> serviceEnvironment(LocalStack stack) {
        return Map.of(
                "LOGAI_KAFKA_BOOTSTRAP",
                stack.kafka.bootstrapServers(),
                "LOGAI_DB_URL",
                stack.postgres.jdbcUrl(),
                "LOGAI_DB_USER",
                LocalStack.APP_ROLE,
                "LOGAI_DB_PASSWORD",
                stack.appPassword);
    }

    /** Pipeline settings as the job's main would read them from the environment. */
    public Configuration settings() throws Exception {
        Map<String, String> env = new HashMap<>(serviceEnvironment(stack));
        env.put("LOGAI_KAFKA_RAW_TOPIC", rawTopic);
        env.put("LOGAI_KAFKA_DEAD_LETTER_TOPIC", deadLetterTopic);
        env.put("LOGAI_KAFKA_GROUP_ID", "it-" + UUID.randomUUID());
        env.put("LOGAI_KAFKA_ALERT_RULES_TOPIC", rulesTopic);
        env.put("LOGAI_KAFKA_ANOMALY_SETTINGS_TOPIC", anomalySettingsTopic);
        env.put("LOGAI_S3_ENDPOINT", stack.s3.endpoint());
        env.put("LOGAI_S3_ACCESS_KEY", EmbeddedS3.ACCESS_KEY);
        env.put("LOGAI_S3_SECRET_KEY", EmbeddedS3.SECRET_KEY);
        env.put("LOGAI_ARCHIVE_PATH", "s3://" + LocalStack.RAW_BUCKET + "/" + archivePrefix + "/");
        env.put("LOGAI_ARCHIVE_ROLLOVER_INTERVAL", "2s");
        env.put("LOGAI_ARCHIVE_INACTIVITY_INTERVAL", "1s");
        env.put("LOGAI_WINDOW_OUT_OF_ORDERNESS", "5s");
        env.put("LOGAI_WINDOW_EARLY_FIRING_INTERVAL", "1s");
        env.put("LOGAI_WINDOW_IDLENESS", "2s");
        env.put("LOGAI_DB_FLUSH_INTERVAL", "200ms");
        env.put("LOGAI_CHECKPOINT_INTERVAL", "1s");
        env.put("LOGAI_PARALLELISM", "2");
        env.put(
                "LOGAI_CHECKPOINT_DIR",
                Files.createTempDirectory("it-checkpoints").toUri().toString());
        return PipelineOptions.fromEnvironment(env);
    }

    /** Builds the production graph on the test's MiniCluster with the real sinks, and starts it. */
    public JobClient startJob(Configuration settings) throws Exception {
        return LogPipelineJob.prepare(settings).executeAsync("logai-pipeline-under-test");
    }

    public HttpResponse<String> post(LocalStack.Tenant tenant, String contentType, byte[] body, boolean gzip)
            throws Exception {
        return post(tenant, contentType, body, gzip, Map.of());
    }

    /** As {@link #post(LocalStack.Tenant, String, byte[], boolean)}, with more request headers (e.g. Idempotency-Key). */
    public HttpResponse<String> post(
            LocalStack.Tenant tenant, String contentType, byte[] body, boolean gzip, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/logs/stream"))
                .header("Authorization", "Bearer " + tenant.apiKey())
                .header("X-Source-Id", tenant.sourceId())
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip ? gzip(body) : body));
        if (gzip) {
            r.header("Content-Encoding", "gzip");
        }
        headers.forEach(r::header);
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    /** One window_stats row, as read by the schema owner (so the test sees what is really stored). */
    public record WindowRow(
            Instant start,
            long lines,
            long info,
            long warn,
            long error,
            long debug,
            double errorRate,
            boolean isFinal) {}

    public Map<Instant, WindowRow> windows(LocalStack.Tenant tenant) throws Exception {
        Map<Instant, WindowRow> rows = new HashMap<>();
        try (Connection c = stack.ownerConnection();
                PreparedStatement ps = c.prepareStatement("select window_start, line_count, info_count, warn_count,"
                        + " error_count, debug_count, error_rate, is_final from window_stats"
                        + " where org_id = ? and source_id = ?")) {
            ps.setString(1, tenant.orgId());
            ps.setString(2, tenant.sourceId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant start = rs.getTimestamp(1).toInstant();
                    rows.put(
                            start,
                            new WindowRow(
                                    start,
                                    rs.getLong(2),
                                    rs.getLong(3),
                                    rs.getLong(4),
                                    rs.getLong(5),
                                    rs.getLong(6),
                                    rs.getDouble(7),
                                    rs.getBoolean(8)));
                }
            }
        }
        return rows;
    }

    /** Archived objects of a tenant: key → content. */
    public Map<String, String> archive(LocalStack.Tenant tenant) {
        try (S3Client s3 = s3Client(stack)) {
            Map<String, String> objects = new HashMap<>();
            String prefix = archivePrefix + "/" + tenant.orgId() + "/" + tenant.sourceId() + "/";
            for (S3Object o : s3.listObjectsV2Paginator(
                            b -> b.bucket(LocalStack.RAW_BUCKET).prefix(prefix))
                    .contents()) {
                String name = o.key().substring(o.key().lastIndexOf('/') + 1);
                if (name.isEmpty() || name.startsWith("_") || name.startsWith(".")) {
                    continue; // Flink's in-progress and staging objects are not archive content yet
                }
                objects.put(
                        o.key(),
                        s3.getObject(b -> b.bucket(LocalStack.RAW_BUCKET).key(o.key()), ResponseTransformer.toBytes())
                                .asString(StandardCharsets.UTF_8));
            }
            return objects;
        }
    }

    /** A client of the stack's object store, as the services' own access key. */
    public static S3Client s3Client(LocalStack stack) {
        return S3Client.builder()
                .endpointOverride(URI.create(stack.s3.endpoint()))
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY)))
                .build();
    }

    public static List<String> lines(Map<String, String> objects) {
        List<String> lines = new ArrayList<>();
        objects.values().forEach(content -> content.lines().forEach(lines::add));
        return lines;
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        await(what, timeout, condition, () -> "");
    }

    /** Waits for {@code condition}; on time-out the message includes {@code state}, to tell why. */
    public static void await(
            String what, Duration timeout, BooleanSupplier condition, java.util.function.Supplier<String> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "Timed out after " + timeout + " waiting for: " + what + ". State: " + state.get());
            }
            Thread.sleep(250);
        }
    }

    @Override
    public void close() throws Exception {
        gateway.close();
    }
}
