package dev.logai.query.alert;

import dev.logai.common.contract.Topics;
import dev.logai.common.contract.alert.AlertRuleCodec;
import dev.logai.common.contract.alert.AlertRuleSpec;
import dev.logai.common.secret.SecretSeal;
import dev.logai.query.kafka.CompactedTopicPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hands rule changes to the pipeline through the compacted rules topic ({@link
 * CompactedTopicPublisher}: key = rule id, value = the rule as JSON, a tombstone on delete).
 */
@Component
class AlertRulePublisher implements DisposableBean {
    private static final Logger LOG = LoggerFactory.getLogger(AlertRulePublisher.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final long ACK_TIMEOUT_MS = CompactedTopicPublisher.ACK_TIMEOUT_MS;

    private final CompactedTopicPublisher topic;
    private final SecretSeal seal;

    AlertRulePublisher(
            @Value("${logai.kafka.bootstrap:127.0.0.1:19092}") String bootstrap,
            @Value("${logai.kafka.alert-rules-topic:" + Topics.ALERT_RULES + "}") String topic,
            @Value("${logai.kafka.client-properties:}") String clientProperties,
            @Value("${logai.secret-key:}") String secretKey) {
        this.topic = new CompactedTopicPublisher(bootstrap, topic, clientProperties, "logai-query-api-rules", "Rules");
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
     * @throws dev.logai.common.web.ApiProblem 503 when Kafka did not acknowledge within {@link #ACK_TIMEOUT_MS}
     */
    void publish(String ruleId, AlertRuleSpec rule) {
        topic.publish(ruleId, rule == null ? null : JSON.writeValueAsString(AlertRuleCodec.writeRule(rule, seal)));
    }

    @Override
    public void destroy() {
        topic.close();
    }
}
