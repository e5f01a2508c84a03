package dev.logai.common.tenancy;

import java.time.Instant;
import java.util.Set;

/**
 * Who is calling, and in which org: either an API key (a machine) or a person signed in with an
 * OIDC access token and a member of the org. The org always comes from the credential and, for a
 * person, a checked membership, never from a client's say-so alone, so a client cannot name
 * another tenant.
 *
 * @param orgId the org every query of the request is scoped to
 * @param keyId the API key's id; null for a person
 * @param scopes what the caller may do: constants of {@link Permissions} (a key's scopes expanded
 *     by {@link Permissions#ofKeyScopes}, a person's role by {@link Permissions.Role#permissions})
 * @param restrictedToSourceId for a source-scoped key, the one source it may send to; else null
 * @param userId the member's {@code app_user.id}; null for a key
 * @param role the member's role in {@code orgId}; null for a key
 * @param expiresAt when the credential stops being valid (key expiry, token {@code exp}); null: never
 */
public record ApiPrincipal(
        String orgId,
        String keyId,
        Set<String> scopes,
        String restrictedToSourceId,
        String userId,
        Permissions.Role role,
        Instant expiresAt) {

    /** An API key's caller with stored key scopes ({@code ingest}, {@code read}, {@code write}). */
    public static ApiPrincipal forKey(
            String orgId, String keyId, Set<String> keyScopes, String restrictedToSourceId, Instant expiresAt) {
        return new ApiPrincipal(
                orgId, keyId, Permissions.ofKeyScopes(keyScopes), restrictedToSourceId, null, null, expiresAt);
    }

    /** A person's caller: member {@code userId} of {@code orgId} with {@code role}. */
    public static ApiPrincipal forMember(String orgId, String userId, Permissions.Role role, Instant expiresAt) {
        return new ApiPrincipal(orgId, null, role.permissions(), null, userId, role, expiresAt);
    }

    /** Whether the caller has {@code permission} (a constant of {@link Permissions}). */
    public boolean may(String permission) {
        return scopes.contains(permission);
    }

    /** Whether the caller may send lines or files to {@code sourceId} of its org. */
    public boolean mayIngestInto(String sourceId) {
        return may(Permissions.INGEST) && (restrictedToSourceId == null || restrictedToSourceId.equals(sourceId));
    }

    /** True for a signed-in person, false for an API key. */
    public boolean isPerson() {
        return userId != null;
    }

    /** Whether the credential has expired at {@code now}. */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
