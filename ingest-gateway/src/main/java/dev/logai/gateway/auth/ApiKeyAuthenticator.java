package dev.logai.gateway.auth;

import dev.logai.common.tenancy.ApiKeys;
import dev.logai.common.tenancy.TenantTransactions;
import dev.logai.gateway.GatewaySettings;
import dev.logai.gateway.web.ApiProblem;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Resolves {@code Authorization: Bearer <key>} to a {@link Tenant}. Results (also "no such key")
 * are cached for {@code logai.auth.cache-ttl}, so a revoked key stops working within that time
 * and a flood of bad keys does not reach the database.
 */
@Component
public class ApiKeyAuthenticator {
    private static final int MAX_CACHED_KEYS = 100_000;

    private record Cached(Optional<Tenant> tenant, long expiresAtNanos) {}

    private final TenantTransactions db;
    private final long ttlNanos;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    ApiKeyAuthenticator(TenantTransactions db, GatewaySettings settings) {
        this.db = db;
        this.ttlNanos = settings.auth().cacheTtl().toNanos();
    }

    public Tenant authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw unauthorized("Missing API key: send 'Authorization: Bearer <api key>'.");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthorized("The Authorization header must use the Bearer scheme: 'Authorization: Bearer <api key>'.");
        }
        String key = authorization.substring(7).trim();
        if (!ApiKeys.looksValid(key)) {
            throw unauthorized("Unknown API key. Keys look like 'lgai_' followed by 40 characters; create one with POST /v1/api-keys.");
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
        return cached.tenant().orElseThrow(() -> unauthorized("Unknown or revoked API key."));
    }

    private Optional<Tenant> lookup(String hash) {
        try {
            return db.withoutOrg(c -> {
                try (PreparedStatement ps = c.prepareStatement("select org_id, key_id, scopes, source_id from logai_resolve_api_key(?)")) {
                    ps.setString(1, hash);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return Optional.empty();
                        }
                        Array scopes = rs.getArray(3);
                        Set<String> scopeSet = Set.copyOf(Arrays.asList((String[]) scopes.getArray()));
                        return Optional.of(new Tenant(rs.getString(1), rs.getString(2), scopeSet, rs.getString(4)));
                    }
                }
            });
        } catch (SQLException e) {
            throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "Authentication unavailable",
                    "The key store cannot be reached right now; nothing was accepted. Retry shortly.").retryAfterSeconds(5);
        }
    }

    private static ApiProblem unauthorized(String detail) {
        return new ApiProblem(HttpStatus.UNAUTHORIZED, "Unauthorized", detail);
    }
}
