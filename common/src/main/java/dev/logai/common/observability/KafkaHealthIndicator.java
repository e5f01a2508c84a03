package dev.logai.common.observability;

import dev.logai.common.contract.KafkaClientOverrides;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Kafka as a health component ({@code kafka} in {@code /actuator/health}, and in the gateway's
 * readiness group): UP with the number of brokers when the cluster answers a describe-cluster
 * request within {@code timeout}, else DOWN with the kind of failure. One admin client is made on
 * the first check (so a service starts without Kafka) and kept; the settings are the service's own
 * ({@code LOGAI_KAFKA_BOOTSTRAP}, {@code LOGAI_KAFKA_CLIENT_PROPERTIES} for TLS/SASL/IAM).
 */
public final class KafkaHealthIndicator implements HealthIndicator, DisposableBean {
    private final String bootstrap;
    private final String clientProperties;
    private final Duration timeout;
    private Admin admin;

    /**
     * @param bootstrap Kafka's bootstrap servers
     * @param clientProperties extra client properties, "key=value;key=value" ({@link KafkaClientOverrides})
     * @param timeout the longest one check waits for the cluster; keep it under the probe's timeout
     */
    public KafkaHealthIndicator(String bootstrap, String clientProperties, Duration timeout) {
        this.bootstrap = bootstrap;
        this.clientProperties = clientProperties;
        this.timeout = timeout;
    }

    /** UP with {@code brokers} when the cluster answered in time, else DOWN with {@code error} (the exception's class). */
    @Override
    public Health health() {
        try {
            int brokers = admin().describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes()
                    .get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS)
                    .size();
            return Health.up().withDetail("brokers", brokers).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down().withDetail("error", "interrupted").build();
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return Health.down()
                    .withDetail("error", cause.getClass().getSimpleName())
                    .build();
        }
    }

    private synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> config = new HashMap<>();
            config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            config.put(AdminClientConfig.CLIENT_ID_CONFIG, "logai-health");
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
            config.putAll(KafkaClientOverrides.parse(clientProperties));
            admin = Admin.create(config);
        }
        return admin;
    }

    @Override
    public synchronized void destroy() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
