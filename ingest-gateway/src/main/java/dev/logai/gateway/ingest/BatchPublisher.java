package dev.logai.gateway.ingest;

import dev.logai.common.contract.KafkaClientOverrides;
import dev.logai.gateway.GatewaySettings;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Writes one accepted request as one Kafka record and waits for the broker's acknowledgement
 * (idempotent producer, acks=all). Only then may the gateway answer 2xx: a 202 means durably in
 * Kafka. One record per request also makes acceptance atomic: a request is in Kafka whole or not.
 */
@Component
public class BatchPublisher implements DisposableBean {
    private static final Logger LOG = LoggerFactory.getLogger(BatchPublisher.class);

    /** Kafka could not confirm the write in time; the client should retry. */
    public static final class KafkaUnavailableException extends Exception {
        KafkaUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The batch cannot be a Kafka record at all (over the broker's or topic's size limit); retrying will not help. */
    public static final class BatchTooLargeException extends Exception {
        BatchTooLargeException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final long ackTimeoutMs;
    private final dev.logai.common.observability.KafkaTraceHeaders traceHeaders;

    BatchPublisher(GatewaySettings settings, dev.logai.common.observability.KafkaTraceHeaders traceHeaders) {
        this.traceHeaders = traceHeaders;
        GatewaySettings.Kafka kafka = settings.kafka();
        this.topic = kafka.topic();
        this.ackTimeoutMs = kafka.ackTimeout().toMillis();
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        // The producer checks this against the uncompressed record: body plus 5 bytes of framing per
        // line, and a line takes at least 2 body bytes ("x\n"), so at most 3x the body. The topic's
        // max.message.bytes applies to the compressed batch and must allow the largest request.
        int maxRequest = (int) Math.min(Integer.MAX_VALUE, settings.ingest().maxBodyBytes() * 3 + 1024 * 1024);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequest);
        // The producer's own heap (compressed batches waiting for the broker) is bounded by this
        // pool; it must hold the largest record. Part of the gateway's documented heap bound.
        config.put(
                ProducerConfig.BUFFER_MEMORY_CONFIG,
                producerBufferBytes(settings.ingest().maxBodyBytes()));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ackTimeoutMs);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1000, ackTimeoutMs - 500));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ackTimeoutMs);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "logai-gateway");
        config.putAll(KafkaClientOverrides.parse(kafka.clientProperties()));
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Writes one record ({@code key}: {@link dev.logai.common.contract.RecordKeys}, {@code value}: a
     * {@link dev.logai.common.contract.LogBatchCodec} batch, the source's {@code parserHint} in the
     * {@link dev.logai.common.contract.Topics#HEADER_PARSER_HINT} header when not null) and waits
     * for the acknowledgement.
     *
     * @throws KafkaUnavailableException when Kafka did not confirm within the ack timeout
     * @throws BatchTooLargeException when the record is over the producer's or broker's size limit
     */
    public RecordMetadata publish(String key, byte[] value, String parserHint)
            throws KafkaUnavailableException, BatchTooLargeException {
        long started = System.nanoTime();
        return await(send(key, value, parserHint), started, value.length);
    }

    /**
     * Starts writing one record (as {@link #publish}) without waiting, so one request's records for
     * several sources travel together; {@link #await} each.
     *
     * @throws BatchTooLargeException when the producer refuses the record's size at once
     * @throws KafkaUnavailableException when the producer cannot take it (closed, metadata timeout)
     */
    public Future<RecordMetadata> send(String key, byte[] value, String parserHint)
            throws KafkaUnavailableException, BatchTooLargeException {
        try {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
            // the request's trace continues in the pipeline (W3C traceparent; nothing without a span)
            traceHeaders.inject(record.headers());
            if (parserHint != null) {
                record.headers()
                        .add(
                                dev.logai.common.contract.Topics.HEADER_PARSER_HINT,
                                parserHint.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return producer.send(record);
        } catch (org.apache.kafka.common.errors.RecordTooLargeException e) {
            throw new BatchTooLargeException("The producer refused a record of " + value.length + " bytes", e);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new KafkaUnavailableException("Kafka producer error", e);
        }
    }

    /**
     * Waits for the acknowledgement of a record {@link #send} started at {@code startedNanos}
     * ({@link System#nanoTime}), at most the ack timeout from then.
     *
     * @param size the record's bytes, for the error message
     * @throws KafkaUnavailableException when Kafka did not confirm within the ack timeout
     * @throws BatchTooLargeException when the broker refused the record's size
     */
    public RecordMetadata await(Future<RecordMetadata> ack, long startedNanos, int size)
            throws KafkaUnavailableException, BatchTooLargeException {
        try {
            long left = ackTimeoutMs - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
            return ack.get(Math.max(1, left), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.RecordTooLargeException) {
                throw new BatchTooLargeException("Kafka refused a record of " + size + " bytes", e.getCause());
            }
            throw new KafkaUnavailableException("Kafka rejected or did not confirm the batch", e.getCause());
        } catch (TimeoutException | org.apache.kafka.common.errors.TimeoutException e) {
            throw new KafkaUnavailableException("Kafka did not confirm within " + ackTimeoutMs + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("Interrupted while waiting for Kafka", e);
        }
    }

    /** Heap the Kafka producer may hold for records not yet acknowledged: 32 MiB, or the largest record if more. */
    public static long producerBufferBytes(long maxBodyBytes) {
        return Math.max(32L * 1024 * 1024, maxBodyBytes * 3 + 1024 * 1024);
    }

    @Override
    public void destroy() {
        LOG.info("Flushing and closing the Kafka producer");
        producer.close(java.time.Duration.ofSeconds(10));
    }
}
