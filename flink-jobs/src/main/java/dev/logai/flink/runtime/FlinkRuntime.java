package dev.logai.flink.runtime;

import dev.logai.flink.PipelineOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.PluginUtils;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the Flink runtime around the pipeline is configured, in one place: fault tolerance (RocksDB,
 * incremental checkpoints, restarts), the S3 file system of the archive, and loopback-only binding
 * for the in-process MiniCluster of {@code ./logai up}, the tests and the benchmarks. On a Flink
 * cluster the cluster's own configuration wins for what it sets.
 */
public final class FlinkRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(FlinkRuntime.class);

    private FlinkRuntime() {}

    /**
     * The environment {@code main} runs the pipeline in: the cluster's when submitted to one, else
     * a MiniCluster configured by {@link #pipelineConfiguration}, with the file systems initialised
     * and the parallelism of {@code LOGAI_PARALLELISM} when set.
     */
    public static StreamExecutionEnvironment pipelineEnvironment(Configuration settings) throws IOException {
        Configuration flinkConfig = pipelineConfiguration(settings);
        initializeFileSystems(flinkConfig);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConfig);
        if (settings.get(PipelineOptions.PARALLELISM) > 0) {
            env.setParallelism(settings.get(PipelineOptions.PARALLELISM));
        }
        return env;
    }

    /** Fault tolerance (RocksDB, checkpoints, restarts), the S3 file system and loopback binding. */
    public static Configuration pipelineConfiguration(Configuration settings) throws IOException {
        Configuration conf = loopback();
        conf.set(RestOptions.BIND_PORT, "0"); // never collide with the services' ports
        conf.set(JobManagerOptions.ADDRESS, "127.0.0.1");

        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, settings.get(PipelineOptions.CHECKPOINT_DIR));
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, settings.get(PipelineOptions.CHECKPOINT_INTERVAL));
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, Duration.ofSeconds(1));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, Duration.ofMinutes(1));

        settings.getOptional(PipelineOptions.S3_ENDPOINT).ifPresent(endpoint -> {
            conf.setString("s3.endpoint", endpoint);
            conf.setString("s3.path.style.access", "true");
        });
        conf.setString("s3.endpoint.region", settings.get(PipelineOptions.S3_REGION));
        // Never delete "directory marker" objects after a write: saves a request per object on AWS,
        // and S3-compatible stores backed by a file system cannot delete a non-empty "directory".
        conf.setString("s3.directory.marker.retention", "keep");
        settings.getOptional(PipelineOptions.S3_ACCESS_KEY).ifPresent(k -> conf.setString("s3.access-key", k));
        settings.getOptional(PipelineOptions.S3_SECRET_KEY).ifPresent(k -> conf.setString("s3.secret-key", k));

        if (settings.get(PipelineOptions.METRICS_PORT) > 0) {
            prometheusReporter(conf, settings.get(PipelineOptions.METRICS_PORT));
        }
        if (settings.get(PipelineOptions.RESUME_LATEST_CHECKPOINT)) {
            latestCheckpoint(settings.get(PipelineOptions.CHECKPOINT_DIR)).ifPresent(path -> {
                LOG.info("Resuming from checkpoint {}", path);
                conf.set(StateRecoveryOptions.SAVEPOINT_PATH, path);
            });
        }
        return conf;
    }

    /**
     * Enables Flink's Prometheus reporter for a local run on {@code 127.0.0.1:port}: Flink's own
     * collectors and names ({@code flink_<scope>_<name>}, e.g. {@code
     * flink_taskmanager_job_task_operator_logai_format_linesParsed}), served by {@link
     * LoopbackPrometheusReporterFactory} because Flink's factory binds every interface. On a cluster
     * the Flink configuration enables {@code PrometheusReporterFactory} instead (k8s/,
     * deploy/docker/flink); the reporter library is never shaded into the job jar.
     */
    public static void prometheusReporter(Configuration conf, int port) {
        conf.setString("metrics.reporter.prom.factory.class", LoopbackPrometheusReporterFactory.class.getName());
        conf.setString("metrics.reporter.prom.host", "127.0.0.1");
        conf.setString("metrics.reporter.prom.port", Integer.toString(port));
    }

    /**
     * An in-process Flink (MiniCluster) that listens on loopback only: for one-shot local runs
     * ({@code ./logai analyze}, benchmarks), and the base of {@link #pipelineConfiguration}. A
     * cluster ignores these for the client.
     */
    public static Configuration loopback() {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.HOST, "127.0.0.1");
        return conf;
    }

    /**
     * Makes {@code s3://} known to a local run: file systems come from Flink plugins
     * ({@code FLINK_PLUGINS_DIR}), each with its own class loader. A cluster does this itself.
     */
    public static void initializeFileSystems(Configuration flinkConfig) {
        FileSystem.initialize(flinkConfig, PluginUtils.createPluginManagerFromRootFolder(flinkConfig));
    }

    /** The newest completed checkpoint (a chk-N directory with _metadata) under a local directory. */
    public static Optional<String> latestCheckpoint(String checkpointDir) throws IOException {
        Path root =
                Paths.get(URI.create(checkpointDir.startsWith("file:") ? checkpointDir : "file://" + checkpointDir));
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.find(
                root,
                3,
                (p, attrs) -> p.getFileName().toString().equals("_metadata")
                        && p.getParent().getFileName().toString().startsWith("chk-"))) {
            return files.max(Comparator.comparing(p -> p.toFile().lastModified()))
                    .map(p -> p.getParent().toUri().toString());
        }
    }
}
