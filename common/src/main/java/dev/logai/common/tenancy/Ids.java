package dev.logai.common.tenancy;

import java.security.SecureRandom;
import java.util.Random;

/** Readable, unguessable ids: a type prefix and 20 base-32 characters, e.g. {@code src_k3v...}. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    public static String newId(String prefix) {
        return prefix + "_" + randomBase32(RANDOM, 20);
    }

    /** Ids are only ever compared, never parsed; this bounds what reaches SQL from a URL. */
    public static boolean looksLikeId(String value) {
        return value != null && value.length() <= 64 && value.matches("[a-z]{2,8}_[a-z2-7]{1,40}");
    }

    static String randomBase32(Random random, int length) {
        char[] alphabet = ApiKeys.alphabet();
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet[random.nextInt(alphabet.length)];
        }
        return new String(out);
    }
}
