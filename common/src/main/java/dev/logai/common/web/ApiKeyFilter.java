package dev.logai.common.web;

import dev.logai.common.auth.MemberAuthenticator;
import dev.logai.common.tenancy.ApiKeyAuthenticator;
import dev.logai.common.tenancy.ApiPrincipal;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Authenticates every {@code /v1/} request from its headers before anything reads the body: {@code
 * Authorization: Bearer lgai_…} is an API key ({@link ApiKeyAuthenticator}); any other bearer value
 * is a person's access token, for the org of {@code X-Org-Id} ({@link MemberAuthenticator}). A
 * request without valid credentials is answered 401 (400/403 for a missing org or membership)
 * problem+json with {@code
 * Connection: close}, and its body is neither read nor swallowed ({@link TomcatHardening} closes
 * the connection). The caller is left in the request for handlers ({@link #principal}).
 *
 * <p>Shippers that cannot send a bearer header may carry the key in the scheme their protocol uses
 * ({@link ApiKeyAuthenticator#asBearer}: HTTP Basic's password, Elasticsearch's {@code ApiKey},
 * Splunk HEC's {@code Splunk}). With {@code logai.auth.open-paths} set (the gateway, whose shipper
 * protocols live outside {@code /v1/}), every path except those listed is authenticated; without
 * it, every {@code /v1/} path.
 *
 * <p>Failed attempts are limited per client address ({@link FailedAuthLimiter}, {@code
 * logai.auth.failed-per-ip-per-minute}, default 60): past the limit, the address gets 429 with
 * {@code Retry-After} for the rest of the minute, and only keys already in the cache still work
 * from it, so a flood of guesses reaches neither the database nor the handlers.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class ApiKeyFilter extends OncePerRequestFilter {
    /** Request attribute holding the authenticated {@link ApiPrincipal}. */
    public static final String PRINCIPAL = ApiKeyFilter.class.getName() + ".principal";
    /** The header naming the org of a person's request (an API key's org is the key's own). */
    public static final String ORG_HEADER = "X-Org-Id";

    private final ApiKeyAuthenticator authenticator;
    private final MemberAuthenticator members;
    private final HandlerExceptionResolver problems;
    private final FailedAuthLimiter failures;
    /** Null: only {@code /v1/} is authenticated; else every path but these prefixes (or exact paths). */
    private final java.util.List<String> openPaths;

    ApiKeyFilter(
            ApiKeyAuthenticator authenticator,
            ObjectProvider<MemberAuthenticator> members,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problems,
            @Value("${logai.auth.failed-per-ip-per-minute:60}") int failuresPerMinute,
            @Value("${logai.auth.open-paths:}") String openPaths) {
        this.openPaths = openPaths == null || openPaths.isBlank()
                ? null
                : java.util.Arrays.stream(openPaths.split(","))
                        .map(String::strip)
                        .filter(p -> !p.isEmpty())
                        .toList();
        this.authenticator = authenticator;
        // Absent only in web slices that test a controller with API keys.
        this.members = members.getIfAvailable();
        this.problems = problems;
        this.failures = new FailedAuthLimiter(failuresPerMinute, Duration.ofMinutes(1));
    }

    /**
     * The caller authenticated for {@code request}.
     *
     * @throws ApiProblem 401 when the request did not pass through this filter with a valid key
     */
    public static ApiPrincipal principal(HttpServletRequest request) {
        if (request.getAttribute(PRINCIPAL) instanceof ApiPrincipal principal) {
            return principal;
        }
        throw ApiProblem.unauthorized(ApiKeyAuthenticator.MISSING_KEY);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // The decoded, normalised path the handlers are matched on, not the raw URI: "/%761/..."
        // or "//v1/..." must not slip past (the raw URI is only a fallback for mock requests).
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        path = path.isEmpty() ? request.getRequestURI() : path;
        if (openPaths == null) {
            return !path.startsWith("/v1/");
        }
        for (String open : openPaths) {
            if (open.endsWith("/") ? path.startsWith(open) : path.equals(open)) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ApiPrincipal caller;
        try {
            caller = authenticate(
                    ApiKeyAuthenticator.asBearer(request.getHeader(HttpHeaders.AUTHORIZATION)),
                    request.getHeader(ORG_HEADER),
                    request.getRemoteAddr());
        } catch (ApiProblem problem) {
            // The body stays unread: closing is cheaper than reading what an unknown client sends.
            response.setHeader(HttpHeaders.CONNECTION, "close");
            problems.resolveException(request, response, null, problem);
            return;
        }
        request.setAttribute(PRINCIPAL, caller);
        chain.doFilter(request, response);
    }

    private ApiPrincipal authenticate(String authorization, String orgHeader, String address) {
        boolean blocked = failures.isBlocked(address);
        String token = bearerToken(authorization);
        if (token != null && members != null) {
            try {
                return members.authenticate(token, orgHeader, blocked);
            } catch (ApiProblem problem) {
                if (problem.status() == 401) {
                    failures.recordFailure(address);
                }
                throw problem;
            }
        }
        if (blocked) {
            return authenticator
                    .authenticateCached(authorization)
                    .orElseThrow(() -> new ApiProblem(
                                    429,
                                    "Too many failed authentications",
                                    "Too many requests from your address had a missing or unknown API key. Retry"
                                            + " after the Retry-After delay with a valid key.")
                            .retryAfterSeconds((int) failures.window().toSeconds()));
        }
        try {
            return authenticator.authenticate(authorization);
        } catch (ApiProblem problem) {
            if (problem.status() == 401) {
                failures.recordFailure(address);
            }
            throw problem;
        }
    }

    /** The bearer value when it is not an API key (a person's token), else null. */
    private static String bearerToken(String authorization) {
        if (authorization == null
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || ApiKeyAuthenticator.carriesApiKey(authorization)) {
            return null;
        }
        String token = authorization.substring(7).strip();
        return token.isEmpty() ? null : token;
    }
}
