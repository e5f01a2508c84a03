package dev.logai.query.auth;

import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Registers {@link CallerResolver}, so handlers take the caller as an {@code ApiPrincipal} parameter. */
@Configuration
class CallerConfig implements WebMvcConfigurer {
    private final CallerResolver callers;

    CallerConfig(CallerResolver callers) {
        this.callers = callers;
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(callers);
    }
}
