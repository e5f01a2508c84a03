package dev.logai.common.observability;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * A Kafka producer's own metrics as Micrometer meters, read from the JMX beans the Kafka client
 * registers for it ({@code kafka.producer:type=producer-metrics,client-id=…}; the client's default
 * {@code metric.reporters} is JMX), so the producer's owner needs no change. Names follow Prometheus
 * conventions (seconds, bytes, {@code _total}), tagged {@code client_id}:
 *
 * <ul>
 *   <li>{@code kafka_producer_records_sent_total}, {@code kafka_producer_record_errors_total},
 *       {@code kafka_producer_record_retries_total}, {@code kafka_producer_sent_bytes_total}
 *   <li>{@code kafka_producer_request_latency_avg_seconds}, {@code …_max_seconds} (broker round trip)
 *   <li>{@code kafka_producer_record_queue_time_avg_seconds} (time in the producer's buffer)
 *   <li>{@code kafka_producer_buffer_available_bytes}
 * </ul>
 *
 * A value reads NaN while the producer does not exist (it is made on first use in the query API).
 */
public final class KafkaProducerMetrics implements MeterBinder {
    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();
    private final String clientId;
    private final ObjectName bean;

    /** @param clientId the producer's {@code client.id} */
    public KafkaProducerMetrics(String clientId) {
        this.clientId = clientId;
        if (!clientId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(
                    "a Kafka client id of letters, digits, '.', '_' or '-' was expected: " + clientId);
        }
        try {
            this.bean = new ObjectName("kafka.producer:type=producer-metrics,client-id=" + clientId);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("not a usable Kafka client id: " + clientId, e);
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "kafka.producer.records.sent", "record-send-total", "records the broker acknowledged");
        counter(registry, "kafka.producer.record.errors", "record-error-total", "records whose send failed");
        counter(registry, "kafka.producer.record.retries", "record-retry-total", "record sends retried");
        counter(registry, "kafka.producer.sent.bytes", "outgoing-byte-total", "bytes sent to the brokers");
        seconds(registry, "kafka.producer.request.latency.avg", "request-latency-avg", "average broker round trip");
        seconds(registry, "kafka.producer.request.latency.max", "request-latency-max", "longest broker round trip");
        seconds(
                registry,
                "kafka.producer.record.queue.time.avg",
                "record-queue-time-avg",
                "average time a record waits in the producer's buffer");
        Gauge.builder("kafka.producer.buffer.available", this, m -> m.read("buffer-available-bytes"))
                .description("free bytes of the producer's buffer pool")
                .baseUnit("bytes")
                .tag("client_id", clientId)
                .register(registry);
    }

    private void counter(MeterRegistry registry, String name, String attribute, String description) {
        FunctionCounter.builder(name, this, m -> m.read(attribute))
                .description(description)
                .tag("client_id", clientId)
                .register(registry);
    }

    private void seconds(MeterRegistry registry, String name, String attribute, String description) {
        // Kafka reports milliseconds (NaN before the first request)
        Gauge.builder(name, this, m -> m.read(attribute) / 1000.0)
                .description(description)
                .baseUnit("seconds")
                .tag("client_id", clientId)
                .register(registry);
    }

    /** The attribute's value, NaN while the bean or the attribute is missing. */
    double read(String attribute) {
        try {
            return ((Number) JMX.getAttribute(bean, attribute)).doubleValue();
        } catch (Exception missing) {
            return Double.NaN;
        }
    }
}
