package dev.logai.common.contract;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@link LogBatchCodec} record value line by line, without a {@link RawLine} or any other
 * object per line: the gateway frames a request body straight into this writer, so a body of
 * millions of tiny lines costs its encoded bytes and nothing more.
 *
 * <p>Bytes go into fixed-size chunks ({@value #CHUNK_BYTES} bytes), so growing never copies;
 * {@link #finish} copies them once into the contiguous array a Kafka record needs. Every
 * allocation is announced to an {@link Allocation} first, which may refuse it by throwing: that is
 * how the gateway charges a request's memory to its in-flight budgets before the memory exists.
 * Not thread-safe; one writer per record.
 */
public final class LogBatchWriter {
    /** Size of one chunk of encoded bytes. */
    public static final int CHUNK_BYTES = 64 * 1024;

    /**
     * Told about heap the writer is about to allocate or has just dropped; {@link #reserve} may
     * throw (any unchecked exception) to stop the write before the allocation happens.
     */
    public interface Allocation {
        /** Allocation that counts nothing: for callers whose input is already in memory. */
        Allocation UNCOUNTED = new Allocation() {
            @Override
            public void reserve(long bytes) {}

            @Override
            public void released(long bytes) {}
        };

        /** {@code bytes} are about to be allocated. */
        void reserve(long bytes);

        /** {@code bytes} allocated earlier are no longer referenced by the writer. */
        void released(long bytes);
    }

    private final Allocation allocation;
    private final byte[] header;
    private final List<byte[]> chunks = new ArrayList<>();
    private byte[] current;
    private int position;
    private long size;
    private int lineCount;
    private boolean finished;

    /**
     * Starts a record; the arguments are those of {@link LogBatch} (the idempotency key may be null).
     *
     * @throws IllegalArgumentException when an id is longer than 65535 UTF-8 bytes
     */
    public LogBatchWriter(
            String orgId,
            String sourceId,
            String batchId,
            long receivedAtMillis,
            LogBatch.PayloadFormat format,
            String idempotencyKey,
            Allocation allocation) {
        this.allocation = allocation;
        this.header = LogBatchCodec.header(orgId, sourceId, batchId, receivedAtMillis, format, idempotencyKey);
        this.size = header.length;
    }

    /**
     * Appends one line: {@code length} bytes of {@code bytes} from {@code offset}, without its
     * terminator; {@code truncated} when the caller cut it at its line-length limit.
     *
     * @throws IllegalStateException after {@link #finish}
     */
    public void line(byte[] bytes, int offset, int length, boolean truncated) {
        if (finished) {
            throw new IllegalStateException("The batch is already finished");
        }
        writeByte(LogBatchCodec.flags(truncated));
        writeByte((byte) (length >>> 24));
        writeByte((byte) (length >>> 16));
        writeByte((byte) (length >>> 8));
        writeByte((byte) length);
        int done = 0;
        while (done < length) {
            ensureRoom();
            int n = Math.min(length - done, current.length - position);
            System.arraycopy(bytes, offset + done, current, position, n);
            position += n;
            done += n;
        }
        size += LogBatchCodec.LINE_FRAMING_BYTES + length;
        lineCount++;
    }

    /** Lines appended so far. */
    public int lineCount() {
        return lineCount;
    }

    /** Bytes of the record so far, header included. */
    public long size() {
        return size;
    }

    /**
     * The whole record value. Reserves its size, copies the chunks into it and releases the chunks,
     * so for a moment the record is held twice.
     *
     * @throws IllegalStateException when the record would be larger than an array can be, or when
     *     called twice
     */
    public byte[] finish() {
        if (finished) {
            throw new IllegalStateException("The batch is already finished");
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("A batch of " + size + " bytes does not fit one record");
        }
        allocation.reserve(size);
        byte[] value = new byte[(int) size];
        System.arraycopy(header, 0, value, 0, header.length);
        int at = header.length - 4;
        value[at] = (byte) (lineCount >>> 24);
        value[at + 1] = (byte) (lineCount >>> 16);
        value[at + 2] = (byte) (lineCount >>> 8);
        value[at + 3] = (byte) lineCount;
        int offset = header.length;
        for (byte[] chunk : chunks) {
            int n = chunk == current ? position : chunk.length;
            System.arraycopy(chunk, 0, value, offset, n);
            offset += n;
        }
        long chunkBytes = (long) chunks.size() * CHUNK_BYTES;
        chunks.clear();
        current = null;
        finished = true;
        allocation.released(chunkBytes);
        return value;
    }

    private void writeByte(byte b) {
        ensureRoom();
        current[position++] = b;
    }

    private void ensureRoom() {
        if (current == null || position == current.length) {
            allocation.reserve(CHUNK_BYTES);
            current = new byte[CHUNK_BYTES];
            chunks.add(current);
            position = 0;
        }
    }
}
