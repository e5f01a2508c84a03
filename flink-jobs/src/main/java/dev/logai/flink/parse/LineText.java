package dev.logai.flink.parse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Raw line bytes to text, noting what was wrong with them: invalid UTF-8 (replaced with U+FFFD,
 * as {@link String} decoding does) and binary content (mostly control characters).
 */
public final class LineText {
    private LineText() {}

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
        if (!ascii && !validUtf8(raw)) {
            flags[0] |= LogRecord.FLAG_INVALID_UTF8;
        }
        String text = new String(raw, StandardCharsets.UTF_8);
        if (!text.isEmpty() && text.charAt(text.length() - 1) == '\r') {
            text = text.substring(0, text.length() - 1);
            control--;
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
