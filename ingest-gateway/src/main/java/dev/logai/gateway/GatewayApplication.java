package dev.logai.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The ingest gateway: {@code POST /v1/logs/stream} → authenticated, bounded → one Kafka record. */
@SpringBootApplication(scanBasePackages = {"dev.logai.gateway", "dev.logai.common.web"})
@ConfigurationPropertiesScan
public class GatewayApplication {
    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }
}
