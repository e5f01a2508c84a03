package dev.logai.flink.ingest;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Passes every record on as bytes plus its coordinates; it never throws, whatever the bytes are. */
public class KafkaBatchDeserializer implements KafkaRecordDeserializationSchema<KafkaBatchRecord> {
    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<KafkaBatchRecord> out) {
        out.collect(new KafkaBatchRecord(record.topic(), record.partition(), record.offset(), record.value()));
    }

    @Override
    public TypeInformation<KafkaBatchRecord> getProducedType() {
        return TypeInformation.of(KafkaBatchRecord.class);
    }
}
