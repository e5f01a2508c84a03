package dev.logai.flink.sink;

import dev.logai.flink.PipelineOptions;
import java.io.Serializable;
import org.apache.flink.configuration.Configuration;

/**
 * Where and how the job writes to Postgres, as the application role (row-level security applies).
 *
 * @param flushIntervalMs longest time a row waits in a sink's buffer
 * @param maxBufferedRows rows a sink buffers before it flushes regardless of time
 */
public record PostgresSettings(String url, String user, String password, long flushIntervalMs, int maxBufferedRows)
        implements Serializable {

    /** Rows a sink buffers before it flushes regardless of time. */
    static final int MAX_BUFFERED_ROWS = 5_000;

    /** The database settings of a deployment ({@code LOGAI_DB_*}). */
    public static PostgresSettings from(Configuration config) {
        return new PostgresSettings(
                config.get(PipelineOptions.DB_URL),
                config.get(PipelineOptions.DB_USER),
                config.get(PipelineOptions.DB_PASSWORD),
                config.get(PipelineOptions.DB_FLUSH_INTERVAL).toMillis(),
                MAX_BUFFERED_ROWS);
    }
}
