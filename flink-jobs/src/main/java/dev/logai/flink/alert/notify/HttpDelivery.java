package dev.logai.flink.alert.notify;

import dev.logai.common.outbound.OutboundTargets;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * POSTs a body to a tenant-given URL, safely and persistently: the target is checked against
 * {@link OutboundTargets} right before each attempt (the JDK caches the lookup it makes, so the
 * connection goes where the check looked), redirects are never followed (a 3xx is a failure, so a
 * receiver cannot bounce the alert to an internal address), every request has connect and response
 * timeouts, and 429/5xx/I/O failures are retried a bounded number of times with full jitter,
 * honouring Retry-After up to the backoff cap.
 */
final class HttpDelivery {
    static final int MAX_ATTEMPTS = 3;
    static final long BACKOFF_BASE_MS = 500;
    static final long BACKOFF_CAP_MS = 5_000;

    private final HttpClient client;
    private final Duration timeout;

    HttpDelivery(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The result of POSTing {@code body}; {@code check} re-validates the target before each attempt. */
    Delivery post(
            String channel, String url, String contentType, String body, Map<String, String> headers, Check check) {
        String error = "";
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            if (Thread.currentThread().isInterrupted()) {
                return Delivery.failed(
                        channel, url, attempt - 1, "interrupted" + (error.isEmpty() ? "" : " after " + error));
            }
            long waitMs = 0;
            try {
                check.check(url);
                HttpRequest.Builder r = HttpRequest.newBuilder(java.net.URI.create(url))
                        .timeout(timeout)
                        .header("Content-Type", contentType)
                        .header("User-Agent", "LogAi-Alerts/1")
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
                headers.forEach(r::header);
                HttpResponse<String> response = client.send(r.build(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return Delivery.ok(channel, url, attempt);
                }
                if (status >= 300 && status < 400) {
                    return Delivery.failed(
                            channel,
                            url,
                            attempt,
                            "HTTP " + status + " redirect not followed (alerts go only" + " to the saved URL)");
                }
                error = "HTTP " + status + (response.body().isBlank() ? "" : ": " + clip(response.body()));
                if (status != 429 && status != 408 && status < 500) {
                    return Delivery.failed(channel, url, attempt, error);
                }
                waitMs = response.headers()
                        .firstValue("Retry-After")
                        .map(HttpDelivery::seconds)
                        .orElse(-1L);
            } catch (OutboundTargets.UnsafeTargetException e) {
                return Delivery.failed(channel, url, attempt, "refused: " + e.getMessage());
            } catch (IOException e) {
                error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Delivery.failed(channel, url, attempt, "interrupted");
            } catch (IllegalArgumentException e) {
                return Delivery.failed(channel, url, attempt, "invalid URL: " + e.getMessage());
            }
            if (attempt < MAX_ATTEMPTS) {
                long backoff = ThreadLocalRandom.current()
                        .nextLong(Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS << (attempt - 1)) + 1);
                sleep(Math.min(BACKOFF_CAP_MS, Math.max(waitMs, backoff)));
            }
        }
        return Delivery.failed(channel, url, MAX_ATTEMPTS, error);
    }

    /** Re-validates a target right before sending. */
    @FunctionalInterface
    interface Check {
        void check(String url) throws OutboundTargets.UnsafeTargetException;
    }

    private static long seconds(String header) {
        try {
            return (long) (Double.parseDouble(header.trim()) * 1000);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String clip(String s) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= 200 ? one : one.substring(0, 197) + "...";
    }
}
