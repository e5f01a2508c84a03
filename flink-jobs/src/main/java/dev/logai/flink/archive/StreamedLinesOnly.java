package dev.logai.flink.archive;

import dev.logai.flink.ingest.LogLine;
import org.apache.flink.api.common.functions.FilterFunction;

/**
 * Keeps the lines the archive must store: streamed ones. A line read from an upload is already
 * archived — the uploaded object is its raw archive — so it is not stored a second time.
 */
public class StreamedLinesOnly implements FilterFunction<LogLine> {
    @Override
    public boolean filter(LogLine line) {
        return line.uploadId == null;
    }
}
