package dev.logai.common.web;

import dev.logai.common.plan.OrgPlans;
import dev.logai.common.plan.PlanCatalog;
import dev.logai.common.tenancy.TenantTransactions;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Plans and rate limits every LogAi Spring service shares: the plan catalog ({@code LOGAI_PLANS}),
 * each org's current limits, the Postgres-backed token buckets and the per-credential request limit
 * on every {@code /v1/} endpoint; and the clock that metering and retention read (a test replaces it
 * to cross a month or a retention period).
 */
@Configuration
public class PlanConfig {

    @Bean
    static PlanCatalog planCatalog(
            @Value("${logai.plans:}") String plans,
            @Value("${logai.ai.budgets:" + dev.logai.common.plan.Plans.DEFAULT_AI_BUDGETS + "}") String aiBudgets) {
        return PlanCatalog.parse(plans).withAiBudgets(dev.logai.common.plan.Plans.parseAiBudgets(aiBudgets));
    }

    @Bean
    static OrgPlans orgPlans(
            TenantTransactions db, PlanCatalog catalog, @Value("${logai.auth.cache-ttl:4s}") Duration cacheTtl) {
        return new OrgPlans(db, catalog, cacheTtl);
    }

    @Bean
    static RateLimits rateLimits(DataSource dataSource) {
        return new RateLimits(dataSource);
    }

    @Bean
    static RateLimitInterceptor rateLimitInterceptor(RateLimits limits, OrgPlans plans) {
        return new RateLimitInterceptor(limits, plans);
    }

    @Bean
    static Clock logaiClock() {
        return Clock.systemUTC();
    }

    /**
     * Puts the rate limit in front of every {@code /v1/} handler. A separate component so that web
     * slices testing one controller (which load no database) run without it.
     */
    @org.springframework.stereotype.Component
    static class RateLimitRegistration implements WebMvcConfigurer {
        private final org.springframework.beans.factory.ObjectProvider<RateLimitInterceptor> interceptor;

        RateLimitRegistration(org.springframework.beans.factory.ObjectProvider<RateLimitInterceptor> interceptor) {
            this.interceptor = interceptor;
        }

        @Override
        public void addInterceptors(InterceptorRegistry registry) {
            RateLimitInterceptor limit = interceptor.getIfAvailable();
            if (limit != null) {
                // the API, and the gateway's shipper protocols (README, "Shippers")
                registry.addInterceptor(limit)
                        .addPathPatterns("/v1/**", "/loki/**", "/_bulk", "/*/_bulk", "/services/collector/**")
                        .excludePathPatterns("/services/collector/health/**", "/services/collector/health");
            }
        }
    }
}
