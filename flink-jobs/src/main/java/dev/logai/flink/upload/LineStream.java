package dev.logai.flink.upload;

import dev.logai.common.contract.RawLine;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The lines of a byte stream, with the stream position after each: LF-terminated (a trailing CR
 * dropped), the last line also without LF. Memory is bounded whatever the input: a 64 KiB read
 * buffer and one line of at most {@code maxLineBytes}; a longer line is cut there (at a UTF-8
 * character boundary), flagged truncated, and the rest of it is skipped without being held.
 *
 * <p>Not thread-safe; one reader per upload.
 */
public final class LineStream implements AutoCloseable {
    /** The first bytes of a file in which a NUL byte means "not a text log". */
    static final long BINARY_PROBE_BYTES = 64 * 1024;
    /**
     * A line longer than this is not a log line (a file without line ends, a dump): reading stops
     * with {@link TooLongException}, so one step never scans more than this past its chunk.
     */
    public static final long MAX_LINE_SCAN_BYTES = 64L * 1024 * 1024;

    private final InputStream in;
    private final int maxLineBytes;
    private final long maxStreamBytes;
    private final byte[] buffer = new byte[64 * 1024];
    private int pos;
    private int limit;
    private long bufferStart;
    /** Where the last complete line ended: what {@link #position()} reports. */
    private long consumed;

    private byte[] line = new byte[256];

    /** The stream contained a NUL byte early on: a binary file, not a log. */
    public static final class BinaryContentException extends IOException {
        public final long offset;

        BinaryContentException(long offset) {
            super("byte " + offset + " is NUL");
            this.offset = offset;
        }
    }

    /** The input holds a line longer than {@link #MAX_LINE_SCAN_BYTES}, or more than the stream's byte cap. */
    public static final class TooLongException extends IOException {
        public final long offset;

        TooLongException(String what, long offset) {
            super(what);
            this.offset = offset;
        }
    }

    /**
     * @param in the stream, positioned at {@code position} of the whole
     * @param position where {@code in} starts in the line stream (0 for a fresh read)
     */
    public LineStream(InputStream in, long position, int maxLineBytes) {
        this(in, position, maxLineBytes, Long.MAX_VALUE);
    }

    /**
     * @param maxStreamBytes most bytes the line stream may hold (a gzip bomb's decompressed size is
     *     refused with {@link TooLongException} once past it)
     */
    public LineStream(InputStream in, long position, int maxLineBytes, long maxStreamBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.maxStreamBytes = maxStreamBytes;
        this.bufferStart = position;
        this.consumed = position;
    }

    /** Bytes consumed so far, counted from the start of the line stream: where the next line starts. */
    public long position() {
        return consumed;
    }

    /**
     * The next line, or null at the end of the stream. The position moves past a line only once the
     * whole line was read, so after an exception it still marks the end of the last complete line.
     *
     * @throws BinaryContentException on a NUL byte among the first {@value #BINARY_PROBE_BYTES} bytes
     * @throws TooLongException for a line longer than {@value #MAX_LINE_SCAN_BYTES} bytes, or a stream
     *     past its byte cap
     * @throws IOException from the stream (e.g. corrupt or truncated gzip data)
     */
    public RawLine next() throws IOException {
        int length = 0;
        boolean cut = false;
        long lineStart = bufferStart + pos;
        while (true) {
            if (pos == limit && !fill()) {
                if (length == 0 && !cut && bufferStart + pos == lineStart) {
                    return null;
                }
                return finish(length, cut);
            }
            int start = pos;
            int end = start;
            while (end < limit && buffer[end] != '\n') {
                end++;
            }
            if (bufferStart + start < BINARY_PROBE_BYTES) {
                for (int i = start; i < end; i++) {
                    if (buffer[i] == 0) {
                        throw new BinaryContentException(bufferStart + i);
                    }
                }
            }
            int take = Math.min(end - start, maxLineBytes - length);
            if (take > 0) {
                ensure(length + take);
                System.arraycopy(buffer, start, line, length, take);
                length += take;
            }
            if (end - start > take) {
                cut = true;
            }
            if (end < limit) {
                pos = end + 1;
                return finish(length, cut);
            }
            pos = end;
            if (bufferStart + pos - lineStart > MAX_LINE_SCAN_BYTES) {
                throw new TooLongException(
                        "a line longer than " + (MAX_LINE_SCAN_BYTES >> 20) + " MiB starts at byte " + lineStart,
                        lineStart);
            }
        }
    }

    private RawLine finish(int length, boolean cut) {
        consumed = bufferStart + pos;
        if (cut) {
            length = utf8Boundary(line, length);
        } else if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        return new RawLine(Arrays.copyOf(line, length), cut);
    }

    /** The longest prefix of {@code bytes[0, length)} that does not end inside a UTF-8 character. */
    static int utf8Boundary(byte[] bytes, int length) {
        int i = length;
        // back up over continuation bytes to the lead byte of the last character
        while (i > 0 && (bytes[i - 1] & 0xC0) == 0x80 && length - i < 3) {
            i--;
        }
        if (i == 0) {
            return length;
        }
        int lead = bytes[i - 1] & 0xFF;
        int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        return length - (i - 1) >= need ? length : i - 1;
    }

    private void ensure(int capacity) {
        if (capacity > line.length) {
            line = Arrays.copyOf(line, Math.min(maxLineBytes, Math.max(capacity, line.length * 2)));
        }
    }

    private boolean fill() throws IOException {
        bufferStart += limit;
        pos = 0;
        limit = 0;
        int n = in.read(buffer);
        if (n <= 0) {
            return false;
        }
        if (bufferStart + n > maxStreamBytes) {
            throw new TooLongException(
                    "the lines pass " + maxStreamBytes + " bytes (decompressed), the most this file may hold",
                    consumed);
        }
        limit = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
