package dev.logai.flink.ingest;

import org.apache.flink.api.java.functions.KeySelector;

/** Keys raw lines by {@code org/source}, the same key records get downstream. */
public class LineSourceKey implements KeySelector<LogLine, String> {
    @Override
    public String getKey(LogLine line) {
        return line.orgId + "/" + line.sourceId;
    }
}
