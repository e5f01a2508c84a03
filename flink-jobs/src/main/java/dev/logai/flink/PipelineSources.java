package dev.logai.flink;

import dev.logai.flink.alert.rule.AlertRuleUpdate;
import dev.logai.flink.anomaly.SensitivityUpdate;
import dev.logai.flink.connector.Connectors;
import dev.logai.flink.ingest.KafkaBatchRecord;
import dev.logai.flink.upload.UploadTask;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;

/**
 * What the pipeline reads: the gateway's accepted batches and the alert rules. In production both
 * are Kafka topics ({@link #fromSettings}); a test passes bounded in-memory sources instead.
 *
 * @param rawBatches one {@link KafkaBatchRecord} per accepted ingest request
 * @param alertRules every change to an alert rule (a tombstone on delete), replayed from the start
 * @param uploads every registered upload (the gateway's "upload registered" events); null: the job
 *     reads no uploads (tests and benchmarks of the streamed path)
 * @param anomalySettings every change to a tenant's anomaly sensitivity, replayed from the start;
 *     null: only the deployment's settings apply
 */
public record PipelineSources(
        Source<KafkaBatchRecord, ?, ?> rawBatches,
        Source<AlertRuleUpdate, ?, ?> alertRules,
        Source<UploadTask, ?, ?> uploads,
        Source<SensitivityUpdate, ?, ?> anomalySettings) {

    /** Streamed lines and alert rules only, no uploads, no tenant anomaly settings. */
    public PipelineSources(Source<KafkaBatchRecord, ?, ?> rawBatches, Source<AlertRuleUpdate, ?, ?> alertRules) {
        this(rawBatches, alertRules, null, null);
    }

    /** Streamed lines, alert rules and uploads, no tenant anomaly settings. */
    public PipelineSources(
            Source<KafkaBatchRecord, ?, ?> rawBatches,
            Source<AlertRuleUpdate, ?, ?> alertRules,
            Source<UploadTask, ?, ?> uploads) {
        this(rawBatches, alertRules, uploads, null);
    }

    /** The Kafka sources of a deployment (topics, group id and client properties from the settings). */
    public static PipelineSources fromSettings(Configuration config) {
        return new PipelineSources(
                Connectors.rawBatches(config),
                Connectors.alertRules(config),
                Connectors.uploads(config),
                Connectors.anomalySettings(config));
    }
}
