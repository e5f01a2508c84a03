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

    /** The 403 for {@code caller} lacking {@code permission}: names the role or key scope that would have it. */
    static ApiProblem forbidden(ApiPrincipal caller, String permission) {
        if (caller.isPerson()) {
            String needed = java.util.Arrays.stream(Permissions.Role.values())
                    .filter(r -> r.permissions().contains(permission))
                    .findFirst()
                    .map(Permissions.Role::wireName)
                    .orElse("owner");
            return new ApiProblem(
                    403,
                    "Role too weak",
                    "Your role '" + caller.role().wireName() + "' may not do this ('" + permission + "'); it needs"
                            + " the '" + needed + "' role or higher. Ask an admin of your org to change your role.");
        }
        String scope = Permissions.ofKeyScopes(java.util.Set.of("read")).contains(permission)
                ? "read"
                : Permissions.ofKeyScopes(java.util.Set.of("ingest")).contains(permission)
                        ? "ingest"
                        : Permissions.ofKeyScopes(java.util.Set.of("write")).contains(permission) ? "write" : null;
        return new ApiProblem(
                403,
                "Missing scope",
                scope == null
                        ? "API keys may not do this ('" + permission + "'): sign in as a person with the role for it."
                        : "This API key lacks the '" + scope + "' scope needed here.");
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
            throw forbidden(principal, scope);
        }
        return principal;
    }
}
