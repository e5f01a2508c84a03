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

    /**
     * How long what the job learned about a source (its format, templates, baselines, open incident)
     * is kept after the source was last seen: the longest plan retention. A source quiet that long
     * starts learning again, as its data is gone too; a deleted org's state (nothing of it is read
     * again: its keys are gone and the sinks skip its rows) is dropped by then.
     */
    public static final Duration LEARNED_STATE_TTL = Duration.ofDays(90);

    /** {@code descriptor} with {@link #LEARNED_STATE_TTL}, counted from the last read or write; returned for use inline. */
    public static <T> org.apache.flink.api.common.state.ValueStateDescriptor<T> learned(
            org.apache.flink.api.common.state.ValueStateDescriptor<T> descriptor) {
        descriptor.enableTimeToLive(learnedTtl());
        return descriptor;
    }

    /** {@code descriptor} with {@link #LEARNED_STATE_TTL}, counted from the last read or write of each entry. */
    public static <K, V> org.apache.flink.api.common.state.MapStateDescriptor<K, V> learned(
            org.apache.flink.api.common.state.MapStateDescriptor<K, V> descriptor) {
        descriptor.enableTimeToLive(learnedTtl());
        return descriptor;
    }

    /** {@code descriptor} with {@link #LEARNED_STATE_TTL}, counted from the last read or write. */
    public static <T> org.apache.flink.api.common.state.ListStateDescriptor<T> learned(
            org.apache.flink.api.common.state.ListStateDescriptor<T> descriptor) {
        descriptor.enableTimeToLive(learnedTtl());
        return descriptor;
    }

    private static StateTtlConfig learnedTtl() {
        return StateTtlConfig.newBuilder(LEARNED_STATE_TTL)
                .updateTtlOnReadAndWrite()
                .neverReturnExpired()
                .cleanupIncrementally(10, false)
                .cleanupInRocksdbCompactFilter(1000)
                .build();
    }
}
