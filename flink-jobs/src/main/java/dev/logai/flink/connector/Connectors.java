package dev.logai.flink.connector;

import dev.logai.common.contract.KafkaClientOverrides;
import dev.logai.flink.PipelineOptions;
import dev.logai.flink.alert.rule.AlertRuleDeserializer;
import dev.logai.flink.alert.rule.AlertRuleUpdate;
import dev.logai.flink.anomaly.Anomaly;
import dev.logai.flink.anomaly.SensitivityDeserializer;
import dev.logai.flink.anomaly.SensitivityUpdate;
import dev.logai.flink.archive.LineEncoder;
import dev.logai.flink.archive.OrgSourceDayBuckets;
import dev.logai.flink.deadletter.DeadLetter;
import dev.logai.flink.deadletter.DeadLetterSerializer;
import dev.logai.flink.ingest.KafkaBatchDeserializer;
import dev.logai.flink.ingest.KafkaBatchRecord;
import dev.logai.flink.ingest.LogLine;
import dev.logai.flink.sink.AnomalySink;
import dev.logai.flink.sink.PatternMergeSink;
import dev.logai.flink.sink.PatternWindowSink;
import dev.logai.flink.sink.PostgresSettings;
import dev.logai.flink.sink.SummarySink;
import dev.logai.flink.sink.WindowLatenessSink;
import dev.logai.flink.sink.WindowStatsSink;
import dev.logai.flink.summary.Summary;
import dev.logai.flink.template.TemplateMerge;
import dev.logai.flink.upload.UploadEventDeserializer;
import dev.logai.flink.upload.UploadTask;
import dev.logai.flink.window.PatternWindow;
import dev.logai.flink.window.WindowLateness;
import dev.logai.flink.window.WindowStats;
import java.util.Properties;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.DefaultRollingPolicy;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The pipeline's real sources and sinks, each built from the deployment's settings ({@link
 * PipelineOptions}): Kafka for input and dead letters, Postgres for results, a Flink file system
 * (S3) for the raw archive. Building one opens no connection; topics are made by {@link
 * PipelineTopics}.
 */
public final class Connectors {
    private Connectors() {}

