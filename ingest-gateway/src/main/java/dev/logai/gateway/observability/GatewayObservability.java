package dev.logai.gateway.observability;

import dev.logai.common.observability.KafkaHealthIndicator;
import dev.logai.common.observability.KafkaProducerMetrics;
import dev.logai.common.observability.KafkaTraceHeaders;
import dev.logai.common.observability.OrgLabels;
import dev.logai.common.observability.RequestOutcomeMetrics;
import dev.logai.gateway.GatewaySettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The gateway's operations (docs/operations.md): its meters beside Spring's HTTP ones (auth
 * failures, refusals, per-org bytes received, the Kafka producer's own metrics), Kafka as a health
 * component of the readiness group (with Postgres' {@code db}), and the trace context for the
 * records it writes. Actuator answers on the management port ({@code LOGAI_GATEWAY_MANAGEMENT_PORT}).
 */
@Configuration(proxyBeanMethods = false)
class GatewayObservability {
    /** The {@code client.id} of the gateway's producer (BatchPublisher). */
    static final String PRODUCER_CLIENT_ID = "logai-gateway";

    /** Auth failures, refusals and bytes received per org (at most {@code LOGAI_METRICS_MAX_ORG_SERIES} org labels). */
    @Bean
    RequestOutcomeMetrics requestOutcomeMetrics(
            MeterRegistry registry, @Value("${logai.metrics.max-org-series:100}") int maxOrgSeries) {
        return new RequestOutcomeMetrics(registry, new OrgLabels(maxOrgSeries), true);
    }

    /** {@code kafka} in /actuator/health and /readyz: the brokers answer within 3 s. */
    @Bean
    KafkaHealthIndicator kafkaHealthIndicator(GatewaySettings settings) {
        return new KafkaHealthIndicator(
                settings.kafka().bootstrap(), settings.kafka().clientProperties(), Duration.ofSeconds(3));
    }

    /** The raw-lines producer's metrics ({@code kafka_producer_*{client_id="logai-gateway"}}). */
    @Bean
    KafkaProducerMetrics kafkaProducerMetrics() {
        return new KafkaProducerMetrics(PRODUCER_CLIENT_ID);
    }

    /** The trace context for the raw-lines records: {@code traceHeaders.inject(record.headers())} before sending. */
    @Bean
    KafkaTraceHeaders kafkaTraceHeaders(Tracer tracer, Propagator propagator) {
        return new KafkaTraceHeaders(tracer, propagator);
    }
}
