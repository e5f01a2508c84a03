package dev.logai.common.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.tenancy.Ids;
import dev.logai.common.tenancy.Permissions.Role;
import dev.logai.common.tenancy.TenantTransactions;
import dev.logai.common.web.ApiProblem;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Resolves a person's access token and the org named by the request to a member of that org.
 *
 * <p>The org of a request is explicit: the {@code X-Org-Id} header, or when absent the token's
 * {@code <ns>org_id} claim. It is then checked against {@code app_user} (one row per org and
 * identity), read in a transaction scoped to that org, so row-level security applies:
 *
 * <ol>
 *   <li>a row with the token's {@code sub}: that member, with the row's role (the database, not the
 *       token, decides roles after the first login);
 *   <li>else an invitation (a row with the token's e-mail and no identity yet), unless the token
 *       says {@code email_verified: false}: the identity is bound to it;
 *   <li>else, when the token's own org claim names this org (the issuer put the person there), a
 *       row is created with the token's {@code <ns>role} claim (default viewer);
 *   <li>else 403: not a member (the same answer whether or not the org exists).
 * </ol>
 *
 * Memberships are cached per (org, sub) for {@code cacheTtl}, the longest a removed member or a
 * changed role may still act with the old rights (the service that made the change forgets at once,
 * {@link #forget}).
 */
public final class MemberAuthenticator {
    /** Memberships kept: (org, identity) pairs of recent callers. */
    public static final int MAX_MEMBERSHIPS = 100_000;

    private record Membership(String userId, Role role) {}

    private final OidcSettings settings;
    private final AccessTokens tokens;
    private final TenantTransactions db;
    private final Cache<String, Membership> memberships;

    /**
     * @param tokens null when sign-in is not configured ({@link OidcSettings#enabled} false)
     */
    public MemberAuthenticator(OidcSettings settings, AccessTokens tokens, TenantTransactions db, Duration cacheTtl) {
        this.settings = settings;
        this.tokens = tokens;
        this.db = db;
        this.memberships = Caffeine.newBuilder()
                .maximumSize(MAX_MEMBERSHIPS)
                .expireAfterWrite(cacheTtl)
                .build();
    }

    /**
     * The member calling with {@code token} in the org of {@code orgHeader} (or the token's org claim).
     *
     * @param cachedOnly true for a client being throttled for failed attempts: only a membership
     *     already cached is accepted, nothing reaches the database
     * @throws ApiProblem 401 for a refused token or when sign-in is off; 400 when no org is named or
     *     the name is malformed; 403 when the person is not a member of that org; 503 when the
     *     database or the issuer's keys cannot be reached
     */
    public ApiPrincipal authenticate(String token, String orgHeader, boolean cachedOnly) {
        if (tokens == null) {
            throw ApiProblem.unauthorized("This LogAi does not accept sign-in tokens (LOGAI_OIDC_ISSUER is not set):"
                    + " send an API key, 'Authorization: Bearer lgai_…'.");
        }
        Jwt jwt = tokens.validate(token);
        String claimedOrg = jwt.getClaimAsString(settings.orgClaim());
        String orgId = orgHeader == null || orgHeader.isBlank() ? claimedOrg : orgHeader.strip();
        if (orgId == null || orgId.isBlank()) {
            throw ApiProblem.badRequest("Name the org this request is for: send 'X-Org-Id: <org id>' (see GET"
                    + " /v1/members of each org you belong to, or the org your sign-in was issued for).");
        }
        if (!Ids.looksLikeId(orgId)) {
            throw ApiProblem.badRequest("'X-Org-Id' must be an org id such as 'org_…'.");
        }
        String cacheKey = orgId + '\n' + jwt.getSubject();
        Membership member = memberships.getIfPresent(cacheKey);
        if (member == null) {
            if (cachedOnly) {
                throw new ApiProblem(
                                429,
                                "Too many failed authentications",
                                "Too many requests from your address failed to authenticate. Retry after the"
                                        + " Retry-After delay with a valid token.")
                        .retryAfterSeconds(60);
            }
            member = lookup(orgId, jwt, orgId.equals(claimedOrg))
                    .orElseThrow(() -> new ApiProblem(
                            403,
                            "Not a member",
                            "You are not a member of org '" + orgId + "'. Ask an admin of that org to invite your"
                                    + " e-mail (POST /v1/members), or send 'X-Org-Id' with one of your orgs."));
            memberships.put(cacheKey, member);
        }
        return ApiPrincipal.forMember(orgId, member.userId(), member.role(), jwt.getExpiresAt());
    }

    /** Drops the cached memberships of {@code userId} (after a role change or removal). */
    public void forget(String userId) {
        memberships.asMap().values().removeIf(m -> m.userId().equals(userId));
    }

    private Optional<Membership> lookup(String orgId, Jwt jwt, boolean tokenIssuedForOrg) {
        String sub = jwt.getSubject();
        String email = email(jwt);
        try {
            return db.inOrg(orgId, c -> {
                try (PreparedStatement ps = c.prepareStatement("update app_user set last_login_at = now()"
                        + " where auth0_sub = ? returning id, role, removed_at is not null")) {
                    ps.setString(1, sub);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            // A removed member stays removed, even with a token that names the org.
                            return rs.getBoolean(3) ? Optional.empty() : membership(rs);
                        }
                    }
                }
                if (email != null && !Boolean.FALSE.equals(jwt.getClaimAsBoolean("email_verified"))) {
                    try (PreparedStatement ps = c.prepareStatement("update app_user set auth0_sub = ?,"
                            + " last_login_at = now() where email = ? and auth0_sub is null and removed_at is null"
                            + " returning id, role")) {
                        ps.setString(1, sub);
                        ps.setString(2, email);
                        Optional<Membership> invited = first(ps);
                        if (invited.isPresent()) {
                            return invited;
                        }
                    }
                }
                if (!tokenIssuedForOrg) {
                    return Optional.empty();
                }
                Role role =
                        Role.parse(jwt.getClaimAsString(settings.roleClaim())).orElse(Role.VIEWER);
                try (PreparedStatement ps =
                        c.prepareStatement("insert into app_user (id, org_id, email, role, auth0_sub, last_login_at)"
                                + " select ?, ?, ?, ?, ?, now() where exists (select 1 from org where id = ?)"
                                + " on conflict do nothing returning id, role")) {
                    ps.setString(1, Ids.newId("usr"));
                    ps.setString(2, orgId);
                    ps.setString(3, email);
                    ps.setString(4, role.wireName());
                    ps.setString(5, sub);
                    ps.setString(6, orgId);
                    return first(ps);
                }
            });
        } catch (SQLException e) {
            throw ApiProblem.unavailable(
                    "Authentication unavailable",
                    "The member store cannot be reached right now; nothing was accepted or changed. Retry shortly.",
                    5);
        }
    }

    private String email(Jwt jwt) {
        String email = jwt.getClaimAsString(settings.emailClaim());
        if (email == null) {
            email = jwt.getClaimAsString(settings.namespacedEmailClaim());
        }
        if (email == null || email.length() < 3 || email.length() > 320 || !email.contains("@")) {
            return null;
        }
        return email.strip().toLowerCase(Locale.ROOT);
    }

    private static Optional<Membership> first(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? membership(rs) : Optional.empty();
        }
    }

    private static Optional<Membership> membership(ResultSet rs) throws SQLException {
        String userId = rs.getString(1);
        return Role.parse(rs.getString(2)).map(role -> new Membership(userId, role));
    }
}
