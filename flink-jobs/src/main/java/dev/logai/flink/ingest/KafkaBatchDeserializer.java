package dev.logai.flink.ingest;

import dev.logai.common.contract.Topics;
import dev.logai.flink.runtime.JobTracing;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Passes every record on as bytes plus its coordinates and the source's parser hint header; it
 * never throws, whatever the bytes are.
 */
public class KafkaBatchDeserializer implements KafkaRecordDeserializationSchema<KafkaBatchRecord> {
    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<KafkaBatchRecord> out) {
        KafkaBatchRecord batch =
                new KafkaBatchRecord(record.topic(), record.partition(), record.offset(), record.value());
        Header hint = record.headers().lastHeader(Topics.HEADER_PARSER_HINT);
        if (hint != null && hint.value() != null) {
            batch.parserHint = new String(hint.value(), StandardCharsets.UTF_8);
        }
        Header trace = record.headers().lastHeader(Topics.HEADER_TRACEPARENT);
        if (trace != null && trace.value() != null) {
            batch.traceParent = JobTracing.validTraceParent(new String(trace.value(), StandardCharsets.UTF_8));
        }
        out.collect(batch);
    }

    @Override
    public TypeInformation<KafkaBatchRecord> getProducedType() {
        return TypeInformation.of(KafkaBatchRecord.class);
    }
}
