package dev.logai.gateway.ingest;

import dev.logai.localstack.LocalStack;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Settings shared by the gateway ITCases. */
public final class TestGateways {
    private TestGateways() {}

    /**
     * Points the gateway at the shared stack's Postgres (as the app role) and Kafka, writing to a
     * new {@code topic} of {@code partitions}, with the given body and line limits.
     */
    public static void onStack(
            DynamicPropertyRegistry registry,
            LocalStack stack,
            String topic,
            int partitions,
            int maxBodyBytes,
            int maxLineBytes) {
        stack.kafka.createTopics(partitions, topic);
        registry.add("spring.datasource.url", stack.postgres::jdbcUrl);
        registry.add("spring.datasource.username", () -> LocalStack.APP_ROLE);
        registry.add("spring.datasource.password", () -> stack.appPassword);
        registry.add("logai.kafka.bootstrap", stack.kafka::bootstrapServers);
        registry.add("logai.kafka.topic", () -> topic);
        registry.add("logai.ingest.max-body-bytes", () -> maxBodyBytes);
        registry.add("logai.ingest.max-line-bytes", () -> maxLineBytes);
    }
}
