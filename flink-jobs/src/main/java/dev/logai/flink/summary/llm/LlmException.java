package dev.logai.flink.summary.llm;

import java.time.Duration;

/**
 * A failed LLM call: the HTTP status (0 when there was no response), whether another attempt may
 * succeed (429, 5xx, timeouts, broken connections), and the server's Retry-After if it sent one.
 */
public class LlmException extends Exception {
    private final int status;
    private final boolean retriable;
    private final Duration retryAfter;

    public LlmException(String message, int status, boolean retriable, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.retriable = retriable;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    public boolean retriable() {
        return retriable;
    }

    /** Null when the server did not say. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** A short reason for the summary's fallback_reason: {@code http_429}, {@code timeout}, ... */
    public String reason() {
        return status > 0
                ? "http_" + status
                : getCause() instanceof java.net.http.HttpTimeoutException ? "timeout" : "connection";
    }
}
