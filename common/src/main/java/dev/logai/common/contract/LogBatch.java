package dev.logai.common.contract;

import java.util.List;
import java.util.Objects;

/**
 * The unit the gateway writes to Kafka: the lines of one accepted HTTP request, for one
 * (org, source). One request is one Kafka record, so a request is accepted entirely or not at all.
 *
 * @param orgId tenant that owns every line (resolved from the API key, never from the client)
 * @param sourceId source within the org
 * @param batchId unique per accepted request; lets consumers recognise a re-delivered batch
 * @param receivedAtMillis when the gateway received the request (UTC epoch millis)
 * @param format what the client declared: NDJSON lines or plain text lines
 * @param lines the lines in arrival order, without line terminators
 * @param idempotencyKey the client's {@code Idempotency-Key} header ({@link IdempotencyKeys}), or
 *     {@code null} when it sent none: the pipeline drops a batch whose (org, source, key) it saw in
 *     the last 24 h, so a retried request is counted once
 * @throws IllegalArgumentException when {@code idempotencyKey} is not null and not a valid key
 */
public record LogBatch(
        String orgId,
        String sourceId,
        String batchId,
        long receivedAtMillis,
        PayloadFormat format,
        List<RawLine> lines,
        String idempotencyKey) {

    public LogBatch {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(batchId, "batchId");
        Objects.requireNonNull(format, "format");
        lines = List.copyOf(lines);
        if (idempotencyKey != null && !IdempotencyKeys.isValid(idempotencyKey)) {
            throw new IllegalArgumentException(IdempotencyKeys.RULE);
        }
    }

    /** A batch of a request sent without an {@code Idempotency-Key} (a retry of it counts twice). */
    public LogBatch(
            String orgId,
            String sourceId,
            String batchId,
            long receivedAtMillis,
            PayloadFormat format,
            List<RawLine> lines) {
        this(orgId, sourceId, batchId, receivedAtMillis, format, lines, null);
    }

    /** The Kafka record key: all batches of one source land in one partition, in order. */
    public String kafkaKey() {
        return RecordKeys.of(orgId, sourceId);
    }

    /** How the client framed its lines. */
    public enum PayloadFormat {
        TEXT,
        NDJSON;
    }
}
