package dev.logai.query;

import dev.logai.localstack.LocalStack;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Settings shared by the query API's ITCases. */
final class TestApis {
    private TestApis() {}

    /**
     * Points the API at the shared stack's Postgres (as the app role) and Kafka, publishing alert
     * rules to {@code rulesTopic}.
     */
    static void onStack(DynamicPropertyRegistry registry, LocalStack stack, String rulesTopic) {
        registry.add("spring.datasource.url", stack.postgres::jdbcUrl);
        registry.add("spring.datasource.username", () -> LocalStack.APP_ROLE);
        registry.add("spring.datasource.password", () -> stack.appPassword);
        registry.add("logai.kafka.bootstrap", stack.kafka::bootstrapServers);
        registry.add("logai.kafka.alert-rules-topic", () -> rulesTopic);
    }
}
