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
    public Reservation open(String orgId, String keyId) {
        return new Reservation(orgId, keyId);
    }

    /** Bytes reserved now, over all orgs. */
    public synchronized long inFlightBytes() {
        return globalUsed;
    }

    /** The most bytes that were ever reserved at once since start-up. */
    public synchronized long peakInFlightBytes() {
        return peakGlobalUsed;
    }

    /** The bytes of one request; {@link #reserve} throws the request's 413, 429 or 503. */
    public final class Reservation implements LogBatchWriter.Allocation, AutoCloseable {
        private final String orgId;
        private final String keyId;
        private long held;

        private Reservation(String orgId, String keyId) {
            this.orgId = orgId;
            this.keyId = keyId;
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
            acquire(orgId, keyId, bytes);
            held += bytes;
        }

        @Override
        public void released(long bytes) {
            long n = Math.min(bytes, held);
            release(orgId, keyId, n);
            held -= n;
        }

        /** Gives back everything this request still holds. */
        @Override
        public void close() {
            released(held);
        }
    }

    private synchronized void acquire(String orgId, String keyId, long bytes) {
        long deadline = System.nanoTime() + waitNanos;
        while (true) {
            boolean orgFits = orgUsed.getOrDefault(orgId, 0L) + bytes <= orgLimit;
            boolean keyFits = keyUsed.getOrDefault(keyId, 0L) + bytes <= keyLimit;
            boolean globalFits = globalUsed + bytes <= globalLimit;
            if (orgFits && keyFits && globalFits) {
                orgUsed.merge(orgId, bytes, Long::sum);
                keyUsed.merge(keyId, bytes, Long::sum);
                globalUsed += bytes;
                peakGlobalUsed = Math.max(peakGlobalUsed, globalUsed);
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw !orgFits ? orgBusy() : !keyFits ? keyBusy() : busy();
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw busy();
            }
        }
    }

    private synchronized void release(String orgId, String keyId, long bytes) {
        if (bytes <= 0) {
            return;
        }
        subtract(orgUsed, orgId, bytes);
        subtract(keyUsed, keyId, bytes);
        globalUsed -= bytes;
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
