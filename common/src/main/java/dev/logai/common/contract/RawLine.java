package dev.logai.common.contract;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One line as the client sent it: bytes (not yet decoded, so the parser can flag invalid UTF-8)
 * and whether the gateway cut it at the line-length limit.
 */
public record RawLine(byte[] bytes, boolean truncated) {

    public static RawLine of(String text) {
        return new RawLine(text.getBytes(StandardCharsets.UTF_8), false);
    }

    /** The text with invalid UTF-8 sequences replaced by U+FFFD. */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawLine other && truncated == other.truncated && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(bytes) + Boolean.hashCode(truncated);
    }

    @Override
    public String toString() {
        return "RawLine[" + text() + (truncated ? ", truncated" : "") + "]";
    }
}
