package dev.logai.query.observability;

import dev.logai.common.observability.KafkaHealthIndicator;
import dev.logai.common.observability.KafkaProducerMetrics;
import dev.logai.common.observability.OrgLabels;
import dev.logai.common.observability.RequestOutcomeMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The query API's operations (docs/operations.md): auth failures and refusals beside Spring's HTTP
 * meters, the alert-rules producer's metrics, and Kafka as a health component. Kafka is not in the
 * readiness group: only rule changes need it (503 while it is down), and taking every read out of
 * service for that would be worse; Postgres ({@code db}) is. Actuator answers on the management port
 * ({@code LOGAI_API_MANAGEMENT_PORT}).
 */
@Configuration(proxyBeanMethods = false)
class ApiObservability {
    /** Auth failures and refusals; the API counts no ingest bytes. */
    @Bean
    RequestOutcomeMetrics requestOutcomeMetrics(MeterRegistry registry) {
        return new RequestOutcomeMetrics(registry, new OrgLabels(0), false);
    }

    /** {@code kafka} in /actuator/health (not in readiness): the brokers answer within 3 s. */
    @Bean
    KafkaHealthIndicator kafkaHealthIndicator(
            @Value("${logai.kafka.bootstrap:127.0.0.1:19092}") String bootstrap,
            @Value("${logai.kafka.client-properties:}") String clientProperties) {
        return new KafkaHealthIndicator(bootstrap, clientProperties, Duration.ofSeconds(3));
    }

    /** The alert-rules producer's metrics; NaN until the first rule change makes the producer. */
    @Bean
    KafkaProducerMetrics kafkaProducerMetrics() {
        return new KafkaProducerMetrics("logai-query-api-rules"); // AlertRulePublisher's client.id
    }
}
