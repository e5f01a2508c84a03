package dev.logai.query;

import dev.logai.common.web.ApiProblem;
import org.springframework.core.MethodParameter;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Gives a handler's {@link ListQuery} parameter the request's {@code source_id}, {@code since},
 * {@code until} and {@code limit}, validated once for every list endpoint ({@code GET
 * /v1/windows}, {@code /v1/anomalies}, {@code /v1/patterns}, {@code /v1/summaries}, {@code
 * /v1/alerts}).
 *
 * @throws ApiProblem 400 for a limit that is not a whole number, a bad range or a limit out of
 *     bounds; 404 for a malformed source id (see {@link ListQuery#of})
 */
@Component
public class ListQueryResolver implements HandlerMethodArgumentResolver {
    private final QuerySettings settings;

    ListQueryResolver(QuerySettings settings) {
        this.settings = settings;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == ListQuery.class;
    }

    @Override
    public ListQuery resolveArgument(
            MethodParameter parameter,
            ModelAndViewContainer mav,
            NativeWebRequest request,
            WebDataBinderFactory binders) {
        String limit = request.getParameter("limit");
        Integer parsed = null;
        if (limit != null) {
            try {
                parsed = Integer.valueOf(limit.strip());
            } catch (NumberFormatException e) {
                throw ApiProblem.badRequest("'limit' must be a whole number between 1 and " + settings.maxLimit()
                        + "; got '" + (limit.length() > 20 ? limit.substring(0, 20) + "…" : limit) + "'.");
            }
        }
        return ListQuery.of(
                request.getParameter("source_id"),
                request.getParameter("since"),
                request.getParameter("until"),
                parsed,
                settings);
    }
}
