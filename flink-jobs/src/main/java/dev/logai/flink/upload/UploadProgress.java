package dev.logai.flink.upload;

/**
 * How far the upload a source is reading has got: the keyed state of {@link ReadUploads}, written
 * with every chunk it emits, so a checkpoint holds exactly the lines emitted before its barrier.
 */
public class UploadProgress {
    public UploadTask task;
    /** Bytes of the line stream consumed (decompressed bytes for gzip): where the next chunk starts. */
    public long offset;
    /** Bytes of the object consumed (compressed bytes for gzip), for progress against its size. */
    public long objectBytes;
    /** Lines emitted (blank lines are skipped, not counted). */
    public long lines;
    /** Lines cut at the line limit. */
    public long truncated;
    /** Event time of the first and last timestamped line seen (epoch ms), or null. */
    public Long tsStart;

    public Long tsEnd;
    /** Reads in a row that failed for a passing reason (the network, the store): retried with backoff. */
    public int failedReads;

    public UploadProgress() {}

    UploadProgress(UploadTask task) {
        this.task = task;
    }
}
