package dev.logai.gateway.ingest;

import dev.logai.common.contract.RawLine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a request body into lines without ever holding more than one line's worth of unframed
 * bytes. Lines end at LF (a trailing CR is dropped); blank lines are skipped. A line longer than
 * {@code maxLineBytes} keeps its first bytes, cut back to a UTF-8 character boundary, and is
 * flagged truncated; the rest of it is read and dropped.
 */
final class LineFramer {
    private final int maxLineBytes;

    LineFramer(int maxLineBytes) {
        if (maxLineBytes < 16) {
            throw new IllegalArgumentException("maxLineBytes must be at least 16");
        }
        this.maxLineBytes = maxLineBytes;
    }

    List<RawLine> frame(InputStream in) throws IOException {
        List<RawLine> lines = new ArrayList<>();
        byte[] buf = new byte[64 * 1024];
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        boolean truncated = false;
        int n;
        while ((n = in.read(buf)) > 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    truncated |= append(line, buf, start, i - start);
                    emit(lines, line, truncated);
                    line.reset();
                    truncated = false;
                    start = i + 1;
                }
            }
            truncated |= append(line, buf, start, n - start);
        }
        emit(lines, line, truncated);
        return lines;
    }

    /** Appends up to the limit; returns true when bytes had to be dropped. */
    private boolean append(ByteArrayOutputStream line, byte[] buf, int off, int len) {
        int room = maxLineBytes - line.size();
        if (len <= room) {
            line.write(buf, off, len);
            return false;
        }
        if (room > 0) {
            line.write(buf, off, room);
        }
        return true;
    }

    private void emit(List<RawLine> lines, ByteArrayOutputStream line, boolean truncated) {
        byte[] bytes = line.toByteArray();
        int end = bytes.length;
        if (!truncated && end > 0 && bytes[end - 1] == '\r') {
            end--;
        }
        if (truncated) {
            end = utf8Boundary(bytes, end);
        }
        if (isBlank(bytes, end)) {
            return;
        }
        lines.add(new RawLine(end == bytes.length ? bytes : Arrays.copyOf(bytes, end), truncated));
    }

    /** Backs off so the cut does not split a multi-byte UTF-8 character. */
    static int utf8Boundary(byte[] bytes, int end) {
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
