package dev.logai.gateway.ingest;

import dev.logai.common.tenancy.Ids;
import dev.logai.common.tenancy.TenantTransactions;
import dev.logai.common.web.ApiProblem;
import dev.logai.gateway.GatewaySettings;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Answers "does this source belong to this org?" under row-level security, so another org's
 * source id is indistinguishable from one that does not exist (404 either way). Positive answers
 * are cached; a deleted source stops accepting lines within the cache TTL.
 */
@Component
class SourceDirectory {
    private static final int MAX_CACHED = 100_000;

    private final TenantTransactions db;
    private final long ttlNanos;
    private final ConcurrentHashMap<String, Long> knownUntil = new ConcurrentHashMap<>();

    SourceDirectory(TenantTransactions db, GatewaySettings settings) {
        this.db = db;
        this.ttlNanos = settings.auth().cacheTtl().toNanos();
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
        Long until = knownUntil.get(cacheKey);
        long now = System.nanoTime();
        if (until != null && until - now > 0) {
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
        if (knownUntil.size() >= MAX_CACHED) {
            knownUntil.clear();
        }
        knownUntil.put(cacheKey, now + ttlNanos);
    }

    private static ApiProblem notFound(String sourceId) {
        return ApiProblem.notFound(
                "Unknown source",
                "Source '" + sourceId + "' does not exist in your org. List your sources with GET /v1/sources"
                        + " or create one with POST /v1/sources.");
    }
}