    /**
     * The gateway's accepted batches, read committed (the gateway writes transactionally). First
     * start: from the group's committed offsets, or the beginning; a restore uses the checkpoint,
     * and offsets are committed back on each checkpoint so a fresh start continues where it was.
     */
    public static KafkaSource<KafkaBatchRecord> rawBatches(Configuration config) {
        Properties props = clientProperties(config);
        props.setProperty("isolation.level", "read_committed");
        props.setProperty("commit.offsets.on.checkpoint", "true");
        return KafkaSource.<KafkaBatchRecord>builder()
                .setBootstrapServers(config.get(PipelineOptions.KAFKA_BOOTSTRAP))
                .setTopics(config.get(PipelineOptions.KAFKA_RAW_TOPIC))
                .setGroupId(config.get(PipelineOptions.KAFKA_GROUP_ID))
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new KafkaBatchDeserializer())
                .setProperties(props)
                .build();
    }

    /**
     * The compacted alert-rules topic from its start (a restore continues from the checkpoint, with
     * the rules in broadcast state). The topic must exist: {@link PipelineTopics#ensureAlertRulesTopic}.
     */
    public static KafkaSource<AlertRuleUpdate> alertRules(Configuration config) {
        return KafkaSource.<AlertRuleUpdate>builder()
                .setBootstrapServers(config.get(PipelineOptions.KAFKA_BOOTSTRAP))
                .setTopics(config.get(PipelineOptions.KAFKA_ALERT_RULES_TOPIC))
                .setGroupId(config.get(PipelineOptions.KAFKA_GROUP_ID) + "-alert-rules")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new AlertRuleDeserializer())
                .setProperties(clientProperties(config))
                .build();
    }

    /** The tenants' anomaly sensitivity, from the start of the compacted topic (as the alert rules). */
    public static KafkaSource<SensitivityUpdate> anomalySettings(Configuration config) {
        return KafkaSource.<SensitivityUpdate>builder()
                .setBootstrapServers(config.get(PipelineOptions.KAFKA_BOOTSTRAP))
                .setTopics(config.get(PipelineOptions.KAFKA_ANOMALY_SETTINGS_TOPIC))
                .setGroupId(config.get(PipelineOptions.KAFKA_GROUP_ID) + "-anomaly-settings")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new SensitivityDeserializer())
                .setProperties(clientProperties(config))
                .build();
    }

    /**
     * Registered uploads ("upload registered" events from the gateway), read committed from the
     * group's committed offsets or the beginning; a restore continues from the checkpoint.
     */
    public static KafkaSource<UploadTask> uploads(Configuration config) {
        Properties props = clientProperties(config);
        props.setProperty("isolation.level", "read_committed");
        props.setProperty("commit.offsets.on.checkpoint", "true");
        return KafkaSource.<UploadTask>builder()
                .setBootstrapServers(config.get(PipelineOptions.KAFKA_BOOTSTRAP))
                .setTopics(config.get(PipelineOptions.KAFKA_UPLOADS_TOPIC))
                .setGroupId(config.get(PipelineOptions.KAFKA_GROUP_ID) + "-uploads")
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new UploadEventDeserializer())
                .setProperties(props)
                .build();
    }

    /** Unreadable batches and too-late lines, at least once, with the reason in a header. */
    public static Sink<DeadLetter> deadLetters(Configuration config) {
        return KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(config.get(PipelineOptions.KAFKA_BOOTSTRAP))
                .setRecordSerializer(new DeadLetterSerializer(config.get(PipelineOptions.KAFKA_DEAD_LETTER_TOPIC)))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setKafkaProducerConfig(clientProperties(config))
                .build();
    }

    public static Sink<WindowStats> windowStats(Configuration config) {
        return new WindowStatsSink(PostgresSettings.from(config));
    }

    public static Sink<WindowLateness> windowLateness(Configuration config) {
        return new WindowLatenessSink(PostgresSettings.from(config));
    }

    public static Sink<PatternWindow> patternWindows(Configuration config) {
        return new PatternWindowSink(PostgresSettings.from(config));
    }

    public static Sink<TemplateMerge> patternMerges(Configuration config) {
        return new PatternMergeSink(PostgresSettings.from(config));
    }

    public static Sink<Anomaly> anomalies(Configuration config) {
        return new AnomalySink(PostgresSettings.from(config));
    }

    public static Sink<Summary> summaries(Configuration config) {
        return new SummarySink(PostgresSettings.from(config));
    }

    /**
     * Raw lines, exactly once: part files are committed only when a checkpoint completes, and a
     * restore discards what was written after it. Objects close at 128 MB, after 15 minutes, or after
     * 5 idle minutes (settings), so the archive holds a few large objects, not one per request.
     */
    public static Sink<LogLine> archive(Configuration config) {
        long inactivityMs = config.get(PipelineOptions.ARCHIVE_INACTIVITY).toMillis();
        long rolloverMs = config.get(PipelineOptions.ARCHIVE_ROLLOVER).toMillis();
        // The rolling policy is only consulted this often (Flink's default is 60 s, too coarse for
        // short intervals): half the shorter interval, between 1 s and 60 s.
        long checkIntervalMs = Math.max(1_000, Math.min(60_000, Math.min(inactivityMs, rolloverMs) / 2));
        return FileSink.forRowFormat(new Path(PipelineOptions.archivePath(config)), new LineEncoder())
                .withBucketAssigner(new OrgSourceDayBuckets())
                .withRollingPolicy(DefaultRollingPolicy.builder()
                        .withRolloverInterval(config.get(PipelineOptions.ARCHIVE_ROLLOVER))
                        .withInactivityInterval(config.get(PipelineOptions.ARCHIVE_INACTIVITY))
                        .withMaxPartSize(config.get(PipelineOptions.ARCHIVE_MAX_PART))
                        .build())
                .withOutputFileConfig(OutputFileConfig.builder()
                        .withPartPrefix("lines")
                        .withPartSuffix(".log")
                        .build())
                .withBucketCheckInterval(checkIntervalMs)
                .build();
    }

    /** {@code LOGAI_KAFKA_CLIENT_PROPERTIES} (TLS, SASL/IAM for managed Kafka) as client properties. */
    static Properties clientProperties(Configuration config) {
        Properties props = new Properties();
        props.putAll(KafkaClientOverrides.parse(config.get(PipelineOptions.KAFKA_CLIENT_PROPERTIES)));
        return props;
    }
}
