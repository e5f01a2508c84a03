package dev.logai.common.tenancy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.logai.common.web.ApiProblem;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves {@code Authorization: Bearer <key>} to an {@link ApiPrincipal}. Known keys are cached
 * for {@code cacheTtl} (at most {@value #MAX_KNOWN_KEYS}), so a revoked key stops working within
 * that time; unknown keys are cached apart, for the same time, in a cache of at most {@value
 * #MAX_UNKNOWN_KEYS}: a flood of random keys churns only that one and never evicts a tenant's key,
 * and a repeated bad key does not reach the database again. The lookup is the one query made
 * without an org: it goes through the {@code logai_resolve_api_key} function, which sees only the
 * key's own row, refuses revoked and expired keys and records the use ({@code last_used_at}).
 *
 * <p>Revocation: the service that revokes a key forgets it at once ({@link #forget}); every other
 * service stops accepting it when its cache entry ends, so {@code cacheTtl} (default 4 s: revoked
 * everywhere within 5 s) is the longest a revoked key still works anywhere. A key past its expiry is refused even from the cache.
 */
public class ApiKeyAuthenticator {
    /** Known keys kept: more than any deployment's live keys, about 20 MB at most. */
    public static final int MAX_KNOWN_KEYS = 100_000;
    /** How a key may be sent, for the answers that say it is missing or unreadable. */
    public static final String SCHEMES = "Send 'Authorization: Bearer <api key>' (shippers may also send HTTP Basic"
            + " with the key as password, 'ApiKey <key>' or 'Splunk <key>').";
    /** The answer to a request without a key. */
    public static final String MISSING_KEY = "Missing API key. " + SCHEMES;
    /** Unknown keys remembered: bounded so a flood of random keys costs at most about 2 MB. */
    public static final int MAX_UNKNOWN_KEYS = 10_000;

    private final TenantTransactions db;
    private final Cache<String, ApiPrincipal> known;
    private final Cache<String, Boolean> unknown;
    /**
     * Hashes of keys that authenticated within the last hour: while their address is throttled for
     * failed attempts, these still get a real lookup (so a revocation still counts), others none.
     */
    private final Cache<String, Boolean> recentlyValid;

    public ApiKeyAuthenticator(TenantTransactions db, Duration cacheTtl) {
        this.db = db;
        this.known = Caffeine.newBuilder()
                .maximumSize(MAX_KNOWN_KEYS)
                .expireAfterWrite(cacheTtl)
                .build();
        this.unknown = Caffeine.newBuilder()
                .maximumSize(MAX_UNKNOWN_KEYS)
                .expireAfterWrite(cacheTtl)
                .build();
        this.recentlyValid = Caffeine.newBuilder()
                .maximumSize(MAX_KNOWN_KEYS)
                .expireAfterWrite(Duration.ofHours(1))
                .build();
    }

    /**
     * The caller of {@code authorization} (the header's value, may be null).
     *
     * @throws ApiProblem 401 when the header is missing, not Bearer, or names no active key; 503
     *     when the key store cannot be reached
     */
    public ApiPrincipal authenticate(String authorization) {
        String hash = hashOf(authorization);
        ApiPrincipal principal = known.getIfPresent(hash);
        if (principal != null && !principal.expiredAt(Instant.now())) {
            return principal;
        }
        if (unknown.getIfPresent(hash) == null) {
            Optional<ApiPrincipal> found = lookup(hash);
            if (found.isPresent()) {
                known.put(hash, found.get());
                recentlyValid.put(hash, Boolean.TRUE);
                return found.get();
            }
            unknown.put(hash, Boolean.TRUE);
        }
        throw ApiProblem.unauthorized("Unknown or revoked API key.");
    }

    /**
     * The caller of {@code authorization} when its key is known: from the cache, or, for a key that
     * authenticated within the last hour, from a fresh lookup (a revoked one is refused). What a
     * client whose address is throttled for failed attempts may still use: a valid key keeps
     * working beside a flood of bad ones from the same address (a NAT, a shared proxy), while guesses
     * never reach the database.
     *
     * @throws ApiProblem 401 for a recently valid key that was revoked or expired since
     */
    public Optional<ApiPrincipal> authenticateCached(String authorization) {
        String hash;
        try {
            hash = hashOf(authorization);
        } catch (ApiProblem malformed) {
            return Optional.empty();
        }
        Optional<ApiPrincipal> cached =
                Optional.ofNullable(known.getIfPresent(hash)).filter(p -> !p.expiredAt(Instant.now()));
        if (cached.isPresent() || recentlyValid.getIfPresent(hash) == null) {
            return cached;
        }
        return Optional.of(authenticate(authorization));
    }

    /** Drops every cached entry of key {@code keyId} (after a revocation), so the next use asks the database. */
    public void forget(String keyId) {
        known.asMap().values().removeIf(p -> keyId.equals(p.keyId()));
    }

    /**
     * {@code authorization} with a LogAi API key carried in another scheme rewritten to {@code Bearer
     * <key>}: {@code Basic base64(user:key)} (either half may be the key: Loki clients and Beats put
     * it in the password, some shippers in the user), {@code ApiKey base64(id:key)} or {@code ApiKey
     * <key>} (Elasticsearch clients), {@code Splunk <key>} (Splunk HEC). Anything else, null
     * included, is returned unchanged.
     */
    public static String asBearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        int space = authorization.indexOf(' ');
        if (space <= 0) {
            return authorization;
        }
        String scheme = authorization.substring(0, space).toLowerCase(java.util.Locale.ROOT);
        String value = authorization.substring(space + 1).strip();
        String key = switch (scheme) {
            case "splunk" -> value;
            case "apikey" -> value.startsWith(ApiKeys.PREFIX) ? value : keyIn(decode(value));
            case "basic" -> keyIn(decode(value));
            default -> null;
        };
        return key != null && key.startsWith(ApiKeys.PREFIX) ? "Bearer " + key : authorization;
    }

    private static String decode(String base64) {
        try {
            return new String(java.util.Base64.getDecoder().decode(base64), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** The half of {@code user:secret} that looks like an API key, or null. */
    private static String keyIn(String pair) {
        int colon = pair.indexOf(':');
        String user = colon < 0 ? pair : pair.substring(0, colon);
        String secret = colon < 0 ? "" : pair.substring(colon + 1);
        return secret.startsWith(ApiKeys.PREFIX) ? secret : user.startsWith(ApiKeys.PREFIX) ? user : null;
    }

    /** Whether {@code authorization} carries a LogAi API key ({@code Bearer lgai_…}) rather than a token. */
    public static boolean carriesApiKey(String authorization) {
        return authorization != null
                && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && authorization.substring(7).strip().startsWith(ApiKeys.PREFIX);
    }

    private static String hashOf(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw ApiProblem.unauthorized(MISSING_KEY);
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiProblem.unauthorized("The Authorization header carries no LogAi API key. " + SCHEMES);
        }
        String key = authorization.substring(7).trim();
        if (!ApiKeys.looksValid(key)) {
            throw ApiProblem.unauthorized("Unknown API key. Keys look like 'lgai_' followed by 40 characters.");
        }
        return ApiKeys.hash(key);
    }

    private Optional<ApiPrincipal> lookup(String hash) {
        try {
            return db.withoutOrg(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "select org_id, key_id, scopes, source_id, expires_at from logai_resolve_api_key(?)")) {
                    ps.setString(1, hash);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return Optional.empty();
                        }
                        Array scopes = rs.getArray(3);
                        Set<String> scopeSet = Set.copyOf(Arrays.asList((String[]) scopes.getArray()));
                        Timestamp expires = rs.getTimestamp(5);
                        return Optional.of(ApiPrincipal.forKey(
                                rs.getString(1),
                                rs.getString(2),
                                scopeSet,
                                rs.getString(4),
                                expires == null ? null : expires.toInstant()));
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
