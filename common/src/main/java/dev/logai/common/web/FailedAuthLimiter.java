package dev.logai.common.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts failed authentications per client address in fixed windows: once an address has failed
 * {@code maxFailures} times within a window (which starts at its first failure), it is blocked for
 * the rest of that window. At most {@value #MAX_ADDRESSES} addresses are tracked (least used
 * forgotten first), so the limiter's own memory is bounded whatever the number of addresses.
 */
public final class FailedAuthLimiter {
    /** Addresses tracked at once: about 10 MB at most. */
    public static final int MAX_ADDRESSES = 100_000;

    private final int maxFailures;
    private final Duration window;
    private final Cache<String, AtomicInteger> failures;

    /**
     * @param maxFailures failures an address may have per window; 0 or less disables the limit
     * @param window length of a window, from the address's first failure
     */
    public FailedAuthLimiter(int maxFailures, Duration window) {
        this.maxFailures = maxFailures;
        this.window = window;
        // expire-after-write: increments mutate the counter in place, so the window is not extended
        this.failures = Caffeine.newBuilder()
                .maximumSize(MAX_ADDRESSES)
                .expireAfterWrite(window)
                .build();
    }

    /** True when {@code address} has used up its failures for the current window. */
    public boolean isBlocked(String address) {
        if (maxFailures <= 0) {
            return false;
        }
        AtomicInteger count = failures.getIfPresent(address);
        return count != null && count.get() >= maxFailures;
    }

    /** Records one failed authentication from {@code address}. */
    public void recordFailure(String address) {
        if (maxFailures > 0) {
            failures.get(address, a -> new AtomicInteger()).incrementAndGet();
        }
    }

    /** Length of a window, for {@code Retry-After}. */
    public Duration window() {
        return window;
    }
}
