package dev.logai.common.secret;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets that must travel or rest outside the database (a webhook's signing secret on the
 * rules topic) with AES-256-GCM under the deployment's key, {@value #ENV}: base64 of 32 random
 * bytes, the same in the query API and the pipeline. A sealed value is {@code sealed:v1:} and the
 * base64 of a 12-byte random nonce followed by the ciphertext and its 16-byte tag. The {@code
 * context} (the rule's org and id) is authenticated with it, so a sealed value copied into another
 * rule does not open.
 *
 * <p>Without a key ({@link #NONE}) values pass in clear, for tests and deployments that have not
 * set one; the services log that at start-up.
 */
public final class SecretSeal {
    /** Environment variable holding the key. */
    public static final String ENV = "LOGAI_SECRET_KEY";

    static final String PREFIX = "sealed:v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** No key: {@link #seal} returns the clear value and {@link #open} accepts only clear values. */
    public static final SecretSeal NONE = new SecretSeal(null);

    private static volatile SecretSeal fromEnvironment;

    private final SecretKey key;

    private SecretSeal(SecretKey key) {
        this.key = key;
    }

    /**
     * The seal of {@code base64Key}; {@link #NONE} when it is null or blank.
     *
     * @throws IllegalArgumentException when it is not base64 of exactly 32 bytes
     */
    public static SecretSeal of(String base64Key) {
        if (base64Key == null || base64Key.isBlank()) {
            return NONE;
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64Key.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ENV + " must be base64 of 32 random bytes");
        }
        if (raw.length != 32) {
            throw new IllegalArgumentException(ENV + " must be base64 of 32 random bytes, not " + raw.length);
        }
        return new SecretSeal(new SecretKeySpec(raw, "AES"));
    }

    /** The seal of the key in the environment variable {@value #ENV} (read once). */
    public static SecretSeal fromEnvironment() {
        SecretSeal seal = fromEnvironment;
        if (seal == null) {
            seal = of(System.getenv(ENV));
            fromEnvironment = seal;
        }
        return seal;
    }

    /** A new random key, base64: what to put in {@value #ENV}. */
    public static String newKey() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    /** True when there is a key. */
    public boolean active() {
        return key != null;
    }

    /** {@code clear} sealed for {@code context}; "" and, without a key, every value are returned as they are. */
    public String seal(String clear, String context) {
        if (key == null || clear == null || clear.isEmpty()) {
            return clear;
        }
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(clear.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[nonce.length + sealed.length];
            System.arraycopy(nonce, 0, out, 0, nonce.length);
            System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * The clear value of {@code value} sealed for {@code context}; a value that is not sealed is
     * returned as it is (written before sealing, or without a key).
     *
     * @throws IllegalArgumentException when it is sealed but there is no key, or it does not open
     *     with this key and context (another key, another rule, or altered)
     */
    public String open(String value, String context) {
        if (value == null || !value.startsWith(PREFIX)) {
            return value;
        }
        if (key == null) {
            throw new IllegalArgumentException("the value is sealed but " + ENV + " is not set");
        }
        try {
            byte[] in = Base64.getDecoder().decode(value.substring(PREFIX.length()));
            if (in.length < NONCE_BYTES + TAG_BITS / 8) {
                throw new IllegalArgumentException("the sealed value is cut short");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] clear = cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
            return new String(clear, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "the sealed value does not open with this " + ENV + " for this rule (" + e.getMessage() + ")");
        }
    }
}
