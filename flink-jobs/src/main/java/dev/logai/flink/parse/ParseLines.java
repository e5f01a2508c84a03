package dev.logai.flink.parse;

import dev.logai.flink.ingest.LogLine;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/** Turns each raw line into a {@link LogRecord}; the parser never throws, so neither does this. */
public class ParseLines extends RichMapFunction<LogLine, LogRecord> {
    private transient LineParser parser;

    @Override
    public void open(OpenContext openContext) {
        parser = new LineParser();
    }

    @Override
    public LogRecord map(LogLine line) {
        return parser.parse(line);
    }
}
