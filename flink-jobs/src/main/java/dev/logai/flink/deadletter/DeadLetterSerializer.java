package dev.logai.flink.deadletter;

import dev.logai.common.contract.RecordKeys;
import dev.logai.common.contract.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** A dead letter as a Kafka record: original bytes as value, reason and origin as headers. */
public class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {
    private final String topic;

    public DeadLetterSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter letter, KafkaSinkContext context, Long timestamp) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.HEADER_REASON, letter.reason.getBytes(StandardCharsets.UTF_8));
        headers.add(Topics.HEADER_ORIGIN, letter.origin.getBytes(StandardCharsets.UTF_8));
        byte[] key = letter.orgId == null
                ? null
                : RecordKeys.of(letter.orgId, letter.sourceId).getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic, null, timestamp, key, letter.payload, headers);
    }
}
