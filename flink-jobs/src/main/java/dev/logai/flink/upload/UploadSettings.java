package dev.logai.flink.upload;

import dev.logai.flink.PipelineOptions;
import dev.logai.flink.sink.PostgresSettings;
import java.io.Serializable;
import org.apache.flink.configuration.Configuration;

/**
 * How uploads are read: the object store, the step size, the line limit, and where progress is
 * recorded.
 *
 * @param s3Endpoint S3 endpoint (null: AWS S3)
 * @param s3Region S3 region
 * @param s3AccessKey null: the default AWS credential chain
 * @param s3SecretKey the secret of {@code s3AccessKey}
 * @param chunkBytes line-stream bytes read per step (one chunk row); a step ends at the first line
 *     end past it
 * @param maxLineBytes longer lines are cut to this many bytes (at a UTF-8 boundary) and flagged
 * @param db where upload status and chunk rows are written (as the application role)
 */
public record UploadSettings(
        String s3Endpoint,
        String s3Region,
        String s3AccessKey,
        String s3SecretKey,
        int chunkBytes,
        int maxLineBytes,
        PostgresSettings db,
        String plans)
        implements Serializable {

    /** The settings of a deployment ({@code LOGAI_S3_*}, {@code LOGAI_UPLOAD_*}, {@code LOGAI_DB_*}). */
    public static UploadSettings from(Configuration config) {
        long chunk = config.get(PipelineOptions.UPLOAD_CHUNK_SIZE).getBytes();
        int maxLine = config.get(PipelineOptions.UPLOAD_MAX_LINE_BYTES);
        // At least the binary probe: a binary file is refused by its first step, before any line of it leaves.
        if (chunk < LineStream.BINARY_PROBE_BYTES || chunk > 64L * 1024 * 1024) {
            throw new IllegalArgumentException("LOGAI_UPLOAD_CHUNK_SIZE must be between 64kb and 64mb, got " + chunk);
        }
        if (maxLine < 1024) {
            throw new IllegalArgumentException("LOGAI_UPLOAD_MAX_LINE_BYTES must be at least 1024, got " + maxLine);
        }
        return new UploadSettings(
                config.getOptional(PipelineOptions.S3_ENDPOINT).orElse(null),
                config.get(PipelineOptions.S3_REGION),
                config.getOptional(PipelineOptions.S3_ACCESS_KEY).orElse(null),
                config.getOptional(PipelineOptions.S3_SECRET_KEY).orElse(null),
                (int) chunk,
                maxLine,
                PostgresSettings.from(config),
                config.get(PipelineOptions.PLANS));
    }
}
