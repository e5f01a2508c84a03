package dev.logai.common.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogBatchWriterTest {
    /** Counts what the writer reserves and releases. */
    static final class Counting implements LogBatchWriter.Allocation {
        final AtomicLong held = new AtomicLong();
        long peak;

        @Override
        public void reserve(long bytes) {
            peak = Math.max(peak, held.addAndGet(bytes));
        }

        @Override
        public void released(long bytes) {
            held.addAndGet(-bytes);
        }
    }

    @Test
    void linesAcrossChunksDecodeAsWrittenAndEveryByteWasReservedFirst() throws Exception {
        Counting allocation = new Counting();
        LogBatchWriter writer =
                new LogBatchWriter("org_1", "src_1", "batch-1", 42L, LogBatch.PayloadFormat.TEXT, "key-1", allocation);
        byte[] big = "y".repeat(3 * LogBatchWriter.CHUNK_BYTES + 17).getBytes(StandardCharsets.US_ASCII);
        byte[] buffer = ("!!" + "short line").getBytes(StandardCharsets.US_ASCII);
        writer.line(buffer, 2, buffer.length - 2, false);
        writer.line(big, 0, big.length, true);
        for (int i = 0; i < 20_000; i++) {
            writer.line(buffer, 2, 5, false);
        }
        assertThat(writer.lineCount()).isEqualTo(20_002);
        byte[] value = writer.finish();

        LogBatch batch = LogBatchCodec.decode(value);
        assertThat(batch.idempotencyKey()).isEqualTo("key-1");
        assertThat(batch.lines()).hasSize(20_002);
        assertThat(batch.lines().get(0)).isEqualTo(RawLine.of("short line"));
        assertThat(batch.lines().get(1).truncated()).isTrue();
        assertThat(batch.lines().get(1).bytes()).isEqualTo(big);
        assertThat(batch.lines().get(20_001)).isEqualTo(RawLine.of("short"));
        // After finish only the record itself is held; at the peak, record and chunks both were.
        assertThat(allocation.held.get()).isEqualTo(value.length);
        assertThat(allocation.peak).isGreaterThanOrEqualTo(2L * value.length - LogBatchWriter.CHUNK_BYTES);
        assertThat(value).isEqualTo(LogBatchCodec.encode(batch));
    }
}
