package dev.logai.gateway.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Syslog framing and LogAi's credential element. Frames on a TCP stream are either octet-counted
 * ({@code MSG-LEN SP MSG}, RFC 6587 §3.4.1 and RFC 5425 §4.3) or end at LF (RFC 6587 §3.4.2,
 * "non-transparent framing"); each frame is told apart by its first byte, as rsyslog and syslog-ng
 * do. A UDP datagram is one message (RFC 5426).
 *
 * <p>The credential: an RFC 5424 structured-data element with the SD-ID {@code logai@…} (any
 * enterprise number) and the parameters {@code key} (a LogAi API key) and optionally {@code source}
 * (a source name or id), e.g. {@code [logai@41058 key="lgai_…" source="payments"]} — the token
 * pattern hosted syslog services use. The element is removed from the stored line, so the key is
 * never stored.
 */
final class SyslogFrames {
    private SyslogFrames() {}

    /** The LogAi element: the SD-ID, then its parameters; matched only in the SD part of an RFC 5424 header. */
    private static final Pattern ELEMENT =
            Pattern.compile("\\[logai@\\d*((?:\\s+[a-z]+=\"(?:[^\"\\\\\\]]|\\\\.)*\")*)\\s*\\]");

    private static final Pattern PARAM = Pattern.compile("([a-z]+)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    /** {@code <PRI>1 TIMESTAMP HOST APP PROCID MSGID } — the part of an RFC 5424 line before its SD. */
    private static final Pattern HEADER_5424 = Pattern.compile("^<\\d{1,3}>1 \\S+ \\S+ \\S+ \\S+ \\S+ ");

    /** One message with its credential taken out: the line to store, the key and source it named (or null). */
    record Message(String line, String key, String source) {}

    /**
     * Reads the next frame of a TCP stream.
     *
     * @param maxBytes longer frames are cut to this many bytes (the rest is read and dropped)
     * @return the frame without its line end, or null at the end of the stream
     * @throws IOException from the stream, or for an octet count that is not a number
     */
    static byte[] nextFrame(InputStream in, int maxBytes) throws IOException {
        int first = in.read();
        while (first == '\n' || first == '\r') {
            first = in.read();
        }
        if (first < 0) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        if (first >= '1' && first <= '9') {
            // octet counting: digits, one space, that many bytes
            long length = first - '0';
            int c;
            while ((c = in.read()) >= '0' && c <= '9') {
                length = length * 10 + (c - '0');
                if (length > Integer.MAX_VALUE) {
                    throw new IOException("octet count too large");
                }
            }
            if (c != ' ') {
                throw new IOException("an octet-counted frame must have a space after its length");
            }
            for (long i = 0; i < length; i++) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                if (out.size() < maxBytes) {
                    out.write(b);
                }
            }
            byte[] frame = out.toByteArray();
            int end = frame.length;
            while (end > 0 && (frame[end - 1] == '\n' || frame[end - 1] == '\r')) {
                end--;
            }
            return end == frame.length ? frame : java.util.Arrays.copyOf(frame, end);
        }
        int b = first;
        while (b >= 0 && b != '\n') {
            if (out.size() < maxBytes) {
                out.write(b);
            }
            b = in.read();
        }
        byte[] frame = out.toByteArray();
        int end = frame.length;
        while (end > 0 && (frame[end - 1] == '\r' || frame[end - 1] == 0)) {
            end--;
        }
        return end == frame.length ? frame : java.util.Arrays.copyOf(frame, end);
    }

    /** Takes LogAi's credential element out of {@code frame} (UTF-8). */
    static Message credential(byte[] frame, int length) {
        String line = new String(frame, 0, length, StandardCharsets.UTF_8);
        Matcher header = HEADER_5424.matcher(line);
        if (!header.find() || line.length() <= header.end() || line.charAt(header.end()) != '[') {
            return new Message(line, null, null);
        }
        int sdStart = header.end();
        int sdEnd = structuredDataEnd(line, sdStart);
        Matcher element = ELEMENT.matcher(line).region(sdStart, sdEnd);
        if (!element.find()) {
            return new Message(line, null, null);
        }
        String key = null;
        String source = null;
        Matcher param = PARAM.matcher(element.group(1));
        while (param.find()) {
            String value = param.group(2).replaceAll("\\\\(.)", "$1");
            if (param.group(1).equals("key")) {
                key = value;
            } else if (param.group(1).equals("source")) {
                source = value;
            }
        }
        String sd = line.substring(sdStart, element.start()) + line.substring(element.end(), sdEnd);
        String stored = line.substring(0, sdStart) + (sd.isEmpty() ? "-" : sd) + line.substring(sdEnd);
        return new Message(stored, key, source);
    }

    /** Index just past the SD elements that start at {@code from} ({@code [..][..]}, quotes and escapes honoured). */
    private static int structuredDataEnd(String line, int from) {
        int i = from;
        while (i < line.length() && line.charAt(i) == '[') {
            boolean quoted = false;
            i++;
            while (i < line.length()) {
                char c = line.charAt(i);
                if (c == '\\' && quoted) {
                    i += 2;
                    continue;
                }
                if (c == '"') {
                    quoted = !quoted;
                } else if (c == ']' && !quoted) {
                    i++;
                    break;
                }
                i++;
            }
        }
        return Math.min(i, line.length());
    }
}
