package dev.logai.flink.window;

import dev.logai.flink.parse.LogRecord;
import org.apache.flink.api.java.functions.KeySelector;

/** Keys by {@code org/source}: all state of a source lives on one subtask, and orgs never mix. */
public class OrgSourceKey implements KeySelector<LogRecord, String> {
    @Override
    public String getKey(LogRecord record) {
        return record.orgId + "/" + record.sourceId;
    }
}
