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
 * Answers "does this source belong to this org?" under row-level security, so another org's
 * source id is indistinguishable from one that does not exist (404 either way). Positive answers
 * are cached (at most {@value #MAX_CACHED}, least recently and frequently used evicted first); a
 * deleted source stops accepting lines within the cache TTL.
 */
@Component
class SourceDirectory {
    private static final int MAX_CACHED = 100_000;

    private final TenantTransactions db;
    private final Cache<String, Boolean> known;

    SourceDirectory(TenantTransactions db, GatewaySettings settings) {
        this.db = db;
        this.known = Caffeine.newBuilder()
                .maximumSize(MAX_CACHED)
                .expireAfterWrite(settings.auth().cacheTtl())
                .build();
    }

    void requireSource(String orgId, String sourceId) {
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
        if (known.getIfPresent(cacheKey) != null) {
            return;
        }
        boolean exists;
        try {
            exists = db.inOrg(orgId, c -> {
                try (PreparedStatement ps = c.prepareStatement("select 1 from source where id = ?")) {
                    ps.setString(1, sourceId);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next();
                    }
                }
            });
        } catch (SQLException e) {
            throw ApiProblem.unavailable(
                    "Source lookup unavailable",
                    "The source registry cannot be reached right now; nothing was accepted. Retry shortly.",
                    5);
        }
        if (!exists) {
            throw notFound(sourceId);
        }
        known.put(cacheKey, Boolean.TRUE);
    }

    private static ApiProblem notFound(String sourceId) {
        return ApiProblem.notFound(
                "Unknown source",
                "Source '" + sourceId + "' does not exist in your org. List your sources with GET /v1/sources"
                        + " or create one with POST /v1/sources.");
    }
}
