package dev.logai.flink.template;

import java.nio.charset.StandardCharsets;

/**
 * Template ids: 64 bits of a fixed hash of the template text, as 16 hex digits. Deterministic
 * across JVMs, restarts and sources (unlike {@code String.hashCode}, only 32 bits). Two different
 * texts share an id with probability ~n²/2⁶⁵: about 3·10⁻¹² for 10,000 templates.
 */
public final class TemplateIds {
    private TemplateIds() {}

    public static String of(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        long h = 0xcbf29ce484222325L; // FNV-1a 64 offset basis
        for (byte b : bytes) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        // FNV alone mixes the last bytes weakly; finish with murmur3's avalanche.
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        String hex = Long.toHexString(h);
        return "0000000000000000".substring(hex.length()) + hex;
    }
}
