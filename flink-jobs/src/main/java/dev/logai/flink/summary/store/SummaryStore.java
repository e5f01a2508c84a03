package dev.logai.flink.summary.store;

import java.util.Optional;

/**
 * What the summarizer remembers between calls: model answers by scrubbed-prompt hash (per org,
 * and shared among orgs that opted in), each org's monthly AI budget, and what it has spent.
 * Implementations are thread-safe.
 */
public interface SummaryStore extends AutoCloseable {
    /** A model's validated answer (canonical JSON) and what producing it took. */
    record CachedAnswer(String answerJson, String model, String promptVersion, int tokensIn, int tokensOut) {}

    /** An org's budget for the current month, what it has spent, and whether it shares its cache. */
    record Budget(double limitUsd, double spentUsd, boolean sharedCache) {
        public boolean allows(double estimatedUsd) {
            return spentUsd + estimatedUsd <= limitUsd;
        }
    }

    /** One summary's effect on the month's usage. */
    record Usage(int llmCalls, int cacheHits, int fallbacks, long tokensIn, long tokensOut, double costUsd) {}

    Optional<CachedAnswer> cached(String orgId, String promptHash, boolean shared) throws Exception;

    void remember(String orgId, String promptHash, CachedAnswer answer, boolean shared) throws Exception;

    Budget budget(String orgId) throws Exception;

    void record(String orgId, Usage usage) throws Exception;

    /**
     * How many summaries of {@code orgId} may be in flight at once on one task (its plan's
     * {@code summaries_in_flight}); without plans (the in-memory store of {@code ./logai analyze}) no cap.
     */
    default int summariesInFlight(String orgId) throws Exception {
        return Integer.MAX_VALUE;
    }

    @Override
    default void close() {}
}
