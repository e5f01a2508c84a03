package dev.logai.gateway.upload;

import dev.logai.common.contract.KafkaClientOverrides;
import dev.logai.common.contract.UploadRegistered;
import dev.logai.gateway.GatewaySettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Publishes "upload registered" events ({@link UploadRegistered}) to the uploads topic and waits
 * for the broker's acknowledgement (idempotent producer, acks=all): register-upload answers 202
 * only once the pipeline is sure to see the upload.
 */
@Component
class UploadEvents implements DisposableBean {
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final long ackTimeoutMs;

    UploadEvents(GatewaySettings gateway, UploadSettings uploads) {
        this.topic = uploads.topic();
        this.ackTimeoutMs = gateway.kafka().ackTimeout().toMillis();
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, gateway.kafka().bootstrap());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ackTimeoutMs);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1000, ackTimeoutMs - 500));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ackTimeoutMs);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "logai-gateway-uploads");
        config.putAll(KafkaClientOverrides.parse(gateway.kafka().clientProperties()));
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Writes {@code event} (key {@code org/source}) and waits for the acknowledgement.
     *
     * @throws Exception when Kafka did not confirm within the ack timeout ({@code LOGAI_KAFKA_ACK_TIMEOUT})
     */
    void publish(UploadRegistered event) throws Exception {
        producer.send(new ProducerRecord<>(topic, event.kafkaKey(), event.encode()))
                .get(ackTimeoutMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void destroy() {
        producer.close(Duration.ofSeconds(10));
    }
}
