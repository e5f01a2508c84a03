package dev.logai.flink.ingest;

import dev.logai.common.contract.LogBatch;
import dev.logai.common.contract.LogBatchCodec;
import dev.logai.flink.deadletter.DeadLetter;
import dev.logai.flink.runtime.StateTtl;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops a client's retry of a request it already sent: a batch whose (org, source, {@code
 * Idempotency-Key}) was seen within {@link #REMEMBER_FOR} is not passed on, so none of its lines
 * reach the archive, the parser or a window twice. Batches without a key always pass: without the
 * header, a retry counts twice.
 *
 * <p>In: {@link DecodedBatch}es keyed by {@code org/source} ({@link BatchSourceKey}). Out: the
 * batches seen for the first time, unchanged and in their order; each dropped retry is logged at
 * INFO (org, source and a hash of the key — never the key or a line), counted in the {@code
 * retriedBatchesDropped} and {@code retriedLinesDropped} metrics, and emitted on {@link #RETRIED}
 * as a dead letter with reason {@link #REASON} and the batch as payload (re-encoded), so a wrong
 * drop can be replayed.
 *
 * <p>A batch is a retry when its key's entry exists (the first batch was processed less than 24 h
 * ago, job processing time, the state's TTL) and the two batches reached the gateway less than 24 h
 * apart ({@link LogBatch#receivedAtMillis}). The second condition keeps a pipeline catching up on a
 * day of backlog from dropping a request that legitimately reused a key after it expired.
 *
 * <p>State, and why it is bounded: one {@link MapState} per source, one entry per key seen in the
 * last 24 h: SHA-256 of the key (first 128 bits, hex) → when the gateway received the first batch
 * (epoch ms). The hash makes an entry the same ~40 bytes whether the key has 1 or 255 characters;
 * 128 bits leave no practical chance that two keys of one source collide. Each entry expires 24 h
 * after it was written (Flink state TTL, not refreshed by the retries it catches, as a key's
 * lifetime starts with its first use) and is removed without being read again: by the RocksDB
 * compaction filter in production, by incremental cleanup on the heap backend. So the state holds
 * at most a day of one source's keyed requests — the gateway's request rate bounds it. Keyed by
 * source rather than by (org, source, key) because the parser needs one source's batches in order:
 * with the key in the key, two requests of one source could be split across subtasks and overtake
 * each other.
 */
public class DropRetriedBatches extends KeyedProcessFunction<String, DecodedBatch, DecodedBatch> {
    private static final Logger LOG = LoggerFactory.getLogger(DropRetriedBatches.class);

    /** How long a key is remembered: the window in which a retry is recognised. */
    public static final Duration REMEMBER_FOR = Duration.ofHours(24);

    /** The dead-letter reason of a dropped retry. */
    public static final String REASON = "duplicate batch (Idempotency-Key seen within 24h)";

    /** Dropped retries, as dead letters. */
    public static final OutputTag<DeadLetter> RETRIED = new OutputTag<>("retried-batches") {};

    /** Bytes of the SHA-256 of a key that are kept: 128 bits. */
    private static final int HASH_BYTES = 16;

    private transient MapState<String, Long> firstReceived;
    private transient MessageDigest sha256;
    private transient Counter droppedBatches;
    private transient Counter droppedLines;

    /** The per-source state: key hash → gateway receive time of the first batch (epoch ms), with a 24 h TTL. */
    static MapStateDescriptor<String, Long> seenKeys() {
        MapStateDescriptor<String, Long> d =
                new MapStateDescriptor<>("seen-idempotency-keys", Types.STRING, Types.LONG);
        d.enableTimeToLive(StateTtl.forgetAfterWrite(REMEMBER_FOR));
        return d;
    }

    @Override
    public void open(OpenContext ctx) throws NoSuchAlgorithmException {
        firstReceived = getRuntimeContext().getMapState(seenKeys());
        sha256 = MessageDigest.getInstance("SHA-256");
        droppedBatches = getRuntimeContext().getMetricGroup().counter("retriedBatchesDropped");
        droppedLines = getRuntimeContext().getMetricGroup().counter("retriedLinesDropped");
    }

    @Override
    public void processElement(DecodedBatch decoded, Context ctx, Collector<DecodedBatch> out) throws Exception {
        LogBatch batch = decoded.batch;
        if (batch.idempotencyKey() == null) {
            out.collect(decoded);
            return;
        }
        String keyHash = hash(batch.idempotencyKey());
        Long first = firstReceived.get(keyHash);
        // abs: two gateway replicas' clocks may disagree by a little, in either direction
        if (first != null && Math.abs(batch.receivedAtMillis() - first) < REMEMBER_FOR.toMillis()) {
            droppedBatches.inc();
            droppedLines.inc(batch.lines().size());
            LOG.info(
                    "Dropped a retried batch of org {} source {}: Idempotency-Key sha256 {} first received {} ms"
                            + " earlier, {} lines not counted again",
                    batch.orgId(),
                    batch.sourceId(),
                    keyHash,
                    batch.receivedAtMillis() - first,
                    batch.lines().size());
            ctx.output(
                    RETRIED,
                    new DeadLetter(
                            REASON, decoded.origin, batch.orgId(), batch.sourceId(), LogBatchCodec.encode(batch)));
            return;
        }
        firstReceived.put(keyHash, batch.receivedAtMillis());
        out.collect(decoded);
    }

    /** The first 128 bits of the key's SHA-256, as 32 hex digits. */
    String hash(String idempotencyKey) {
        byte[] digest = sha256.digest(idempotencyKey.getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(Arrays.copyOf(digest, HASH_BYTES));
    }
}
