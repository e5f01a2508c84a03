package dev.logai.gateway.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Syslog framing and LogAi's credential element. Frames on a TCP stream are either octet-counted
 * ({@code MSG-LEN SP MSG}, RFC 6587 §3.4.1 and RFC 5425 §4.3) or end at LF (RFC 6587 §3.4.2,
 * "non-transparent framing"); each frame is told apart by its first byte, as rsyslog and syslog-ng
 * do. A UDP datagram is one message (RFC 5426).
 *
 * <p>The credential: RFC 5424 structured-data elements with the SD-ID {@code logai@…} (any
 * enterprise number) and the parameters {@code key} (a LogAi API key) and optionally {@code source}
 * (a source name or id), e.g. {@code [logai@41058 key="lgai_…" source="payments"]} — the token
 * pattern hosted syslog services use. Every such element is removed from the stored line, so a key
 * is never stored; a line whose element is malformed or has no key is refused (never written with
 * another key).
 */
final class SyslogFrames {
    private SyslogFrames() {}

    /**
     * One message with its credential taken out: the line to store, the key and source it named
     * (null when it had no LogAi element), and whether it had a LogAi element that could not be read.
     */
    record Message(String line, String key, String source, boolean malformedCredential) {}

    /**
     * Reads frames from one TCP stream. Its state survives a read timeout ({@link
     * java.net.SocketTimeoutException} from {@link #next}): a frame split across a pause is
     * continued, not lost, on the next call.
     */
    static final class Reader {
        private final InputStream in;
        private final int maxBytes;
        private final ByteArrayOutputStream frame = new ByteArrayOutputStream(256);
        /** -1: between frames; -2: in an LF-framed frame; -3: reading an octet count; else bytes left. */
        private long state = -1;

        private long count;

        /**
         * @param maxBytes longer frames are cut to this many bytes (the rest is read and dropped)
         */
        Reader(InputStream in, int maxBytes) {
            this.in = in;
            this.maxBytes = maxBytes;
        }

        /**
         * The next frame without its line end, or null at the end of the stream.
         *
         * @throws java.net.SocketTimeoutException when the stream paused (call again to continue)
         * @throws IOException from the stream, or for an octet count that is not followed by a space
         */
        byte[] next() throws IOException {
            while (true) {
                int b = in.read();
                if (b < 0) {
                    if (frame.size() > 0 && state != -1) {
                        state = -1;
                        return take();
                    }
                    return null;
                }
                if (state == -1) {
                    if (b == '\n' || b == '\r' || b == 0) {
                        continue;
                    }
                    if (b >= '1' && b <= '9') {
                        state = -3;
                        count = b - '0';
                    } else {
                        state = -2;
                        append(b);
                    }
                } else if (state == -3) {
                    if (b >= '0' && b <= '9') {
                        count = count * 10 + (b - '0');
                        if (count > Integer.MAX_VALUE) {
                            throw new IOException("octet count too large");
                        }
                    } else if (b == ' ') {
                        state = count;
                        if (state == 0) {
                            state = -1;
                            return take();
                        }
                    } else {
                        throw new IOException("an octet-counted frame must have a space after its length");
                    }
                } else if (state == -2) {
                    if (b == '\n') {
                        state = -1;
                        return take();
                    }
                    append(b);
                } else {
                    append(b);
                    if (--state == 0) {
                        state = -1;
                        return take();
                    }
                }
            }
        }

        private void append(int b) {
            if (frame.size() < maxBytes) {
                frame.write(b);
            }
        }

        private byte[] take() {
            byte[] f = frame.toByteArray();
            frame.reset();
            int end = f.length;
            while (end > 0 && (f[end - 1] == '\n' || f[end - 1] == '\r' || f[end - 1] == 0)) {
                end--;
            }
            return end == f.length ? f : java.util.Arrays.copyOf(f, end);
        }

        /** Bytes of the frame being read (held in memory until it ends). */
        int pending() {
            return frame.size();
        }
    }

