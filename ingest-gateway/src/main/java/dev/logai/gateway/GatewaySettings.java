package dev.logai.gateway;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Typed view of the {@code logai.*} settings in application.yml (environment variables). */
@ConfigurationProperties(prefix = "logai")
public record GatewaySettings(Kafka kafka, Ingest ingest, Auth auth) {

    public record Kafka(String bootstrap, String topic, String clientProperties, Duration ackTimeout) {}

    /**
     * @param maxBodyBytes limit on the request body, checked on the bytes received and again on the
     *     decompressed bytes, so a gzip bomb is cut off after this many bytes
     * @param maxLineBytes longer lines are cut to this many bytes (at a UTF-8 boundary) and flagged
     * @param maxConcurrentRequests requests decoded at once; further ones get 503 + Retry-After
     */
    public record Ingest(long maxBodyBytes, int maxLineBytes, int maxConcurrentRequests) {}

    public record Auth(Duration cacheTtl) {}
}
