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
     * @param inFlightBytes heap all ingest requests together may hold (buffers and encoded lines);
     *     past it requests get 503 + Retry-After ({@code IngestAdmission})
     * @param orgInFlightBytes the share of {@code inFlightBytes} one org's requests may hold; past
     *     it that org's requests get 429 + Retry-After, other orgs are unaffected
     * @param keyInFlightBytes the share of its org's budget one API key's requests may hold (0: the
     *     whole org budget); past it that key's requests get 429
     * @param admissionWait how long a request waits for bytes to come free before that answer
     */
    public record Ingest(
            long maxBodyBytes,
            int maxLineBytes,
            long inFlightBytes,
            long orgInFlightBytes,
            long keyInFlightBytes,
            Duration admissionWait) {}

    public record Auth(Duration cacheTtl) {}
}
