package dev.logai.flink.upload;

import dev.logai.common.contract.UploadRegistered;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads "upload registered" events; a record that is no such event is logged and skipped (only the
 * gateway writes the topic), never thrown, so one bad record cannot stop the job.
 */
public class UploadEventDeserializer implements KafkaRecordDeserializationSchema<UploadTask> {
    private static final Logger LOG = LoggerFactory.getLogger(UploadEventDeserializer.class);

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<UploadTask> out) {
        try {
            out.collect(UploadTask.of(UploadRegistered.decode(record.value())));
        } catch (IllegalArgumentException | NullPointerException e) {
            LOG.warn(
                    "Skipping unreadable upload event {}/{}@{}: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
        }
    }

    @Override
    public TypeInformation<UploadTask> getProducedType() {
        return TypeInformation.of(UploadTask.class);
    }
}
