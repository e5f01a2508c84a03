package dev.logai.flink.parse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Raw line bytes to text, noting what was wrong with them: invalid UTF-8 (the line is then read as
 * Windows-1252, the usual legacy encoding of such logs, and flagged) and binary content (mostly
 * control characters). A leading UTF-8
 * byte-order mark (Windows "UTF-8 with BOM" files) and ANSI colour/cursor escape sequences
 * (ECMA-48 CSI {@code ESC [ params final}, OSC {@code ESC ] … BEL}) are removed: they are
 * presentation, not content, and would split templates and hide level words. The archive keeps
 * the bytes as received.
 */
public final class LineText {
    private LineText() {}

    /** The 8-bit encoding a line that is not valid UTF-8 is read in (Windows-1252, a superset of Latin-1's letters). */
    private static final java.nio.charset.Charset LEGACY = legacyCharset();

    private static java.nio.charset.Charset legacyCharset() {
        try {
            return java.nio.charset.Charset.forName("windows-1252");
        } catch (RuntimeException e) {
            return StandardCharsets.ISO_8859_1;
        }
    }

    /** The text of {@code raw}, with {@code FLAG_INVALID_UTF8} / {@code FLAG_BINARY} or-ed into {@code flags[0]}. */
    public static String decode(byte[] raw, int[] flags) {
        // Fast path, nearly every line: printable ASCII only, checked eight bytes at a time.
        if (printableAscii(raw)) {
            return new String(raw, StandardCharsets.ISO_8859_1); // ASCII: identical, and the cheapest decode
        }
        boolean ascii = true;
        int control = 0;
        for (byte b : raw) {
            if (b < 0) {
                ascii = false;
            } else if (b < 0x20 && b != '\t') {
                control++;
            }
        }
        boolean utf8 = ascii || validUtf8(raw);
        if (!utf8) {
            flags[0] |= LogRecord.FLAG_INVALID_UTF8;
        }
        // Not UTF-8: nearly always a legacy 8-bit encoding (a Tomcat on a German Windows writes
        // "M\xe4r"), read as Windows-1252 so its words and month names stay readable.
        String text = new String(raw, utf8 ? StandardCharsets.UTF_8 : LEGACY);
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        if (!text.isEmpty() && text.charAt(text.length() - 1) == '\r') {
            text = text.substring(0, text.length() - 1);
            control--;
        }
        if (text.indexOf('\u001B') >= 0) {
            text = stripAnsi(text);
            control = countControls(text);
        }
        if (control > 0) {
            if (control * 10 > raw.length) flags[0] |= LogRecord.FLAG_BINARY;
            text = replaceControls(text);
        }
        return text;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long SPACES = 0x2020202020202020L;

    /**
     * No byte below 0x20 and none at or above 0x80, tested eight bytes per step: {@code (w - 0x20…) & ~w}
     * sets a byte's high bit where that byte is below 0x20, {@code w} itself where it is 0x80 or more.
     */
    static boolean printableAscii(byte[] raw) {
        int i = 0;
        int n = raw.length;
        for (; i + 8 <= n; i += 8) {
            long w = (long) LONGS.get(raw, i);
            if (((((w - SPACES) & ~w) | w) & HIGH_BITS) != 0) return false;
        }
        for (; i < n; i++) {
            if (raw[i] < 0x20) return false; // negative bytes (>= 0x80) included
        }
        return true;
    }

    /**
     * {@code text} without ANSI escape sequences: CSI ({@code ESC [} parameter bytes 0x30–0x3F,
     * intermediate bytes 0x20–0x2F, one final byte 0x40–0x7E), OSC ({@code ESC ]} up to BEL or
     * {@code ESC \\}) and two-character escapes ({@code ESC} + 0x40–0x5F). One pass, linear time.
     * A lone ESC with nothing valid after it is kept (and later shown as U+FFFD).
     */
    public static String stripAnsi(String text) {
        int esc = text.indexOf('\u001B');
        if (esc < 0) return text;
        StringBuilder sb = new StringBuilder(text.length());
        int n = text.length();
        int i = 0;
        while (esc >= 0) {
            sb.append(text, i, esc);
            int end = escapeEnd(text, esc, n);
            if (end < 0) {
                sb.append(text.charAt(esc));
                i = esc + 1;
            } else {
                i = end;
            }
            esc = text.indexOf('\u001B', i);
        }
        sb.append(text, i, n);
        return sb.toString();
    }

    /** End (exclusive) of the escape sequence starting at {@code esc}, or -1 if none is valid there. */
    private static int escapeEnd(String text, int esc, int n) {
        if (esc + 1 >= n) return -1;
        char kind = text.charAt(esc + 1);
        if (kind == '[') {
            int p = esc + 2;
            while (p < n && text.charAt(p) >= 0x30 && text.charAt(p) <= 0x3F) p++;
            while (p < n && text.charAt(p) >= 0x20 && text.charAt(p) <= 0x2F) p++;
            return p < n && text.charAt(p) >= 0x40 && text.charAt(p) <= 0x7E ? p + 1 : -1;
        }
        if (kind == ']') {
            for (int p = esc + 2; p < n && p < esc + 512; p++) {
                char c = text.charAt(p);
                if (c == 0x07) return p + 1;
                if (c == 0x1B) return p + 1 < n && text.charAt(p + 1) == '\\' ? p + 2 : -1;
            }
            return -1;
        }
        return kind >= 0x40 && kind <= 0x5F ? esc + 2 : -1;
    }

    /**
     * A container runtime's content (already decoded by JSON or taken from a CRI line) made like a
     * decoded line: ANSI escapes removed, a trailing CR dropped, other control characters shown
     * as U+FFFD.
     */
    public static String cleanContent(String content) {
        String text = stripAnsi(content);
        if (!text.isEmpty() && text.charAt(text.length() - 1) == '\r') text = text.substring(0, text.length() - 1);
        return countControls(text) > 0 ? replaceControls(text) : text;
    }

    private static int countControls(String text) {
        int controls = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t') controls++;
        }
        return controls;
    }

    /** Control characters (NUL, escape, …) would corrupt terminals and reports: shown as U+FFFD. */
    private static String replaceControls(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            sb.append(c < 0x20 && c != '\t' ? '\uFFFD' : c);
        }
        return sb.toString();
    }

    static boolean validUtf8(byte[] b) {
        int i = 0;
        int n = b.length;
        while (i < n) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int extra;
            int min;
            if (c >= 0xC2 && c <= 0xDF) {
                extra = 1;
                min = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                extra = 2;
                min = 0x800;
            } else if (c >= 0xF0 && c <= 0xF4) {
                extra = 3;
                min = 0x10000;
            } else {
                return false;
            }
            int cp = c & (0x3F >> extra);
            for (int k = 1; k <= extra; k++) {
                if (i + k >= n) return false;
                int cc = b[i + k] & 0xFF;
                if ((cc & 0xC0) != 0x80) return false;
                cp = (cp << 6) | (cc & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
            i += extra + 1;
        }
        return true;
    }
}
