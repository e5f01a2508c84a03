package dev.logai.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.localstack.FreePorts;
import dev.logai.localstack.LocalStack;
import dev.logai.localstack.SharedLocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With no broker reachable the gateway must answer 503 + Retry-After in bounded time, never 2xx. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KafkaDownITCase {
    static LocalStack stack;

    @Value("${local.server.port}")
    int port;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        stack = SharedLocalStack.get(false);
        registry.add("spring.datasource.url", stack.postgres::jdbcUrl);
        registry.add("spring.datasource.username", () -> LocalStack.APP_ROLE);
        registry.add("spring.datasource.password", () -> stack.appPassword);
        registry.add("logai.kafka.bootstrap", () -> "127.0.0.1:" + FreePorts.pick()); // nothing listens
        registry.add("logai.kafka.ack-timeout", () -> "2s");
    }

    @Test
    void answers503WithRetryAfterWhenKafkaIsDown() throws Exception {
        LocalStack.Tenant t = stack.createTenant("kafka-down-org", "svc");
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/logs/stream"))
                .header("Authorization", "Bearer " + t.apiKey())
                .header("X-Source-Id", t.sourceId())
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("a line\nanother line\n"))
                .build();
        long started = System.nanoTime();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(response.body()).contains("nothing from this request was accepted");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }
}
