package dev.logai.gateway.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a request body into lines and hands each to a {@link LineSink} as a slice of a reused
 * buffer: no object per line, and never more than one line's worth of unframed bytes held. Lines
 * end at LF (a trailing CR is dropped); blank lines are skipped. A line longer than {@code
 * maxLineBytes} keeps its first bytes, cut back to a UTF-8 character boundary, and is flagged
 * truncated; the rest of it is read and dropped.
 */
public final class LineFramer {
    /** Bytes read from the body at a time. */
    public static final int READ_BUFFER_BYTES = 64 * 1024;

    /** Receives the lines of a body in order. */
    @FunctionalInterface
    public interface LineSink {
        /**
         * One non-blank line: {@code length} bytes of {@code buffer} from 0, valid only during the
         * call. May throw to stop framing.
         */
        void line(byte[] buffer, int length, boolean truncated) throws IOException;
    }

    private final int maxLineBytes;

    public LineFramer(int maxLineBytes) {
        if (maxLineBytes < 16) {
            throw new IllegalArgumentException("maxLineBytes must be at least 16");
        }
        this.maxLineBytes = maxLineBytes;
    }

    /** Most heap one {@link #frame} call allocates: the read buffer and the largest line buffer. */
    public long workingBytes() {
        return READ_BUFFER_BYTES + maxLineBytes;
    }

    /**
     * Reads {@code in} to its end, calling {@code sink} once per non-blank line.
     *
     * @throws IOException from the stream or the sink
     */
    public void frame(InputStream in, LineSink sink) throws IOException {
        byte[] buf = new byte[READ_BUFFER_BYTES];
        Line line = new Line();
        int n;
        while ((n = in.read(buf)) > 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    line.append(buf, start, i - start);
                    line.emit(sink);
                    start = i + 1;
                }
            }
            line.append(buf, start, n - start);
        }
        line.emit(sink);
    }

    /** The line being framed: a buffer that grows up to the line limit, reused for every line. */
    private final class Line {
        private byte[] bytes = new byte[Math.min(1024, maxLineBytes)];
        private int size;
        private boolean truncated;

        void append(byte[] buf, int off, int len) {
            int room = maxLineBytes - size;
            int n = Math.min(len, room);
            if (n < len) {
                truncated = true;
            }
            if (n <= 0) {
                return;
            }
            if (size + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.min(maxLineBytes, Math.max(size + n, bytes.length * 2)));
            }
            System.arraycopy(buf, off, bytes, size, n);
            size += n;
        }

        void emit(LineSink sink) throws IOException {
            int end = size;
            if (!truncated && end > 0 && bytes[end - 1] == '\r') {
                end--;
            }
            if (truncated) {
                end = utf8Boundary(bytes, end);
            }
            boolean wasTruncated = truncated;
            size = 0;
            truncated = false;
            if (!isBlank(bytes, end)) {
                sink.line(bytes, end, wasTruncated);
            }
        }
    }

    /** Backs off so the cut does not split a multi-byte UTF-8 character. */
    public static int utf8Boundary(byte[] bytes, int end) {
        int i = end;
        // step back over continuation bytes (10xxxxxx), at most 3
        while (i > 0 && end - i < 4 && (bytes[i - 1] & 0xC0) == 0x80) {
            i--;
        }
        if (i > 0 && (bytes[i - 1] & 0x80) != 0) {
            int lead = bytes[i - 1] & 0xFF;
            int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
            if (end - (i - 1) < need) {
                return i - 1; // the character at i-1 is incomplete: drop it
            }
        }
        return end;
    }

    private static boolean isBlank(byte[] bytes, int end) {
        for (int i = 0; i < end; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
