package dev.logai.gateway.ingest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.logai.common.tenancy.Ids;
import dev.logai.common.tenancy.TenantTransactions;
import dev.logai.common.web.ApiProblem;
import dev.logai.gateway.GatewaySettings;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.springframework.stereotype.Component;

/**
 * Answers "does this source belong to this org, and what is its {@code parser_hint}?" under
 * row-level security, so another org's source id is indistinguishable from one that does not exist
 * (404 either way). Positive answers are cached (at most {@value #MAX_CACHED}, least recently and frequently used evicted first); a
 * deleted source stops accepting lines within the cache TTL.
 */
@Component
public class SourceDirectory {
    private static final int MAX_CACHED = 100_000;

    private final TenantTransactions db;
    /** (org/source) → the source's parser hint, "" when it has none. */
    private final Cache<String, String> known;

    SourceDirectory(TenantTransactions db, GatewaySettings settings) {
        this.db = db;
        this.known = Caffeine.newBuilder()
                .maximumSize(MAX_CACHED)
                .expireAfterWrite(settings.auth().cacheTtl())
                .build();
    }

    /**
     * The source's {@code parser_hint} (null when it has none).
     *
     * @throws ApiProblem 400 without a source id, 404 for a source not in the org, 503 when the
     *     registry cannot be reached
     */
    public String requireSource(String orgId, String sourceId) {
        if (sourceId == null || sourceId.isBlank()) {
            throw new ApiProblem(
                    400,
                    "Missing source",
                    "Send the source these lines belong to in the X-Source-Id header (see GET /v1/sources).");
        }
        if (!Ids.looksLikeId(sourceId)) {
            throw notFound(sourceId);
        }
        String cacheKey = orgId + "/" + sourceId;
        String cached = known.getIfPresent(cacheKey);
        if (cached != null) {
            return cached.isEmpty() ? null : cached;
        }
        String hint;
        try {
            hint = db.inOrg(orgId, c -> {
                try (PreparedStatement ps =
                        c.prepareStatement("select coalesce(parser_hint, '') from source where id = ?")) {
                    ps.setString(1, sourceId);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getString(1) : null;
                    }
                }
            });
        } catch (SQLException e) {
            throw ApiProblem.unavailable(
                    "Source lookup unavailable",
                    "The source registry cannot be reached right now; nothing was accepted. Retry shortly.",
                    5);
        }
        if (hint == null) {
            throw notFound(sourceId);
        }
        known.put(cacheKey, hint);
        return hint.isEmpty() ? null : hint;
    }

    private static ApiProblem notFound(String sourceId) {
        return ApiProblem.notFound(
                "Unknown source",
                "Source '" + sourceId + "' does not exist in your org. List your sources with GET /v1/sources"
                        + " or create one with POST /v1/sources.");
    }
}
