package dev.logai.common.observability;

import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.web.ApiKeyFilter;
import dev.logai.common.web.ApiProblem;
import dev.logai.common.web.ProblemResponses;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Counts what a request's answer says about LogAi's defences, beside Spring's {@code
 * http_server_requests_seconds} (rate and latency per route, method and status):
 *
 * <ul>
 *   <li>{@code logai_auth_failures_total{reason}}: 401 ({@code unauthenticated}), 403 ({@code
 *       forbidden}), and 429 for an address blocked after too many failed keys ({@code
 *       address_blocked});
 *   <li>{@code logai_refusals_total{limit, status}}: the other 429s and the 413s — quota, rates,
 *       bursts, in-flight shares and body sizes; {@code limit} is the problem's {@code limit} member
 *       ({@code bytes_per_month}, {@code ingest_bytes_per_second}, {@code ingest_burst_bytes}, {@code
 *       requests_per_minute}) or {@code none};
 *   <li>{@code logai_ingest_received_bytes_total{org}} (when made with {@code countIngestBytes}):
 *       request-body bytes as received (compressed when sent gzip) of accepted (2xx) POSTs, per org,
 *       the label bounded by {@link OrgLabels}.
 * </ul>
 *
 * It runs before {@link ApiKeyFilter}, so it sees the refusals answered there too; the problem
 * answered is read from the request attribute {@link ProblemResponses#PROBLEM_ATTRIBUTE}. The tag
 * values are constants of the code, so the series are bounded.
 */
public final class RequestOutcomeMetrics extends OncePerRequestFilter implements Ordered {
    private static final String BLOCKED_TITLE = "Too many failed authentications";

    private final MeterRegistry registry;
    private final OrgLabels orgs;
    private final boolean countIngestBytes;

    /**
     * @param registry where the counters go
     * @param orgs the bound on per-org labels
     * @param countIngestBytes whether to count request-body bytes per org (the gateway)
     */
    public RequestOutcomeMetrics(MeterRegistry registry, OrgLabels orgs, boolean countIngestBytes) {
        this.registry = registry;
        this.orgs = orgs;
        this.countIngestBytes = countIngestBytes;
        for (String reason : new String[] {"unauthenticated", "forbidden", "address_blocked"}) {
            authFailures(reason); // present from the start at 0, so rate() sees the first failure
        }
    }

    /** Before {@link ApiKeyFilter} (highest precedence + 10) and the body limits. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 5;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getRequestURI().startsWith("/actuator/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        CountingRequest counted =
                countIngestBytes && "POST".equals(request.getMethod()) ? new CountingRequest(request) : null;
        try {
            chain.doFilter(counted != null ? counted : request, response);
        } finally {
            record(request, response.getStatus(), counted);
        }
    }

    private void record(HttpServletRequest request, int status, CountingRequest counted) {
        ApiProblem problem =
                request.getAttribute(ProblemResponses.PROBLEM_ATTRIBUTE) instanceof ApiProblem p ? p : null;
        if (status == 401) {
            authFailures("unauthenticated").increment();
        } else if (status == 403) {
            authFailures("forbidden").increment();
        } else if (status == 429 && problem != null && BLOCKED_TITLE.equals(problem.title())) {
            authFailures("address_blocked").increment();
        } else if (status == 429 || status == 413) {
            Object limit = problem == null ? null : problem.properties().get("limit");
            Counter.builder("logai.refusals")
                    .description("requests refused by a quota, rate, burst, in-flight share or size limit")
                    .tag("limit", limit == null ? "none" : limit.toString())
                    .tag("status", Integer.toString(status))
                    .register(registry)
                    .increment();
        }
        if (counted != null && status >= 200 && status < 300 && counted.bytes > 0) {
            String org = request.getAttribute(ApiKeyFilter.PRINCIPAL) instanceof ApiPrincipal p ? p.orgId() : null;
            Counter.builder("logai.ingest.received")
                    .description("request-body bytes of accepted ingest requests, as received")
                    .baseUnit("bytes")
                    .tag("org", orgs.of(org))
                    .register(registry)
                    .increment(counted.bytes);
        }
    }

    private Counter authFailures(String reason) {
        return Counter.builder("logai.auth.failures")
                .description("requests refused for missing, unknown or insufficient credentials")
                .tag("reason", reason)
                .register(registry);
    }

    /** Counts the body bytes the handlers read. */
    private static final class CountingRequest extends HttpServletRequestWrapper {
        private long bytes;
        private ServletInputStream stream;

        CountingRequest(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                stream = new ServletInputStream() {
                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0) {
                            bytes++;
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buffer, int offset, int length) throws IOException {
                        int n = in.read(buffer, offset, length);
                        if (n > 0) {
                            bytes += n;
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

                    @Override
                    public int available() throws IOException {
                        return in.available();
                    }

                    @Override
                    public void close() throws IOException {
                        in.close();
                    }
                };
            }
            return stream;
        }
    }
}
