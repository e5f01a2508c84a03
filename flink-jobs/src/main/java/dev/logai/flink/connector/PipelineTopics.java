package dev.logai.flink.connector;

import dev.logai.flink.PipelineOptions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The Kafka topics the job needs before it starts, made if missing, so the job can start before
 * the query API first writes to them. Done before the graph is built, never inside it.
 */
public final class PipelineTopics {
    private PipelineTopics() {}

    /**
     * Creates the alert-rules topic (one partition, compacted: key = rule id) unless it exists.
     *
     * @throws IllegalStateException when Kafka cannot be reached within 30 s or refuses the topic
     */
    public static void ensureAlertRulesTopic(Configuration config) {
        ensure(
                config,
                new NewTopic(config.get(PipelineOptions.KAFKA_ALERT_RULES_TOPIC), Optional.of(1), Optional.empty())
                        .configs(Map.of("cleanup.policy", "compact")));
    }

    /** Creates the compacted anomaly-settings topic unless it exists (as {@link #ensureAlertRulesTopic}). */
    public static void ensureAnomalySettingsTopic(Configuration config) {
        ensure(
                config,
                new NewTopic(config.get(PipelineOptions.KAFKA_ANOMALY_SETTINGS_TOPIC), Optional.of(1), Optional.empty())
                        .configs(Map.of("cleanup.policy", "compact")));
    }

    /**
     * Creates the uploads topic (4 partitions, keyed by org/source) unless it exists, so the job
     * can start before the gateway registers the first upload.
     *
     * @throws IllegalStateException when Kafka cannot be reached within 30 s or refuses the topic
     */
    public static void ensureUploadsTopic(Configuration config) {
        ensure(config, new NewTopic(config.get(PipelineOptions.KAFKA_UPLOADS_TOPIC), Optional.of(4), Optional.empty()));
    }

    private static void ensure(Configuration config, NewTopic topic) {
        Properties admin = Connectors.clientProperties(config);
        admin.put("bootstrap.servers", config.get(PipelineOptions.KAFKA_BOOTSTRAP));
        try (Admin a = Admin.create(admin)) {
            a.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Could not create the topic " + topic.name(), e);
            }
        } catch (Exception e) {
            throw new IllegalStateException("Could not create the topic " + topic.name(), e);
        }
    }
}
