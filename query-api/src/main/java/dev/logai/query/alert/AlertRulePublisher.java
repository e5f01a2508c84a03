package dev.logai.query.alert;

import dev.logai.common.contract.KafkaClientOverrides;
import dev.logai.common.contract.Topics;
import dev.logai.common.contract.alert.AlertRuleCodec;
import dev.logai.common.contract.alert.AlertRuleSpec;
import dev.logai.common.secret.SecretSeal;
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
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hands rule changes to the pipeline through a compacted Kafka topic (key = rule id, value = the
 * rule as JSON, a tombstone on delete): the job reads it from the start as broadcast state, so it
 * always holds every rule's latest version, and a change reaches it within seconds, no restart.
 * The controller publishes inside the database transaction and commits only once Kafka
 * acknowledged: a 2xx means the change is stored and on its way; a Kafka outage is a 503 with
 * nothing changed. The producer and topic are created on first use, so the API starts without Kafka.
 */
@Component
class AlertRulePublisher implements DisposableBean {
    private static final Logger LOG = LoggerFactory.getLogger(AlertRulePublisher.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final long ACK_TIMEOUT_MS = 5_000;

    private final String bootstrap;
    private final String topic;
    private final String clientProperties;
    private final SecretSeal seal;
    private KafkaProducer<String, String> producer;
    private boolean topicReady;

    AlertRulePublisher(
            @Value("${logai.kafka.bootstrap:127.0.0.1:19092}") String bootstrap,
            @Value("${logai.kafka.alert-rules-topic:" + Topics.ALERT_RULES + "}") String topic,
            @Value("${logai.kafka.client-properties:}") String clientProperties,
            @Value("${logai.secret-key:}") String secretKey) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.clientProperties = clientProperties;
        this.seal = SecretSeal.of(secretKey);
        if (!seal.active()) {
            LOG.warn(
                    "{} is not set: webhook signing secrets are published to {} in clear. Set it (base64 of"
                            + " 32 random bytes, the same for the pipeline) to seal them.",
                    SecretSeal.ENV,
                    topic);
        }
    }

    /**
     * Publishes the rule's latest state in the contract's wire format ({@link AlertRuleCodec#writeRule}),
     * its signing secret sealed with {@code LOGAI_SECRET_KEY}, and waits for the acknowledgement.
     *
     * @param rule null: deleted (a tombstone)
     * @throws ApiProblem 503 when Kafka did not acknowledge within {@link #ACK_TIMEOUT_MS}
     */
    void publish(String ruleId, AlertRuleSpec rule) {
        String json = rule == null ? null : JSON.writeValueAsString(AlertRuleCodec.writeRule(rule, seal));
        try {
            producer().send(new ProducerRecord<>(topic, ruleId, json)).get(ACK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw unavailable(e);
        }
    }

    private ApiProblem unavailable(Exception e) {
        LOG.warn("Could not publish an alert rule change to {}: {}", topic, e.toString());
        return ApiProblem.unavailable(
                "Rules are unavailable",
                "The alert pipeline could not be reached, so nothing was" + " changed. Try again in a few seconds.",
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
            config.put(ProducerConfig.CLIENT_ID_CONFIG, "logai-query-api-rules");
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
    public synchronized void destroy() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(2));
        }
    }
}