    /** Takes every LogAi credential element out of {@code frame} (UTF-8, its first {@code length} bytes). */
    static Message credential(byte[] frame, int length) {
        String line = new String(frame, 0, length, StandardCharsets.UTF_8);
        int sdStart = structuredDataStart(line);
        if (sdStart < 0 || sdStart >= line.length() || line.charAt(sdStart) != '[') {
            return new Message(line, null, null, false);
        }
        StringBuilder kept = new StringBuilder();
        String key = null;
        String source = null;
        boolean logai = false;
        boolean malformed = false;
        int i = sdStart;
        while (i < line.length() && line.charAt(i) == '[') {
            int end = elementEnd(line, i);
            if (end < 0) {
                // an element that never closes: the rest is the message, as the sender wrote it
                malformed |= line.startsWith("[logai@", i);
                break;
            }
            String element = line.substring(i, end);
            if (element.startsWith("[logai@")) {
                logai = true;
                String[] found = params(element);
                if (found == null || found[0] == null) {
                    malformed = true;
                } else {
                    key = key == null ? found[0] : key;
                    source = source == null ? found[1] : source;
                }
            } else {
                kept.append(element);
            }
            i = end;
        }
        if (!logai) {
            return new Message(line, null, null, false);
        }
        String stored = line.substring(0, sdStart) + (kept.length() == 0 ? "-" : kept) + line.substring(i);
        return new Message(stored, malformed ? null : key, malformed ? null : source, malformed);
    }

    /**
     * Where the SD part of an RFC 5424 line starts ({@code <PRI>1 TIMESTAMP HOST APP PROCID MSGID SD}),
     * or -1 for a line of another shape.
     */
    private static int structuredDataStart(String line) {
        if (!line.startsWith("<")) {
            return -1;
        }
        int close = line.indexOf('>');
        if (close < 2 || close > 4 || !line.startsWith("1 ", close + 1)) {
            return -1;
        }
        int at = close + 3;
        for (int field = 0; field < 5; field++) {
            int space = line.indexOf(' ', at);
            if (space <= at) {
                return -1;
            }
            at = space + 1;
        }
        return at;
    }

    /** Index just past the SD element starting at {@code from} (quotes and escapes honoured), or -1. */
    private static int elementEnd(String line, int from) {
        boolean quoted = false;
        for (int i = from + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ']' && !quoted) {
                return i + 1;
            }
        }
        return -1;
    }

    /**
     * The {@code key} and {@code source} parameters of one element ({@code [SD-ID PARAM="v" …]};
     * PARAM-NAME per RFC 5424: 1–32 printable characters but {@code = ] "} and space), or null when
     * it is not of that shape.
     */
    private static String[] params(String element) {
        String[] out = new String[2];
        int i = element.indexOf(' ');
        if (i < 0) {
            return element.length() > 2 ? out : null;
        }
        int end = element.length() - 1; // the closing ']'
        while (i < end) {
            while (i < end && element.charAt(i) == ' ') {
                i++;
            }
            if (i >= end) {
                break;
            }
            int eq = element.indexOf('=', i);
            if (eq <= i || eq - i > 32 || eq + 1 >= end || element.charAt(eq + 1) != '"') {
                return null;
            }
            String name = element.substring(i, eq);
            if (name.chars().anyMatch(c -> c <= ' ' || c > '~' || c == ']' || c == '"')) {
                return null;
            }
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            while (j < end && element.charAt(j) != '"') {
                char c = element.charAt(j);
                if (c == '\\' && j + 1 < end) {
                    value.append(element.charAt(++j));
                } else {
                    value.append(c);
                }
                j++;
            }
            if (j >= end) {
                return null;
            }
            if (name.equals("key")) {
                out[0] = value.toString();
            } else if (name.equals("source")) {
                out[1] = value.toString();
            }
            i = j + 1;
        }
        return out;
    }
}
