package dev.logai.gateway.upload;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Typed view of the {@code logai.upload.*} settings (application.yml, {@code LOGAI_S3_*} and
 * {@code LOGAI_UPLOAD_*} environment variables).
 *
 * @param bucket the bucket uploads are PUT into (the raw archive's: the uploaded object is the
 *     archive of its lines)
 * @param endpoint S3 endpoint the gateway talks to (HEAD); empty for AWS S3
 * @param publicEndpoint S3 endpoint the pre-signed URLs name, for clients that reach the store by
 *     another address than the gateway does; empty: {@code endpoint}
 * @param region S3 region, also signed into the URLs
 * @param accessKey S3 access key; empty: the default AWS credential chain (IRSA, instance role)
 * @param secretKey S3 secret key
 * @param maxFileBytes largest file one upload may be, in bytes (5 GiB, S3's limit for one PUT)
 * @param urlTtl how long a pre-signed URL stays valid (1 s to 7 days)
 * @param headAttempts how many times register-upload looks for the object before it answers that
 *     the object is missing (stores can be briefly behind their writes)
 * @param headRetryDelay wait between those looks
 * @param topic Kafka topic of "upload registered" events
 */
@ConfigurationProperties(prefix = "logai.upload")
public record UploadSettings(
        String bucket,
        String endpoint,
        String publicEndpoint,
        String region,
        String accessKey,
        String secretKey,
        long maxFileBytes,
        Duration urlTtl,
        int headAttempts,
        Duration headRetryDelay,
        String topic) {

    public UploadSettings {
        if (maxFileBytes < 1) {
            throw new IllegalArgumentException("LOGAI_UPLOAD_MAX_FILE_BYTES must be at least 1, got " + maxFileBytes);
        }
        if (urlTtl.isNegative() || urlTtl.toSeconds() < 1 || urlTtl.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("LOGAI_UPLOAD_URL_TTL must be between 1s and 7d, got " + urlTtl);
        }
        if (headAttempts < 1) {
            throw new IllegalArgumentException("LOGAI_UPLOAD_HEAD_ATTEMPTS must be at least 1, got " + headAttempts);
        }
    }
}
