package dev.logai.query;

import dev.logai.common.tenancy.ApiKeyAuthenticator;
import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.web.ApiProblem;
import org.springframework.stereotype.Component;

/** Authenticates a request and checks the scope it needs. */
@Component
public class Callers {
    private final ApiKeyAuthenticator authenticator;

    Callers(ApiKeyAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    public ApiPrincipal require(String authorization, String scope) {
        ApiPrincipal principal = authenticator.authenticate(authorization);
        if (!principal.may(scope)) {
            throw new ApiProblem(403, "Missing scope", "This API key lacks the '" + scope + "' scope needed here.");
        }
        return principal;
    }
}
