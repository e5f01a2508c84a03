package dev.logai.common.tenancy;

import dev.logai.common.web.ApiProblem;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves {@code Authorization: Bearer <key>} to an {@link ApiPrincipal}. Results (also "no such
 * key") are cached for {@code cacheTtl}, so a revoked key stops working within that time and a
 * flood of bad keys does not reach the database. The lookup is the one query made without an org:
 * it goes through the {@code logai_resolve_api_key} function, which sees only the key's own row.
 */
public class ApiKeyAuthenticator {
    private static final int MAX_CACHED_KEYS = 100_000;

    private record Cached(Optional<ApiPrincipal> principal, long expiresAtNanos) {}

    private final TenantTransactions db;
    private final long ttlNanos;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    public ApiKeyAuthenticator(TenantTransactions db, Duration cacheTtl) {
        this.db = db;
        this.ttlNanos = cacheTtl.toNanos();
    }

    public ApiPrincipal authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw ApiProblem.unauthorized("Missing API key: send 'Authorization: Bearer <api key>'.");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiProblem.unauthorized(
                    "The Authorization header must use the Bearer scheme: 'Authorization: Bearer <api key>'.");
        }
        String key = authorization.substring(7).trim();
        if (!ApiKeys.looksValid(key)) {
            throw ApiProblem.unauthorized("Unknown API key. Keys look like 'lgai_' followed by 40 characters.");
        }
        String hash = ApiKeys.hash(key);
        long now = System.nanoTime();
        Cached cached = cache.get(hash);
        if (cached == null || now - cached.expiresAtNanos() > 0) {
            cached = new Cached(lookup(hash), now + ttlNanos);
            if (cache.size() >= MAX_CACHED_KEYS) {
                cache.clear();
            }
            cache.put(hash, cached);
        }
        return cached.principal().orElseThrow(() -> ApiProblem.unauthorized("Unknown or revoked API key."));
    }

    private Optional<ApiPrincipal> lookup(String hash) {
        try {
            return db.withoutOrg(c -> {
                try (PreparedStatement ps =
                        c.prepareStatement("select org_id, key_id, scopes, source_id from logai_resolve_api_key(?)")) {
                    ps.setString(1, hash);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return Optional.empty();
                        }
                        Array scopes = rs.getArray(3);
                        Set<String> scopeSet = Set.copyOf(Arrays.asList((String[]) scopes.getArray()));
                        return Optional.of(
                                new ApiPrincipal(rs.getString(1), rs.getString(2), scopeSet, rs.getString(4)));
                    }
                }
            });
        } catch (SQLException e) {
            throw ApiProblem.unavailable(
                    "Authentication unavailable",
                    "The key store cannot be reached right now; nothing was accepted or changed. Retry shortly.",
                    5);
        }
    }
}
