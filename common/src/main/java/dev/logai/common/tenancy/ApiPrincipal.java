package dev.logai.common.tenancy;

import java.util.Set;

/**
 * Who is calling: the org and scopes behind an API key. The org always comes from here, never from
 * a client header, so a client cannot name another tenant.
 */
public record ApiPrincipal(String orgId, String keyId, Set<String> scopes, String restrictedToSourceId) {

    public boolean may(String scope) {
        return scopes.contains(scope);
    }

    public boolean mayIngestInto(String sourceId) {
        return may("ingest") && (restrictedToSourceId == null || restrictedToSourceId.equals(sourceId));
    }
}
