package dev.logai.query;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;

import dev.logai.common.tenancy.ApiKeyAuthenticator;
import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.web.ApiProblem;
import java.util.Set;

/**
 * API keys for controller slice tests: a mocked {@link ApiKeyAuthenticator} that knows a
 * read-and-write key of org A, a read-only key of org A, and answers 401 for anything else.
 */
public final class TestCallers {
    public static final String ORG_A = "org_aaaa";
    public static final String WRITER = "Bearer lgai_" + "a".repeat(40);
    public static final String READER = "Bearer lgai_" + "b".repeat(40);

    private TestCallers() {}

    public static void stub(ApiKeyAuthenticator authenticator) {
        doThrow(ApiProblem.unauthorized(dev.logai.common.tenancy.ApiKeyAuthenticator.MISSING_KEY))
                .when(authenticator)
                .authenticate(any());
        doReturn(ApiPrincipal.forKey(ORG_A, "key_w", Set.of("read", "write"), null, null))
                .when(authenticator)
                .authenticate(WRITER);
        doReturn(ApiPrincipal.forKey(ORG_A, "key_r", Set.of("read"), null, null))
                .when(authenticator)
                .authenticate(READER);
    }
}
