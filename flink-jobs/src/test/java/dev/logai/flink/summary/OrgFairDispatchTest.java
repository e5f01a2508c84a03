package dev.logai.flink.summary;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OrgFairDispatchTest {
    @Test
    void anOrgWithABurstHoldsAtMostItsCapAndAnotherOrgStartsAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            OrgFairDispatch dispatch = new OrgFairDispatch(
                    pool, 4, org -> Map.of("org_hot", 2, "org_calm", 2).get(org));
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger hotRunningMax = new AtomicInteger();
            AtomicInteger hotRunning = new AtomicInteger();
            AtomicInteger hotDone = new AtomicInteger();
            for (int i = 0; i < 10; i++) {
                dispatch.submit("org_hot", () -> {
                    hotRunningMax.accumulateAndGet(hotRunning.incrementAndGet(), Math::max);
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    hotRunning.decrementAndGet();
                    hotDone.incrementAndGet();
                });
            }
            assertThat(dispatch.running("org_hot")).isEqualTo(2);
            assertThat(dispatch.waiting("org_hot")).isEqualTo(8);

            CountDownLatch calmRan = new CountDownLatch(1);
            dispatch.submit("org_calm", calmRan::countDown);
            // a free thread serves the calm org although the hot org queued first
            assertThat(calmRan.await(5, TimeUnit.SECONDS)).isTrue();

            // both hot tasks must be running before they are released, or a pool thread slow to
            // start (a loaded machine) lets the first finish before the second begins
            long started = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (hotRunning.get() < 2 && System.nanoTime() < started) {
                Thread.sleep(5);
            }
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (hotDone.get() < 10 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(hotDone.get()).isEqualTo(10);
            assertThat(hotRunningMax.get()).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }
}
