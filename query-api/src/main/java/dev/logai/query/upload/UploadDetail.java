package dev.logai.query.upload;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /v1/uploads/{id}}: the upload, its chunks and what the pipeline found in its time range.
 *
 * @param upload the upload's row
 * @param chunks the steps it was read in, by offset (at most {@link UploadRepository#MAX_CHUNKS})
 * @param chunkCount how many chunks there are in all
 * @param results the windows, anomalies and summaries of the upload's source within its time range
 *     ({@code ts_start} to {@code ts_end}); empty while no timestamped line was read
 */
public record UploadDetail(UploadRow upload, List<Chunk> chunks, long chunkCount, Results results) {

    /**
     * One step of reading: {@code length} bytes of the file's lines from {@code offset} (bytes of the
     * decompressed lines for gzip), holding {@code lineCount} lines whose first and last timestamps
     * are {@code tsStart} and {@code tsEnd} (null when the step's lines carry none).
     */
    public record Chunk(String id, long offset, long length, Instant tsStart, Instant tsEnd, long lineCount) {}

    /**
     * @param windows windows of the source within the range
     * @param finalWindows of those, how many are complete ({@code is_final})
     * @param windowLines lines counted in those windows (the upload's, and any other lines the
     *     source sent for the same minutes)
     * @param anomalies anomalies of those windows
     * @param summaries incident summaries overlapping the range, newest first (at most 20)
     */
    public record Results(
            long windows, long finalWindows, long windowLines, long anomalies, List<SummaryTitle> summaries) {}

    /** One summary of the range: its id, title, severity, incident window and the model that wrote it. */
    public record SummaryTitle(
            String id, String title, String severity, Instant windowStart, Instant windowEnd, String llmModel) {}
}
