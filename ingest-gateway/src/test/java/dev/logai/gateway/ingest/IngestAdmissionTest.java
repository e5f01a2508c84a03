package dev.logai.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logai.common.web.ApiProblem;
import dev.logai.gateway.GatewaySettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IngestAdmissionTest {
    final IngestAdmission admission = new IngestAdmission(new GatewaySettings(
            null, new GatewaySettings.Ingest(1024 * 1024, 1024, 1000, 600, 0, Duration.ofMillis(50)), null));

    private static int status(Runnable r) {
        try {
            r.run();
            return 0;
        } catch (ApiProblem p) {
            return p.status();
        }
    }

    @Test
    void anOrgAtItsBudgetGets429AnotherOrgIsAdmittedUntilTheGlobalBudget() {
        IngestAdmission.Reservation a = admission.open("a", "key-a");
        a.reserve(600);
        IngestAdmission.Reservation a2 = admission.open("a", "key-a");
        assertThat(status(() -> a2.reserve(1))).isEqualTo(429);
        IngestAdmission.Reservation b = admission.open("b", "key-b");
        b.reserve(400);
        IngestAdmission.Reservation c = admission.open("c", "key-c");
        assertThat(status(() -> c.reserve(1))).isEqualTo(503);
        assertThat(admission.inFlightBytes()).isEqualTo(1000);
        a.close();
        c.reserve(1);
        assertThat(admission.inFlightBytes()).isEqualTo(401);
        b.close();
        c.close();
        a2.close();
        assertThat(admission.inFlightBytes()).isZero();
        assertThat(admission.peakInFlightBytes()).isEqualTo(1000);
    }

    @Test
    void aKeyAtItsBudgetGets429WhileAnotherKeyOfTheSameOrgIsAdmitted() {
        IngestAdmission keys = new IngestAdmission(new GatewaySettings(
                null, new GatewaySettings.Ingest(1024, 16, 1000, 600, 200, Duration.ofMillis(50)), null));
        IngestAdmission.Reservation first = keys.open("a", "key-1");
        first.reserve(200);
        IngestAdmission.Reservation sameKey = keys.open("a", "key-1");
        assertThatThrownBy(() -> sameKey.reserve(1)).isInstanceOfSatisfying(ApiProblem.class, p -> {
            assertThat(p.status()).isEqualTo(429);
            assertThat(p.getMessage()).contains("API key");
        });
        IngestAdmission.Reservation otherKey = keys.open("a", "key-2");
        otherKey.reserve(200);
        IngestAdmission.Reservation otherKeyAgain = keys.open("a", "key-2");
        assertThat(status(() -> otherKeyAgain.reserve(1))).isEqualTo(429);
        otherKeyAgain.close();
        assertThat(status(() -> keys.open("a", "key-3").reserve(201)))
                .as("alone over the key budget")
                .isEqualTo(413);
        first.close();
        otherKey.close();
        sameKey.close();
        assertThat(keys.inFlightBytes()).isZero();
    }

    @Test
    void aRequestThatAloneExceedsTheOrgBudgetIs413() {
        IngestAdmission.Reservation r = admission.open("a", "key-a");
        r.reserve(500);
        assertThatThrownBy(() -> r.reserve(101))
                .isInstanceOfSatisfying(
                        ApiProblem.class, p -> assertThat(p.status()).isEqualTo(413));
        r.close();
        assertThat(admission.inFlightBytes()).isZero();
    }

    @Test
    void aWaitingRequestIsAdmittedWhenBytesComeFree() throws Exception {
        IngestAdmission slow = new IngestAdmission(new GatewaySettings(
                null, new GatewaySettings.Ingest(1024, 16, 100, 100, 0, Duration.ofSeconds(30)), null));
        IngestAdmission.Reservation holder = slow.open("a", "key-a");
        holder.reserve(100);
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(200); // the other request is waiting by then (it may wait 30 s)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            holder.close();
        });
        release.start();
        IngestAdmission.Reservation waiting = slow.open("a", "key-a");
        waiting.reserve(100);
        release.join();
        assertThat(slow.inFlightBytes()).isEqualTo(100);
        waiting.close();
    }

    /**
     * Hold and wait: two requests each hold part of the global budget and both wait for more than
     * is left. Without wound-wait both time out; with it the younger gives up at once and the older
     * gets its bytes.
     */
    @Test
    void ofTwoRequestsWaitingForEachOthersBytesTheYoungerGivesUpAndTheOlderProceeds() throws Exception {
        IngestAdmission slow = patientAdmission();
        IngestAdmission.Reservation older = slow.open("a", "key-a");
        IngestAdmission.Reservation younger = slow.open("b", "key-b");
        older.reserve(450);
        younger.reserve(450);
        java.util.concurrent.CompletableFuture<Integer> olderMore =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> status(() -> older.reserve(150)));
        java.util.concurrent.CompletableFuture<Integer> youngerMore =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    int status = status(() -> younger.reserve(150));
                    if (status != 0) {
                        younger.close(); // as the controller's try-with-resources does
                    }
                    return status;
                });
        long start = System.nanoTime();
        assertThat(youngerMore.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(503);
        assertThat(olderMore.get(10, java.util.concurrent.TimeUnit.SECONDS)).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("well before the 5 s wait")
                .isLessThan(Duration.ofSeconds(4));
        older.close();
        younger.close();
        assertThat(slow.inFlightBytes()).isZero();
    }

    /** The oldest waiter woken by a release too small for it waits on; it is never refused by its own wait. */
    @Test
    void theOldestWaiterWokenByTooSmallAReleaseKeepsWaitingAndGetsItsBytes() throws Exception {
        IngestAdmission slow = patientAdmission();
        IngestAdmission.Reservation older = slow.open("a", "key-a");
        IngestAdmission.Reservation other = slow.open("b", "key-b");
        IngestAdmission.Reservation small = slow.open("c", "key-c");
        older.reserve(450);
        other.reserve(450);
        small.reserve(50);
        java.util.concurrent.CompletableFuture<Integer> more =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> status(() -> older.reserve(150)));
        awaitWaiting(slow, 1);
        small.close(); // 50 bytes: not enough, the waiter wakes and waits again
        Thread.sleep(100);
        awaitWaiting(slow, 1);
        other.close();
        assertThat(more.get(10, java.util.concurrent.TimeUnit.SECONDS)).isZero();
        older.close();
        assertThat(slow.inFlightBytes()).isZero();
    }

    /**
     * A request short of its org's budget and of the global one does not make another org's waiting
     * request give up: that org's bytes could not admit it.
     */
    @Test
    void aWaitingRequestOfAnotherOrgIsNotWoundedForAnOrgBudget() throws Exception {
        IngestAdmission slow = patientAdmission();
        IngestAdmission.Reservation a = slow.open("a", "key-a");
        a.reserve(600);
        IngestAdmission.Reservation a2 = slow.open("a", "key-a");
        IngestAdmission.Reservation b = slow.open("b", "key-b");
        b.reserve(350);
        java.util.concurrent.CompletableFuture<Integer> bMore =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> status(() -> b.reserve(100)));
        awaitWaiting(slow, 1); // b waits for the global budget (1,050 of 1,000)
        java.util.concurrent.CompletableFuture<Integer> a2More =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> status(() -> a2.reserve(100)));
        awaitWaiting(slow, 2); // a2, older than b, waits for its org's budget (700 of 600) and the global one
        a.close();
        assertThat(bMore.get(10, java.util.concurrent.TimeUnit.SECONDS)).isZero();
        assertThat(a2More.get(10, java.util.concurrent.TimeUnit.SECONDS)).isZero();
        a2.close();
        b.close();
        assertThat(slow.inFlightBytes()).isZero();
    }

    /** Waits (up to 5 s) until {@code n} requests are waiting in {@code admission}. */
    private static void awaitWaiting(IngestAdmission admission, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (admission.waitingRequests() < n) {
            assertThat(System.nanoTime()).as("%d requests waiting", n).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    /** Global budget 1,000 bytes, 600 per org and key, and a 5 s wait: long enough to see who gives up first. */
    private static IngestAdmission patientAdmission() {
        return new IngestAdmission(new GatewaySettings(
                null, new GatewaySettings.Ingest(1024, 16, 1000, 600, 0, Duration.ofSeconds(5)), null));
    }
}
