package dev.logai.flink.runtime;

import java.time.Duration;
import org.apache.flink.api.common.state.StateTtlConfig;

/** State time-to-live settings shared by operators that remember things for a fixed time. */
public final class StateTtl {
    private StateTtl() {}

    /**
     * Entries expire {@code ttl} after they were created or last written and are never returned
     * once expired. Cleanup: on the heap backend each state access also checks a few entries of
     * other keys; on RocksDB expired entries are dropped as their files are compacted.
     */
    public static StateTtlConfig forgetAfterWrite(Duration ttl) {
        return StateTtlConfig.newBuilder(ttl)
                .updateTtlOnCreateAndWrite()
                .neverReturnExpired()
                .cleanupIncrementally(10, false)
                .cleanupInRocksdbCompactFilter(1000)
                .build();
    }
}
