package dev.logai.query.auth;

import dev.logai.query.ListQueryResolver;
import dev.logai.query.QuerySettings;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Registers {@link CallerResolver} and {@link ListQueryResolver}, so handlers take the caller as an
 * {@code ApiPrincipal} parameter and a list endpoint's parameters as a {@code ListQuery}. The caller
 * comes first in every handler, so a request without a valid key is 401 before anything else.
 */
@Configuration
@EnableConfigurationProperties(QuerySettings.class) // the list resolver needs it, in every web slice too
class CallerConfig implements WebMvcConfigurer {
    private final CallerResolver callers;
    private final ListQueryResolver listQueries;

    CallerConfig(CallerResolver callers, ListQueryResolver listQueries) {
        this.callers = callers;
        this.listQueries = listQueries;
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(callers);
        resolvers.add(listQueries);
    }
}
