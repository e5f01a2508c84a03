package dev.logai.flink.summary;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.ToIntFunction;

/**
 * Fair sharing of one task's summarizing threads among orgs (seed spec §10): each org has its own
 * queue, at most its cap of work running at once (its plan's {@code summaries_in_flight}), and a
 * free thread takes the next org in turn (round robin), not the oldest request overall. So an org
 * with a burst of incidents waits behind its own queue while another org's first summary starts
 * at once, and no org can hold every thread.
 *
 * <p>Thread-safe: submitted from the task's thread, completed from the pool's.
 */
final class OrgFairDispatch {
    private final Executor pool;
    private final int threads;
    private final ToIntFunction<String> capOf;
    private final Map<String, ArrayDeque<Runnable>> queued = new HashMap<>();
    private final Map<String, Integer> running = new HashMap<>();
    /** Orgs with queued work, in turn order. */
    private final List<String> turn = new ArrayList<>();

    private int runningTotal;

    /**
     * @param pool runs the work
     * @param threads the pool's threads: most work running at once over all orgs
     * @param capOf an org's most running work at once (at least 1 is used)
     */
    OrgFairDispatch(Executor pool, int threads, ToIntFunction<String> capOf) {
        this.pool = pool;
        this.threads = threads;
        this.capOf = capOf;
    }

    /** Queues {@code work} of {@code orgId}; it runs when a thread is free and the org is under its cap. */
    void submit(String orgId, Runnable work) {
        synchronized (this) {
            queued.computeIfAbsent(orgId, o -> new ArrayDeque<>()).add(work);
            if (!turn.contains(orgId)) {
                turn.add(orgId);
            }
        }
        dispatch();
    }

    /** Work running now for {@code orgId}. */
    synchronized int running(String orgId) {
        return running.getOrDefault(orgId, 0);
    }

    /** Work waiting for {@code orgId}. */
    synchronized int waiting(String orgId) {
        ArrayDeque<Runnable> q = queued.get(orgId);
        return q == null ? 0 : q.size();
    }

    private void dispatch() {
        while (true) {
            String org;
            Runnable next;
            synchronized (this) {
                if (runningTotal >= threads) {
                    return;
                }
                org = null;
                for (int i = 0; i < turn.size(); i++) {
                    String candidate = turn.get(i);
                    if (running.getOrDefault(candidate, 0) < Math.max(1, capOf.applyAsInt(candidate))) {
                        org = candidate;
                        break;
                    }
                }
                if (org == null) {
                    return;
                }
                ArrayDeque<Runnable> q = queued.get(org);
                next = q.poll();
                turn.remove(org);
                if (q.isEmpty()) {
                    queued.remove(org);
                } else {
                    turn.add(org); // to the back of the line
                }
                running.merge(org, 1, Integer::sum);
                runningTotal++;
            }
            String done = org;
            Runnable work = next;
            pool.execute(() -> {
                try {
                    work.run();
                } finally {
                    synchronized (this) {
                        running.computeIfPresent(done, (k, v) -> v > 1 ? v - 1 : null);
                        runningTotal--;
                    }
                    dispatch();
                }
            });
        }
    }
}
