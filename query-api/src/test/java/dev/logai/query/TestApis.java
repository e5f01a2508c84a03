package dev.logai.query;

import dev.logai.localstack.LocalStack;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Settings shared by the query API's ITCases. */
final class TestApis {
    private TestApis() {}

    /** {@code POST path} on the API at {@code port} with a JSON body, as the holder of {@code key}. */
    static java.net.http.HttpResponse<String> postJson(
            java.net.http.HttpClient http, int port, String key, String path, String json) throws Exception {
        return http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

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
