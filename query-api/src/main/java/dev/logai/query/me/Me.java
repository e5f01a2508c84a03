package dev.logai.query.me;

import java.util.List;

/**
 * Answer of {@code GET /v1/me}: who the caller is in the request's org, what they may do there,
 * and (for a person) every org they belong to, for the dashboard's org switcher.
 *
 * @param kind {@code person} or {@code api_key}
 * @param userId the member's id; null for a key
 * @param email the member's e-mail; null when unknown or for a key
 * @param role the member's role; null for a key
 * @param permissions what the caller may do here (constants of the permission matrix)
 * @param orgs the person's orgs with their role in each, by name; for a key only its org
 */
public record Me(
        String kind,
        String orgId,
        String orgName,
        String plan,
        String userId,
        String email,
        String role,
        List<String> permissions,
        List<OrgMembership> orgs) {

    /** One org of the person. */
    public record OrgMembership(String id, String name, String role) {}
}
