package dev.logai.flink.sink;

import dev.logai.flink.window.PatternWindow;
import java.io.IOException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Upserts {@link PatternWindow}s into {@code pattern} (text, first and last seen) and
 * {@code pattern_window} (the window's count; a trigger keeps the pattern's total). At-least-once
 * delivery plus full-total upserts gives exactly-once counts, as for window stats.
 */
public class PatternWindowSink implements Sink<PatternWindow> {
    private final PostgresSettings settings;

    public PatternWindowSink(PostgresSettings settings) {
        this.settings = settings;
    }

    @Override
    public SinkWriter<PatternWindow> createWriter(WriterInitContext context) throws IOException {
        return new PatternWindowWriter(settings, context.getProcessingTimeService());
    }
}
