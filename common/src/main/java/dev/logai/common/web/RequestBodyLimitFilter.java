package dev.logai.common.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Bounds every request body of the service, after {@link ApiKeyFilter}: a declared {@code
 * Content-Length} over {@code logai.http.max-body-bytes} is 413 before a byte is read; a chunked
 * body is cut off once it passes the limit ({@link BodyTooLargeException}, 413). A body that
 * arrives slower than {@code logai.http.min-body-bytes-per-second} on average, once {@code
 * logai.http.slow-body-grace} has passed since its first read, is cut off too ({@link
 * SlowBodyException}, 408): a slow client cannot hold a worker thread for long. Tomcat's {@code
 * connection-timeout} bounds the wait for any single read.
 *
 * <p>An error status set while the body is not read to its end also sets {@code Connection:
 * close}: the server will close the connection rather than read the rest ({@link
 * TomcatHardening}), and the header tells the client not to send its next request on it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class RequestBodyLimitFilter extends OncePerRequestFilter {
    /** The body passed the size limit while it was being read. */
    public static final class BodyTooLargeException extends IOException {
        BodyTooLargeException(long limit) {
            super("The request body is larger than " + limit + " bytes");
        }
    }

    /** The body arrived slower than the minimum rate. */
    public static final class SlowBodyException extends IOException {
        SlowBodyException(long minRate) {
            super("The request body arrived slower than " + minRate + " bytes per second");
        }
    }

    private final HandlerExceptionResolver problems;
    private final long maxBodyBytes;
    private final long minBytesPerSecond;
    private final long graceNanos;

    RequestBodyLimitFilter(
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problems,
            @Value("${logai.http.max-body-bytes:1MB}") DataSize maxBody,
            @Value("${logai.http.min-body-bytes-per-second:1024}") long minBytesPerSecond,
            @Value("${logai.http.slow-body-grace:10s}") Duration grace) {
        this.problems = problems;
        this.maxBodyBytes = maxBody.toBytes();
        this.minBytesPerSecond = minBytesPerSecond;
        this.graceNanos = grace.toNanos();
    }

    /** The problem for a body over {@code limit} bytes: 413. */
    static ApiProblem tooLarge(long limit) {
        return new ApiProblem(
                413,
                "Body too large",
                "The request body is larger than " + limit + " bytes, the most this endpoint accepts; nothing was"
                        + " done. Send less.");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBodyBytes) {
            response.setHeader(HttpHeaders.CONNECTION, "close");
            problems.resolveException(request, response, null, tooLarge(maxBodyBytes));
            return;
        }
        chain.doFilter(new BoundedRequest(request), new ClosingResponse(request, response));
    }

    /** Announces the close of a connection whose request body an error answer leaves unread. */
    private static final class ClosingResponse extends HttpServletResponseWrapper {
        private final HttpServletRequest request;

        ClosingResponse(HttpServletRequest request, HttpServletResponse response) {
            super(response);
            this.request = request;
        }

        @Override
        public void setStatus(int status) {
            closeIfUnread(status);
            super.setStatus(status);
        }

        @Override
        public void sendError(int status) throws IOException {
            closeIfUnread(status);
            super.sendError(status);
        }

        @Override
        public void sendError(int status, String message) throws IOException {
            closeIfUnread(status);
            super.sendError(status, message);
        }

        private void closeIfUnread(int status) {
            if (status >= 400 && !isCommitted() && !bodyFinished()) {
                setHeader(HttpHeaders.CONNECTION, "close");
            }
        }

        private boolean bodyFinished() {
            try {
                return request.getInputStream().isFinished();
            } catch (IOException | IllegalStateException e) {
                return false; // read through getReader(), or unreadable: do not reuse the connection
            }
        }
    }

    private final class BoundedRequest extends HttpServletRequestWrapper {
        private ServletInputStream bounded;

        BoundedRequest(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (bounded == null) {
                bounded = new BoundedInputStream(super.getInputStream());
            }
            return bounded;
        }
    }

    private final class BoundedInputStream extends ServletInputStream {
        private final ServletInputStream in;
        private long count;
        private long startedNanos;

        BoundedInputStream(ServletInputStream in) {
            this.in = in;
        }

        private final byte[] one = new byte[1];

        @Override
        public int read() throws IOException {
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (startedNanos == 0) {
                startedNanos = System.nanoTime();
            }
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
                if (count > maxBodyBytes) {
                    throw new BodyTooLargeException(maxBodyBytes);
                }
                long elapsed = System.nanoTime() - startedNanos;
                if (minBytesPerSecond > 0
                        && elapsed > graceNanos
                        && count < minBytesPerSecond * (elapsed / 1_000_000_000.0)) {
                    throw new SlowBodyException(minBytesPerSecond);
                }
            }
            return n;
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
