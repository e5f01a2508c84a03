package dev.logai.flink.upload;

import org.apache.flink.api.java.functions.KeySelector;

/**
 * Keys uploads by {@code org/source}: one source's uploads are read one after another, never
 * interleaved, so the source's event-time clock sees each file in its own order.
 */
public class UploadSourceKey implements KeySelector<UploadTask, String> {
    @Override
    public String getKey(UploadTask task) {
        return task.orgId + "/" + task.sourceId;
    }
}
