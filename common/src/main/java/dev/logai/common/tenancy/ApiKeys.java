package dev.logai.common.tenancy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * API keys: {@code lgai_} followed by 40 random base-32 characters (200 bits). Only the SHA-256
 * of a key is stored; a fast hash is enough because the key itself is high-entropy.
 */
public final class ApiKeys {
    public static final String PREFIX = "lgai_";
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {}

    /** A new random key; shown to its creator once, stored only as {@link #hash}. */
    public static String generate() {
        return PREFIX + Ids.randomBase32(RANDOM, 40);
    }

    /** Hex SHA-256 of the key, as stored in {@code api_key.hash}. */
    public static String hash(String apiKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }

    /**
     * The part of a key shown in listings to tell keys apart: {@code lgai_} and the first 6
     * characters (30 of the 200 random bits, too few to help a guess of the rest).
     */
    public static String displayPrefix(String apiKey) {
        return apiKey.substring(0, Math.min(apiKey.length(), PREFIX.length() + 6));
    }

    /** A cheap shape check so garbage never reaches the database. */
    public static boolean looksValid(String apiKey) {
        if (apiKey == null || apiKey.length() != PREFIX.length() + 40 || !apiKey.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < apiKey.length(); i++) {
            char c = apiKey.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'))) {
                return false;
            }
        }
        return true;
    }

    static char[] alphabet() {
        return ALPHABET;
    }
}
