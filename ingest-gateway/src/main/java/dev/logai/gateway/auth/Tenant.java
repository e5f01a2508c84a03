package dev.logai.gateway.auth;

import java.util.Set;

/** Who is calling: resolved from the API key, never taken from a client header. */
public record Tenant(String orgId, String keyId, Set<String> scopes, String restrictedToSourceId) {

    public boolean mayIngestInto(String sourceId) {
        return scopes.contains("ingest") && (restrictedToSourceId == null || restrictedToSourceId.equals(sourceId));
    }
}
