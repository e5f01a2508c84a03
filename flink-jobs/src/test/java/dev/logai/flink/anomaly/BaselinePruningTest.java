package dev.logai.flink.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bound on per-service and per-template baselines: forgotten by age, then cut to the cap, oldest first. */
class BaselinePruningTest {

    @Test
    void forgetsWhatWasNotSeenForLongerThanTheBound() {
        Map<String, Long> lastSeen = new LinkedHashMap<>();
        lastSeen.put("fresh", 1_000L);
        lastSeen.put("at-the-bound", 900L);
        lastSeen.put("past-the-bound", 899L);
        assertThat(BaselinePruning.stale(lastSeen.entrySet(), Long::longValue, 1_000, 100, 10))
                .containsExactly("past-the-bound");
    }

    @Test
    void cutsToTheCapLeastRecentlySeenFirstTiesBySmallerKey() {
        Map<String, Long> lastSeen = new LinkedHashMap<>();
        lastSeen.put("d", 10L);
        lastSeen.put("b", 5L);
        lastSeen.put("a", 5L);
        lastSeen.put("c", 7L);
        assertThat(BaselinePruning.stale(lastSeen.entrySet(), Long::longValue, 10, 100, 2))
                .containsExactly("a", "b");
        assertThat(BaselinePruning.stale(lastSeen.entrySet(), Long::longValue, 10, 100, 4))
                .isEmpty();
    }
}
