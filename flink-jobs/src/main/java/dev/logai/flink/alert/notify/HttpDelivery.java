package dev.logai.flink.alert.notify;

import dev.logai.common.outbound.OutboundTargets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * POSTs a body to a tenant-given URL, safely and persistently: the target is checked against
 * {@link OutboundTargets} right before each attempt (the JDK caches the lookup it makes, so the
 * connection goes where the check looked), redirects are never followed (a 3xx is a failure, so a
 * receiver cannot bounce the alert to an internal address), every request has connect and response
 * timeouts, and 429/5xx/I/O failures are retried a bounded number of times with full jitter,
 * honouring Retry-After up to the backoff cap.
 *
 * <p>A receiver cannot hold a delivery nor fill the job's heap: each attempt, from connecting to
 * the last byte of the response, has one deadline (the timeout), and at most {@value
 * #MAX_RESPONSE_BYTES} bytes of a response body are read; past them the connection is dropped.
 */
final class HttpDelivery {
    static final int MAX_ATTEMPTS = 3;
    static final long BACKOFF_BASE_MS = 500;
    static final long BACKOFF_CAP_MS = 5_000;
    /** The most of a receiver's response body read (it only ever feeds an error message). */
    static final int MAX_RESPONSE_BYTES = 64 * 1024;

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
                HttpResponse<String> response = exchange(r.build());
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
            } catch (TimeoutException e) {
                error = "no complete answer within " + timeout.toMillis() + " ms";
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

    /**
     * Sends {@code request} and reads the response within one deadline, the body cut at {@link
     * #MAX_RESPONSE_BYTES}.
     *
     * @throws TimeoutException when the whole exchange takes longer than the timeout (it is cancelled)
     */
    private HttpResponse<String> exchange(HttpRequest request)
            throws IOException, InterruptedException, TimeoutException {
        CompletableFuture<HttpResponse<String>> response =
                client.sendAsync(request, info -> new CappedBody(MAX_RESPONSE_BYTES));
        try {
            return response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | InterruptedException e) {
            response.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    /**
     * Collects a response body up to {@code cap} bytes as UTF-8 text; at the cap it cancels the
     * subscription, which drops the connection, and completes with what it has.
     */
    static final class CappedBody implements HttpResponse.BodySubscriber<String> {
        private final int cap;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<String> body = new CompletableFuture<>();
        private Flow.Subscription subscription;

        CappedBody(int cap) {
            this.cap = cap;
        }

        @Override
        public CompletionStage<String> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                int n = Math.min(buffer.remaining(), cap - bytes.size());
                byte[] chunk = new byte[n];
                buffer.get(chunk);
                bytes.write(chunk, 0, n);
            }
            if (bytes.size() >= cap) {
                subscription.cancel();
                onComplete();
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable error) {
            body.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toString(StandardCharsets.UTF_8));
        }
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
