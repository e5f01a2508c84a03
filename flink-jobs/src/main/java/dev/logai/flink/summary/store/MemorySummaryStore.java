package dev.logai.flink.summary.store;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The store of a run without a database ({@code ./logai analyze}): the cache lives as long as the
 * process, every org has the same budget, and usage is only added up. All instances of a process
 * share it, as the parallel instances of one job share Postgres.
 */
public final class MemorySummaryStore implements SummaryStore {
    private static final Map<String, CachedAnswer> CACHE = new ConcurrentHashMap<>();
    private static final Map<String, double[]> SPENT = new ConcurrentHashMap<>();

    private final double budgetUsd;

    public MemorySummaryStore(double budgetUsd) {
        this.budgetUsd = budgetUsd;
    }

    @Override
    public Optional<CachedAnswer> cached(String orgId, String promptHash, boolean shared) {
        return Optional.ofNullable(CACHE.get(orgId + "/" + promptHash));
    }

    @Override
    public void remember(String orgId, String promptHash, CachedAnswer answer, boolean shared) {
        CACHE.put(orgId + "/" + promptHash, answer);
    }

    @Override
    public Budget budget(String orgId) {
        double[] spent = SPENT.get(orgId);
        return new Budget(budgetUsd, spent == null ? 0 : spent[0], false);
    }

    @Override
    public void record(String orgId, Usage usage) {
        SPENT.compute(orgId, (k, v) -> new double[] {(v == null ? 0 : v[0]) + usage.costUsd()});
    }
}
