package dev.logai.common.contract;

/** Kafka record keys: {@code org_id/source_id}, so one source's batches stay ordered in one partition. */
public final class RecordKeys {
    private RecordKeys() {}

    public static String of(String orgId, String sourceId) {
        return orgId + "/" + sourceId;
    }
}
