package dev.logai.gateway.ingest;

import dev.logai.common.contract.LogBatchWriter;
import dev.logai.common.web.ApiProblem;
import dev.logai.gateway.GatewaySettings;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Admission by bytes in flight: every byte of heap an ingest request allocates (read and line
 * buffers, encoded lines, the record for Kafka) is reserved here first, against a global budget
 * and against its org's budget, and given back when the request ends. The gateway's ingest heap is
 * therefore bounded by the global budget whatever clients send, one org can take at most its own
 * budget of it, and one API key at most its key budget (by default as large as the org's, so the
 * key budget only bites when set lower): an org or key at its limit gets 429, everyone at the
 * global limit 503, both with {@code Retry-After}, after waiting up to the admission wait for
 * bytes to come free.
 *
 * <p>A request that alone needs more than its org's or key's budget (a body near the size limit
 * made of tiny lines) gets 413: retrying could never help, splitting does.
 *
 * <p>Requests reserve as they read, so under a flood many can each hold part of what they need
 * and all wait for the rest, until every one times out (hold and wait). Waiting follows the
 * wound-wait rule (Rosenkrantz, Stearns and Lewis, "System level concurrency control for
 * distributed database systems", 1978): a request that must wait makes every younger waiting
 * request whose bytes could admit it give up at once (429 or 503, nothing of it accepted) — of its
 * org or key when it is short of that budget, of any org when it is short only of the global one —
 * and gives up itself when an older waiting request needs its bytes; the oldest waiting request is
 * then only waiting for requests that are making progress, and a flood is answered with some 202s
 * rather than none. (Requests that fit at once are admitted without queueing, so a stream of them
 * can still take freed bytes before a waiter wakes.)
 */
@Component
public class IngestAdmission {
    private static final Logger LOG = LoggerFactory.getLogger(IngestAdmission.class);
    static final int RETRY_AFTER_SECONDS = 1;

    private final long globalLimit;
    private final long orgLimit;
    private final long keyLimit;
    private final long waitNanos;
    private final Map<String, Long> orgUsed = new HashMap<>();
    private final Map<String, Long> keyUsed = new HashMap<>();
    private long globalUsed;
    private long peakGlobalUsed;
    /** Requests opened so far: a reservation's age, for wound-wait. */
    private long opened;
    /** The reservations waiting in {@link #acquire} now. */
    private final java.util.Set<Reservation> waiting = new java.util.LinkedHashSet<>();

    IngestAdmission(GatewaySettings settings) {
        GatewaySettings.Ingest ingest = settings.ingest();
        this.globalLimit = ingest.inFlightBytes();
        this.orgLimit = Math.min(ingest.orgInFlightBytes(), globalLimit);
        this.keyLimit = ingest.keyInFlightBytes() <= 0 ? orgLimit : Math.min(ingest.keyInFlightBytes(), orgLimit);
        this.waitNanos = ingest.admissionWait().toNanos();
        long worst = worstRequestBytes(ingest.maxBodyBytes(), ingest.maxLineBytes());
        if (worst > keyLimit) {
            LOG.warn(
                    "A body of {} bytes of tiny lines needs up to {} bytes in flight, more than the per-org or"
                            + " per-key budget of {}: such bodies get 413",
                    ingest.maxBodyBytes(),
                    worst,
                    keyLimit);
        }
    }

    /**
     * The most bytes one request can reserve: the framer's buffers, gzip's buffer, and the encoded
     * record twice (chunks and the contiguous copy, for the moment of {@link LogBatchWriter#finish}).
     * The record takes at most 3 bytes per body byte (a line "x\n" becomes 1 flag, 4 length and 1
     * content byte) plus its header.
     */
    public static long worstRequestBytes(long maxBodyBytes, int maxLineBytes) {
        long record = 3 * maxBodyBytes + 64 * 1024;
        long chunks = (record / LogBatchWriter.CHUNK_BYTES + 1) * LogBatchWriter.CHUNK_BYTES;
        return LineFramer.READ_BUFFER_BYTES + maxLineBytes + StreamIngestController.GZIP_BUFFER_BYTES + chunks + record;
    }

    /** Opens an empty reservation for one request of {@code orgId} made with API key {@code keyId}; close it when the request ends. */
    public synchronized Reservation open(String orgId, String keyId) {
        return new Reservation(orgId, keyId, ++opened);
    }

    /** Bytes reserved now, over all orgs. */
    public synchronized long inFlightBytes() {
        return globalUsed;
    }

    /** Requests waiting for bytes now (for tests that must know a request is waiting). */
    synchronized int waitingRequests() {
        return waiting.size();
    }

    /** The most bytes that were ever reserved at once since start-up. */
    public synchronized long peakInFlightBytes() {
        return peakGlobalUsed;
    }

    /** The bytes of one request; {@link #reserve} throws the request's 413, 429 or 503. */
    public final class Reservation implements LogBatchWriter.Allocation, AutoCloseable {
        private final String orgId;
        private final String keyId;
        /** The order it was opened in: a smaller one is older. */
        private final long age;

        /** Bytes it holds now; written under the admission's lock (and read there by other requests). */
        private long held;
        /** Set (under the admission's lock) when an older request waits for bytes this one holds: the refusal it gets. */
        private ApiProblem wounded;
        /** While waiting: which budgets it is short of. */
        private boolean orgShort;

        private boolean keyShort;
        private boolean globalShort;

        private Reservation(String orgId, String keyId, long age) {
            this.orgId = orgId;
            this.keyId = keyId;
            this.age = age;
        }

        /**
         * Reserves {@code bytes} more, waiting up to the admission wait.
         *
         * @throws ApiProblem 413 when this request alone would pass the per-org or per-key budget,
         *     429 when the org's or key's budget stays full, 503 when the global budget stays full
         */
        @Override
        public void reserve(long bytes) {
            if (held + bytes > keyLimit) {
                throw new ApiProblem(
                        413,
                        "Body too large",
                        "Encoding this body needs more than " + keyLimit + " bytes of gateway memory, the most one"
                                + " org or API key may have in flight; nothing was accepted. Split it into smaller"
                                + " requests (bodies of many very short lines cost the most).");
            }
            acquire(this, bytes);
        }

        @Override
        public void released(long bytes) {
            release(this, bytes);
        }

        /** Gives back everything this request still holds. */
        @Override
        public void close() {
            released(Long.MAX_VALUE);
        }
    }

    private synchronized void acquire(Reservation r, long bytes) {
        long deadline = System.nanoTime() + waitNanos;
        try {
            while (true) {
                if (r.wounded != null) {
                    ApiProblem refusal = r.wounded;
                    r.wounded = null;
                    throw refusal; // an older request needs what this one holds; the caller's close() gives it back
                }
                boolean orgFits = orgUsed.getOrDefault(r.orgId, 0L) + bytes <= orgLimit;
                boolean keyFits = keyUsed.getOrDefault(r.keyId, 0L) + bytes <= keyLimit;
                boolean globalFits = globalUsed + bytes <= globalLimit;
                if (orgFits && keyFits && globalFits) {
                    orgUsed.merge(r.orgId, bytes, Long::sum);
                    keyUsed.merge(r.keyId, bytes, Long::sum);
                    globalUsed += bytes;
                    r.held += bytes;
                    peakGlobalUsed = Math.max(peakGlobalUsed, globalUsed);
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw !orgFits ? orgBusy() : !keyFits ? keyBusy() : busy();
                }
                r.orgShort = !orgFits;
                r.keyShort = !keyFits;
                r.globalShort = !globalFits;
                ApiProblem yield = woundYoungerHolders(r);
                if (yield != null) {
                    throw yield; // an older request already waits for what this one holds
                }
                waiting.add(r);
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw busy();
                } finally {
                    waiting.remove(r); // it re-registers, with what it is short of then, if it waits again
                }
            }
        } finally {
            r.wounded = null;
        }
    }

    /**
     * Wound-wait, for {@code r} about to wait (not in {@link #waiting} yet): if an older waiting
     * request is short of a budget {@code r} holds bytes of, {@code r} gives up itself; otherwise
     * every younger waiting request that holds bytes of a budget {@code r} is short of gives up.
     *
     * @return the refusal {@code r} gets when it must give up; null when it may wait
     */
    private ApiProblem woundYoungerHolders(Reservation r) {
        for (Reservation w : waiting) {
            ApiProblem mine = w.age < r.age ? refusalFor(w, r) : null;
            if (mine != null) {
                return mine;
            }
        }
        boolean any = false;
        for (Reservation w : waiting) {
            if (w.age > r.age && w.wounded == null) {
                w.wounded = refusalFor(r, w);
                any |= w.wounded != null;
            }
        }
        if (any) {
            notifyAll();
        }
        return null;
    }

    /**
     * The refusal {@code younger} gets when giving back its bytes could admit {@code older}: it
     * holds bytes and {@code older} is short only of the global budget (a request also short of its
     * org's or key's budget is not helped by another org's bytes), or of its org's or key's budget
     * and {@code younger} shares that org or key. Else null.
     */
    private ApiProblem refusalFor(Reservation older, Reservation younger) {
        if (younger.held == 0) {
            return null;
        }
        if (older.orgShort && younger.orgId.equals(older.orgId)) {
            return orgBusy();
        }
        if (older.keyShort && younger.keyId.equals(older.keyId)) {
            return keyBusy();
        }
        if (older.globalShort && !older.orgShort && !older.keyShort) {
            return busy();
        }
        return null;
    }

    private synchronized void release(Reservation r, long bytes) {
        long n = Math.min(bytes, r.held);
        if (n <= 0) {
            return;
        }
        subtract(orgUsed, r.orgId, n);
        subtract(keyUsed, r.keyId, n);
        globalUsed -= n;
        r.held -= n;
        notifyAll();
    }

    /** Takes {@code bytes} off {@code id}'s use, forgetting ids that hold nothing (the maps stay as small as the requests in flight). */
    private static void subtract(Map<String, Long> used, String id, long bytes) {
        long left = used.getOrDefault(id, 0L) - bytes;
        if (left <= 0) {
            used.remove(id);
        } else {
            used.put(id, left);
        }
    }

    private ApiProblem keyBusy() {
        return new ApiProblem(
                        429,
                        "Too much in flight for this API key",
                        "Requests with this API key already hold " + keyLimit + " bytes of the gateway's memory;"
                                + " nothing from this request was accepted. Retry after the Retry-After delay, or"
                                + " send fewer requests at once.")
                .retryAfterSeconds(RETRY_AFTER_SECONDS);
    }

    private ApiProblem orgBusy() {
        return new ApiProblem(
                        429,
                        "Too much in flight for this org",
                        "Your org's requests already hold " + orgLimit + " bytes of the gateway's memory; nothing from"
                                + " this request was accepted. Retry after the Retry-After delay, or send fewer"
                                + " requests at once.")
                .retryAfterSeconds(RETRY_AFTER_SECONDS);
    }

    private ApiProblem busy() {
        return new ApiProblem(
                        503,
                        "Gateway busy",
                        "The gateway is at its memory budget for requests in flight; nothing from this request was"
                                + " accepted. Retry after the Retry-After delay.")
                .retryAfterSeconds(RETRY_AFTER_SECONDS);
    }
}
