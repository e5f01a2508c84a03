package dev.logai.flink.ingest;

import org.apache.flink.api.java.functions.KeySelector;

/** Keys batches by {@code org/source}: the same string {@link LineSourceKey} gives their lines. */
public class BatchSourceKey implements KeySelector<DecodedBatch, String> {
    @Override
    public String getKey(DecodedBatch decoded) {
        return decoded.batch.orgId() + "/" + decoded.batch.sourceId();
    }
}
