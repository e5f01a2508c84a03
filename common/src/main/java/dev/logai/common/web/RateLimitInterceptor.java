package dev.logai.common.web;

import dev.logai.common.plan.OrgPlans;
import dev.logai.common.plan.PlanLimits;
import dev.logai.common.tenancy.ApiPrincipal;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * The per-credential request rate of every {@code /v1/} endpoint (seed spec §9): each API key and
 * each signed-in person has, per endpoint (method and route pattern, e.g. {@code GET
 * /v1/sources/{id}}), a bucket of the org's plan's {@code requests_per_minute}, refilled
 * continuously. Past it: 429 problem+json naming the limit, with {@code Retry-After}. Every answer
 * carries {@code RateLimit-Limit} and {@code RateLimit-Remaining}.
 *
 * <p>Runs after {@link ApiKeyFilter} authenticated the caller and before the handler reads the body.
 * An org that no longer exists is 401: its credentials died with it.
 */
public class RateLimitInterceptor implements HandlerInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(RateLimitInterceptor.class);

    private final RateLimits limits;
    private final OrgPlans plans;

    public RateLimitInterceptor(RateLimits limits, OrgPlans plans) {
        this.limits = limits;
        this.plans = plans;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(request.getAttribute(ApiKeyFilter.PRINCIPAL) instanceof ApiPrincipal caller)) {
            return true; // not a /v1/ call, or refused before: nothing to count against
        }
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        // Only a matched route names a bucket: anything else (unknown paths or methods, which get 404
        // or 405 anyway) shares one, so a client cannot make buckets without end.
        String endpoint = pattern == null ? "unmatched" : request.getMethod() + " " + pattern;
        PlanLimits plan = planOf(caller.orgId());
        long rpm = plan.requestsPerMinute();
        String who = caller.isPerson() ? "user " + caller.userId() : "key " + caller.keyId();
        ConsumptionProbe probe;
        try {
            probe = limits.tryConsume(
                    "req|" + caller.orgId() + "|" + who + "|" + endpoint, 1, rpm, rpm, Duration.ofMinutes(1));
        } catch (RuntimeException e) {
            LOG.warn("Rate limit state unreachable: {}", e.toString());
            throw ApiProblem.unavailable(
                    "Temporarily unavailable", "LogAi cannot check rate limits right now; retry shortly.", 5);
        }
        response.setHeader("RateLimit-Limit", String.valueOf(rpm));
        response.setHeader("RateLimit-Remaining", String.valueOf(Math.max(0, probe.getRemainingTokens())));
        if (!probe.isConsumed()) {
            int retryAfter = retryAfterSeconds(probe.getNanosToWaitForRefill());
            throw new ApiProblem(
                            429,
                            "Rate limit exceeded",
                            "Your " + (caller.isPerson() ? "user" : "API key") + " sent more than " + rpm
                                    + " requests a minute to " + endpoint + ", the limit of the '" + plan.plan()
                                    + "' plan per credential and endpoint. Retry after " + retryAfter
                                    + " s, or spread the requests out.")
                    .retryAfterSeconds(retryAfter)
                    .property("limit", "requests_per_minute")
                    .property("limit_value", rpm)
                    .property("endpoint", endpoint)
                    .property("plan", plan.plan())
                    .property("retry_after_seconds", retryAfter);
        }
        return true;
    }

    private PlanLimits planOf(String orgId) {
        Optional<PlanLimits> limits;
        try {
            limits = plans.limits(orgId);
        } catch (SQLException e) {
            throw ApiProblem.unavailable(
                    "Temporarily unavailable", "LogAi cannot read your plan right now; retry shortly.", 5);
        }
        return limits.orElseThrow(() ->
                ApiProblem.unauthorized("This org no longer exists; its API keys and memberships ended with it."));
    }

    /** Whole seconds, at least 1, for {@code Retry-After}. */
    static int retryAfterSeconds(long nanos) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (nanos + 999_999_999L) / 1_000_000_000L));
    }
}
