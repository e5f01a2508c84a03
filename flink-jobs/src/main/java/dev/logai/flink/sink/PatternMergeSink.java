package dev.logai.flink.sink;

import dev.logai.flink.template.TemplateMerge;
import java.io.IOException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Records {@link TemplateMerge}s in {@code pattern_merge} (old template id → the live one), so the
 * query API counts an old id's windows under the template it generalised into. Idempotent: a
 * replayed merge rewrites the same row.
 */
public class PatternMergeSink implements Sink<TemplateMerge> {
    private final PostgresSettings settings;

    public PatternMergeSink(PostgresSettings settings) {
        this.settings = settings;
    }

    @Override
    public SinkWriter<TemplateMerge> createWriter(WriterInitContext context) throws IOException {
        return new PatternMergeWriter(settings, context.getProcessingTimeService());
    }
}
