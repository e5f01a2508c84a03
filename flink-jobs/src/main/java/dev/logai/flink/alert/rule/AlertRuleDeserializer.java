package dev.logai.flink.alert.rule;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Rules-topic records: key = rule id, value = rule JSON or a tombstone. An unreadable record is skipped, loudly. */
public class AlertRuleDeserializer implements KafkaRecordDeserializationSchema<AlertRuleUpdate> {
    private static final Logger LOG = LoggerFactory.getLogger(AlertRuleDeserializer.class);

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<AlertRuleUpdate> out) {
        if (record.key() == null) {
            return;
        }
        String id = new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            out.collect(new AlertRuleUpdate(id, null));
            return;
        }
        try {
            out.collect(new AlertRuleUpdate(id, AlertRule.parse(new String(record.value(), StandardCharsets.UTF_8))));
        } catch (IllegalArgumentException e) {
            LOG.warn("Skipping alert rule {} at offset {}: {}", id, record.offset(), e.getMessage());
        }
    }

    @Override
    public TypeInformation<AlertRuleUpdate> getProducedType() {
        return TypeInformation.of(AlertRuleUpdate.class);
    }
}
