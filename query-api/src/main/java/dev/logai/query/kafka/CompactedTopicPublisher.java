package dev.logai.query.kafka;

import dev.logai.common.contract.KafkaClientOverrides;
import dev.logai.common.web.ApiProblem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands tenant-set configuration to the pipeline through a compacted Kafka topic (one partition;
 * key = what is configured, value = its latest state as JSON, a tombstone when it is removed): the
 * job reads the topic from the start as broadcast state, so it always holds every key's latest
 * value, and a change reaches it within seconds, with no restart. Callers publish inside their
 * database transaction and commit only once Kafka acknowledged: a 2xx means the change is stored
 * and on its way, a Kafka outage is a 503 with nothing changed. The producer and the topic are
 * created on first use, so the API starts without Kafka.
 */
public class CompactedTopicPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CompactedTopicPublisher.class);
    public static final long ACK_TIMEOUT_MS = 5_000;

    private final String bootstrap;
    private final String topic;
    private final String clientProperties;
    private final String clientId;
    private final String what;
    private KafkaProducer<String, String> producer;
    private boolean topicReady;

    /**
     * @param clientProperties extra Kafka client settings ({@link KafkaClientOverrides} format)
     * @param what             what the topic carries, for the 503's title ("Rules", "Anomaly settings")
     */
    public CompactedTopicPublisher(
            String bootstrap, String topic, String clientProperties, String clientId, String what) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.clientProperties = clientProperties;
        this.clientId = clientId;
        this.what = what;
    }

    public String topic() {
        return topic;
    }

    /**
     * Publishes {@code json} under {@code key} and waits for the acknowledgement.
     *
     * @param json null: a tombstone (the key was removed)
     * @throws ApiProblem 503 when Kafka did not acknowledge within {@link #ACK_TIMEOUT_MS}
     */
    public void publish(String key, String json) {
        try {
            // Waits past the producer's own delivery timeout, so a timeout here means the send
            // failed (not "it may still arrive" while the caller rolls its transaction back).
            producer().send(new ProducerRecord<>(topic, key, json)).get(ACK_TIMEOUT_MS + 2_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw unavailable(e);
        }
    }

    private ApiProblem unavailable(Exception e) {
        LOG.warn("Could not publish a change to {}: {}", topic, e.toString());
        return ApiProblem.unavailable(
                what + " are unavailable",
                "The pipeline could not be reached, so nothing was changed. Try again in a few seconds.",
                5);
    }

    private synchronized KafkaProducer<String, String> producer()
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<String, Object> common = new HashMap<>();
        common.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        common.putAll(KafkaClientOverrides.parse(clientProperties));
        if (!topicReady) {
            try (Admin admin = Admin.create(withTimeouts(common))) {
                admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())
                                .configs(
                                        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                        .all()
                        .get(ACK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            topicReady = true;
        }
        if (producer == null) {
            Map<String, Object> config = new HashMap<>(common);
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ACK_TIMEOUT_MS);
            config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ACK_TIMEOUT_MS - 500);
            config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ACK_TIMEOUT_MS);
            config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
            producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    private static Map<String, Object> withTimeouts(Map<String, Object> config) {
        Map<String, Object> c = new HashMap<>(config);
        c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ACK_TIMEOUT_MS);
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ACK_TIMEOUT_MS);
        return c;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(2));
        }
    }
}
