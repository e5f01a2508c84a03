package dev.logai.flink.window;

import dev.logai.flink.parse.LogRecord;
import org.apache.flink.api.java.functions.KeySelector;

/** Keys by {@code org/source/template}: one counter per template and window. */
public class PatternKey implements KeySelector<LogRecord, String> {
    @Override
    public String getKey(LogRecord record) {
        return record.orgId + "/" + record.sourceId + "/" + record.templateId;
    }
}
