package dev.logai.query.auth;

import dev.logai.common.tenancy.ApiKeyAuthenticator;
import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.tenancy.Permissions;
import dev.logai.common.web.ApiKeyFilter;
import dev.logai.common.web.ApiProblem;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Resolves a handler's {@link ApiPrincipal} parameter: the caller {@link ApiKeyFilter} found for
 * {@code Authorization: Bearer <api key or access token>} before the body was read, and checks the
 * permission named by {@link RequiresScope} (default {@code read}; {@link Permissions}). A missing,
 * malformed, unknown or revoked credential is 401 and a caller without the permission 403, both as
 * problem+json ({@link ApiProblem}); the org of every query comes from here, never from the client.
 */
@Component
public class CallerResolver implements HandlerMethodArgumentResolver {
    static final String DEFAULT_SCOPE = "read";

    private final ApiKeyAuthenticator authenticator;

    CallerResolver(ApiKeyAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == ApiPrincipal.class;
    }

    @Override
    public ApiPrincipal resolveArgument(
            MethodParameter parameter,
            ModelAndViewContainer mav,
            NativeWebRequest request,
            WebDataBinderFactory binders) {
        RequiresScope required = parameter.getParameterAnnotation(RequiresScope.class);
        String scope = required == null ? DEFAULT_SCOPE : required.value();
        // ApiKeyFilter authenticated the request before its body was read; the lookup here only
        // serves requests that did not pass through it.
        ApiPrincipal principal = request.getAttribute(ApiKeyFilter.PRINCIPAL, NativeWebRequest.SCOPE_REQUEST)
                        instanceof ApiPrincipal filtered
                ? filtered
                : authenticator.authenticate(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (!principal.may(scope)) {
            throw new ApiProblem(
                    403,
                    principal.isPerson() ? "Role too weak" : "Missing scope",
                    Permissions.refusal(principal, scope));
        }
        return principal;
    }
}
