package dev.logai.query.upload;

import java.time.Instant;

/**
 * One upload as served by {@code GET /v1/uploads}: the file, where it is in its life (status
 * pending → queued → processing → processed | failed) and what was read of it so far.
 *
 * @param size the file's size in bytes
 * @param bytesRead bytes of the file read so far (compressed bytes for gzip): progress against size
 * @param lineCount lines read into the pipeline so far (blank lines not counted)
 * @param truncatedLines lines cut at the pipeline's line limit (64 KiB by default)
 * @param tsStart event time of the first timestamped line read, or null
 * @param tsEnd event time of the last timestamped line read, or null
 * @param failureReason why reading stopped, with what to do, when status is failed
 * @param failureOffset where reading stopped: a byte offset of the file's lines (of the decompressed
 *     lines for gzip); the complete lines before it were counted
 */
public record UploadRow(
        String id,
        String sourceId,
        String filename,
        String objectKey,
        long size,
        String hash,
        String contentEncoding,
        String status,
        long bytesRead,
        long lineCount,
        long truncatedLines,
        Instant tsStart,
        Instant tsEnd,
        String failureReason,
        Long failureOffset,
        Instant createdAt,
        Instant expiresAt,
        Instant registeredAt,
        Instant startedAt,
        Instant finishedAt) {}
