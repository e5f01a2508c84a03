package dev.logai.flink.anomaly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anomaly-settings records: key = {@code org} or {@code org/source}, value =
 * {@code {"org_id", "source_id"?, "sensitivity"}} or a tombstone. A record whose value is not one
 * of the three levels is skipped, loudly (the query API never writes one).
 */
public class SensitivityDeserializer implements KafkaRecordDeserializationSchema<SensitivityUpdate> {
    private static final Logger LOG = LoggerFactory.getLogger(SensitivityDeserializer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> LEVELS = Set.of("low", "medium", "high");

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<SensitivityUpdate> out) {
        if (record.key() == null) {
            return;
        }
        String key = new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            out.collect(new SensitivityUpdate(key, null));
            return;
        }
        try {
            JsonNode value = JSON.readTree(record.value());
            String level = value.path("sensitivity").asText("");
            if (!LEVELS.contains(level)) {
                throw new IllegalArgumentException("sensitivity '" + level + "' is not low, medium or high");
            }
            out.collect(new SensitivityUpdate(key, level));
        } catch (java.io.IOException | IllegalArgumentException e) {
            LOG.warn("Skipping anomaly setting {} at offset {}: {}", key, record.offset(), e.getMessage());
        }
    }

    @Override
    public TypeInformation<SensitivityUpdate> getProducedType() {
        return TypeInformation.of(SensitivityUpdate.class);
    }
}
