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
 * therefore bounded by the global budget whatever clients send, and one org can take at most its
 * own budget of it: an org at its limit gets 429, everyone at the global limit 503, both with
 * {@code Retry-After}, after waiting up to the admission wait for bytes to come free.
 *
 * <p>A request that alone needs more than the per-org budget (a body near the size limit made of
 * tiny lines) gets 413: retrying could never help, splitting does.
 */
@Component
public class IngestAdmission {
    private static final Logger LOG = LoggerFactory.getLogger(IngestAdmission.class);
    static final int RETRY_AFTER_SECONDS = 1;

    private final long globalLimit;
    private final long orgLimit;
    private final long waitNanos;
    private final Map<String, Long> orgUsed = new HashMap<>();
    private long globalUsed;
    private long peakGlobalUsed;

    IngestAdmission(GatewaySettings settings) {
        GatewaySettings.Ingest ingest = settings.ingest();
        this.globalLimit = ingest.inFlightBytes();
        this.orgLimit = Math.min(ingest.orgInFlightBytes(), globalLimit);
        this.waitNanos = ingest.admissionWait().toNanos();
        long worst = worstRequestBytes(ingest.maxBodyBytes(), ingest.maxLineBytes());
        if (worst > orgLimit) {
            LOG.warn(
                    "A body of {} bytes of tiny lines needs up to {} bytes in flight, more than the per-org budget"
                            + " of {}: such bodies get 413",
                    ingest.maxBodyBytes(),
                    worst,
                    orgLimit);
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

    /** Opens an empty reservation for one request of {@code orgId}; close it when the request ends. */
    Reservation open(String orgId) {
        return new Reservation(orgId);
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
    final class Reservation implements LogBatchWriter.Allocation, AutoCloseable {
        private final String orgId;
        private long held;

        private Reservation(String orgId) {
            this.orgId = orgId;
        }

        /**
         * Reserves {@code bytes} more, waiting up to the admission wait.
         *
         * @throws ApiProblem 413 when this request alone would pass the per-org budget, 429 when the
         *     org's budget stays full, 503 when the global budget stays full
         */
        @Override
        public void reserve(long bytes) {
            if (held + bytes > orgLimit) {
                throw new ApiProblem(
                        413,
                        "Body too large",
                        "Encoding this body needs more than " + orgLimit + " bytes of gateway memory, the most one"
                                + " org may have in flight; nothing was accepted. Split it into smaller requests"
                                + " (bodies of many very short lines cost the most).");
            }
            acquire(orgId, bytes);
            held += bytes;
        }

        @Override
        public void released(long bytes) {
            long n = Math.min(bytes, held);
            release(orgId, n);
            held -= n;
        }

        /** Gives back everything this request still holds. */
        @Override
        public void close() {
            released(held);
        }
    }

    private synchronized void acquire(String orgId, long bytes) {
        long deadline = System.nanoTime() + waitNanos;
        while (true) {
            long org = orgUsed.getOrDefault(orgId, 0L);
            boolean orgFits = org + bytes <= orgLimit;
            boolean globalFits = globalUsed + bytes <= globalLimit;
            if (orgFits && globalFits) {
                orgUsed.put(orgId, org + bytes);
                globalUsed += bytes;
                peakGlobalUsed = Math.max(peakGlobalUsed, globalUsed);
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw orgFits ? busy() : orgBusy();
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw busy();
            }
        }
    }

    private synchronized void release(String orgId, long bytes) {
        if (bytes <= 0) {
            return;
        }
        long org = orgUsed.getOrDefault(orgId, 0L) - bytes;
        if (org <= 0) {
            orgUsed.remove(orgId);
        } else {
            orgUsed.put(orgId, org);
        }
        globalUsed -= bytes;
        notifyAll();
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
