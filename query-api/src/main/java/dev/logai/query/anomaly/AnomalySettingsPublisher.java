package dev.logai.query.anomaly;

import dev.logai.common.contract.Topics;
import dev.logai.query.kafka.CompactedTopicPublisher;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hands sensitivity changes to the pipeline on the compacted {@link Topics#ANOMALY_SETTINGS} topic
 * (its javadoc has the record format), so the job judges the next windows with them, no restart.
 */
@Component
class AnomalySettingsPublisher implements AnomalySettingsRepository.Publication, DisposableBean {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final CompactedTopicPublisher topic;

    AnomalySettingsPublisher(
            @Value("${logai.kafka.bootstrap:127.0.0.1:19092}") String bootstrap,
            @Value("${logai.kafka.anomaly-settings-topic:" + Topics.ANOMALY_SETTINGS + "}") String topic,
            @Value("${logai.kafka.client-properties:}") String clientProperties) {
        this.topic = new CompactedTopicPublisher(
                bootstrap, topic, clientProperties, "logai-query-api-anomaly-settings", "Anomaly settings");
    }

    /**
     * Publishes the org's ({@code sourceId} null) or a source's sensitivity and waits for Kafka.
     *
     * @param sensitivity null: cleared (a tombstone: the org or source inherits again)
     * @throws dev.logai.common.web.ApiProblem 503 when Kafka did not acknowledge in time
     */
    @Override
    public void publish(String orgId, String sourceId, String sensitivity) {
        String key = sourceId == null ? orgId : orgId + "/" + sourceId;
        String json = null;
        if (sensitivity != null) {
            Map<String, String> value = new LinkedHashMap<>();
            value.put("org_id", orgId);
            if (sourceId != null) {
                value.put("source_id", sourceId);
            }
            value.put("sensitivity", sensitivity);
            json = JSON.writeValueAsString(value);
        }
        topic.publish(key, json);
    }

    @Override
    public void destroy() {
        topic.close();
    }
}
