package dev.logai.flink.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.common.contract.LogBatch;
import dev.logai.common.contract.LogBatchCodec;
import dev.logai.common.contract.RawLine;
import dev.logai.flink.deadletter.DeadLetter;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The dedup operator on Flink's keyed test harness: a retry (same org, source and key) is dropped
 * onto the dead-letter side output, anything else passes; a key is forgotten 24 h after its first
 * use (state TTL, on the harness's clock) and its state entry goes; a restored operator still knows
 * the keys it had seen.
 */
class DropRetriedBatchesTest {
    static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    static final long DAY = DropRetriedBatches.REMEMBER_FOR.toMillis();

    static int offset = 0;

    static KeyedOneInputStreamOperatorTestHarness<String, DecodedBatch, DecodedBatch> harness() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DropRetriedBatches()), new BatchSourceKey(), Types.STRING);
        at(h, T0);
        return h;
    }

    /** Sets the job's clock: processing time and the clock state TTL reads. */
    static void at(KeyedOneInputStreamOperatorTestHarness<String, DecodedBatch, DecodedBatch> h, long millis)
            throws Exception {
        h.setProcessingTime(millis);
        h.setStateTtlProcessingTime(millis);
    }

    /** A request of org_a received at {@code receivedAt}, with two lines; each call is a new request (batch id). */
    static DecodedBatch batch(String sourceId, String idempotencyKey, long receivedAt) {
        int n = offset++;
        return new DecodedBatch(
                "kafka:raw/0@" + n,
                new LogBatch(
                        "org_a",
                        sourceId,
                        "batch-" + n,
                        receivedAt,
                        LogBatch.PayloadFormat.TEXT,
                        List.of(RawLine.of("GET /a 200"), RawLine.of("GET /b 500")),
                        idempotencyKey));
    }

    static void send(KeyedOneInputStreamOperatorTestHarness<String, DecodedBatch, DecodedBatch> h, DecodedBatch b)
            throws Exception {
        h.processElement(new StreamRecord<>(b));
    }

    static List<String> passed(KeyedOneInputStreamOperatorTestHarness<String, DecodedBatch, DecodedBatch> h) {
        return h.extractOutputValues().stream().map(d -> d.batch.batchId()).toList();
    }

    static List<DeadLetter> dropped(KeyedOneInputStreamOperatorTestHarness<String, DecodedBatch, DecodedBatch> h) {
        List<DeadLetter> letters = new ArrayList<>();
        var queue = h.getSideOutput(DropRetriedBatches.RETRIED);
        if (queue != null) {
            queue.forEach(r -> letters.add(r.getValue()));
        }
        return letters;
    }

    /** The first-receive times the operator remembers for one source. */
    static List<Long> remembered(
            KeyedOneInputStreamOperatorTestHarness<String, DecodedBatch, DecodedBatch> h, String sourceId)
            throws Exception {
        h.getOperator().setCurrentKey("org_a/" + sourceId);
        MapState<String, Long> state = h.getOperator().getKeyedStateStore().getMapState(DropRetriedBatches.seenKeys());
        List<Long> times = new ArrayList<>();
        state.values().forEach(times::add);
        return times;
    }

    @Test
    void aRetryWithTheSameKeyIsDroppedOntoTheDeadLetterSideOutput() throws Exception {
        try (var h = harness()) {
            h.open();
            DecodedBatch first = batch("src_1", "retry-1", T0);
            DecodedBatch retry = batch("src_1", "retry-1", T0 + 5_000);
            send(h, first);
            at(h, T0 + 5_000);
            send(h, retry);

            assertThat(passed(h)).containsExactly(first.batch.batchId());
            assertThat(dropped(h)).singleElement().satisfies(letter -> {
                assertThat(letter.reason).isEqualTo("duplicate batch (Idempotency-Key seen within 24h)");
                assertThat(letter.origin).isEqualTo(retry.origin);
                assertThat(letter.orgId).isEqualTo("org_a");
                assertThat(letter.sourceId).isEqualTo("src_1");
                assertThat(LogBatchCodec.decode(letter.payload))
                        .as("the dropped batch, replayable")
                        .isEqualTo(retry.batch);
            });
            assertThat(h.numKeyedStateEntries()).as("one source's map").isEqualTo(1);
            assertThat(remembered(h, "src_1")).containsExactly(T0);
            assertThat(h.numProcessingTimeTimers())
                    .as("expiry is the state's TTL, not timers")
                    .isZero();
        }
    }

    @Test
    void anotherSourceAnotherKeyOrNoKeyPasses() throws Exception {
        try (var h = harness()) {
            h.open();
            List<DecodedBatch> batches = List.of(
                    batch("src_1", "k", T0),
                    batch("src_2", "k", T0 + 1),
                    batch("src_1", "k2", T0 + 2),
                    batch("src_1", null, T0 + 3),
                    batch("src_1", null, T0 + 3));
            for (DecodedBatch b : batches) {
                send(h, b);
            }
            assertThat(passed(h))
                    .as("without a key, a resent batch counts twice")
                    .containsExactlyElementsOf(
                            batches.stream().map(b -> b.batch.batchId()).toList());
            assertThat(dropped(h)).isEmpty();
            assertThat(remembered(h, "src_1")).hasSize(2);
            assertThat(remembered(h, "src_2")).hasSize(1);
        }
    }

    @Test
    void aKeyIsForgottenADayAfterItsFirstUseAndItsStateGoes() throws Exception {
        try (var h = harness()) {
            h.open();
            send(h, batch("src_1", "k", T0));
            send(h, batch("src_2", "other", T0));
            assertThat(h.numKeyedStateEntries()).isEqualTo(2);

            at(h, T0 + DAY - 1);
            send(h, batch("src_1", "k", T0 + DAY - 1));
            assertThat(dropped(h)).as("just within the day").hasSize(1);

            at(h, T0 + DAY);
            DecodedBatch nextDay = batch("src_1", "k", T0 + DAY);
            send(h, nextDay);
            assertThat(dropped(h)).as("a day later the key is new again").hasSize(1);
            assertThat(passed(h)).endsWith(nextDay.batch.batchId());
            assertThat(remembered(h, "src_1"))
                    .as("remembered from its new first use")
                    .containsExactly(T0 + DAY);

            // src_2 is quiet: its expired key is never read again, and goes as the operator keeps
            // working (heap backend: each state access checks a few entries; RocksDB: compaction).
            for (int more = 0; more < 100 && h.numKeyedStateEntries() > 1; more++) {
                send(h, batch("src_1", "k", T0 + DAY));
            }
            assertThat(h.numKeyedStateEntries())
                    .as("src_2's expired map removed within 100 more batches, without being read again")
                    .isEqualTo(1);
            assertThat(remembered(h, "src_2")).isEmpty();
        }
    }

    @Test
    void aKeyReusedADayLaterAtTheGatewayPassesEvenWhenProcessedTogether() throws Exception {
        try (var h = harness()) {
            h.open();
            // A pipeline catching up on a backlog processes both within seconds.
            send(h, batch("src_1", "k", T0 - DAY - 60_000));
            send(h, batch("src_1", "k", T0));
            assertThat(passed(h)).hasSize(2);
            assertThat(dropped(h)).isEmpty();
            assertThat(remembered(h, "src_1")).containsExactly(T0);
        }
    }

    @Test
    void aRestoredOperatorStillKnowsTheKeysItHadSeen() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            send(h, batch("src_1", "k", T0));
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            at(h, T0 + 60_000);
            send(h, batch("src_1", "k", T0 + 60_000));
            DecodedBatch fresh = batch("src_1", "k2", T0 + 60_000);
            send(h, fresh);
            assertThat(dropped(h)).as("the retry after the restore").hasSize(1);
            assertThat(passed(h)).containsExactly(fresh.batch.batchId());
            assertThat(remembered(h, "src_1")).containsExactlyInAnyOrder(T0, T0 + 60_000);
        }
    }
}
