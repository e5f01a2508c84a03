package dev.logai.flink.sink;

import dev.logai.flink.window.WindowStats;
import java.io.IOException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Upserts {@link WindowStats} into {@code window_stats}. Delivery is at-least-once (everything
 * buffered is written before a checkpoint completes); the upsert of full totals makes repeats
 * harmless, which together gives exactly-once results in the table.
 */
public class WindowStatsSink implements Sink<WindowStats> {
    private final PostgresSettings settings;

    public WindowStatsSink(PostgresSettings settings) {
        this.settings = settings;
    }

    @Override
    public SinkWriter<WindowStats> createWriter(WriterInitContext context) throws IOException {
        return new WindowStatsWriter(settings, context.getProcessingTimeService());
    }
}
