package dev.logai.common.contract;

/**
 * The client's {@code Idempotency-Key} request header (IETF draft "The Idempotency-Key HTTP Header
 * Field", Stripe's convention): an opaque string the client sends again, unchanged, when it retries
 * a request, so the retry is recognised and counted once. Defined here once because the gateway
 * checks it and the pipeline reads it from the batch.
 *
 * <p>Opaque means compared exactly, byte for byte: an IETF-style quoted value ({@code "abc"}) is
 * simply a key that includes its quotes, and a retry must send it the same way.
 */
public final class IdempotencyKeys {
    /** The request header's name. */
    public static final String HEADER = "Idempotency-Key";

    /** Longest key accepted, in characters (= bytes: keys are ASCII). Stripe's limit. */
    public static final int MAX_LENGTH = 255;

    /** What a valid key is, as a sentence for error messages. */
    public static final String RULE = "The Idempotency-Key header must be 1 to " + MAX_LENGTH
            + " printable ASCII characters (letters, digits, punctuation or spaces), for example a UUID;"
            + " send the same value again only when retrying the same request.";

    private IdempotencyKeys() {}

    /**
     * Whether {@code key} is 1 to {@link #MAX_LENGTH} printable ASCII characters (U+0020 to U+007E);
     * {@code false} for null. Control characters and non-ASCII are refused so the key is the same
     * bytes in every HTTP client, proxy and log.
     */
    public static boolean isValid(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }
}
