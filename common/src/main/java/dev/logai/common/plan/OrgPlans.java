package dev.logai.common.plan;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.logai.common.tenancy.TenantTransactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The limits each org has now: its {@code org.plan} in the {@link PlanCatalog}, with its {@code
 * org.limit_overrides}. Cached per org for {@code ttl} (the services use the auth cache's 4 s), so a
 * plan change applies everywhere within seconds; {@link #read} gives the uncached answer inside a
 * transaction that needs it exactly (the quota check).
 */
public final class OrgPlans {
    private static final String SELECT = "select o.plan, e.key, e.value from org o"
            + " left join lateral jsonb_each_text(o.limit_overrides) e on true where o.id = ?";

    private final TenantTransactions db;
    private final PlanCatalog catalog;
    private final Cache<String, Optional<PlanLimits>> cache;

    public OrgPlans(TenantTransactions db, PlanCatalog catalog, Duration ttl) {
        this.db = db;
        this.catalog = catalog;
        this.cache =
                Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(ttl).build();
    }

    /** The catalog the limits come from. */
    public PlanCatalog catalog() {
        return catalog;
    }

    /**
     * The org's limits (cached); empty when the org does not exist (deleted).
     *
     * @throws SQLException when the database cannot be reached
     */
    public Optional<PlanLimits> limits(String orgId) throws SQLException {
        Optional<PlanLimits> cached = cache.getIfPresent(orgId);
        if (cached != null) {
            return cached;
        }
        Optional<PlanLimits> limits = db.inOrg(orgId, c -> Optional.ofNullable(read(c, orgId, catalog)));
        cache.put(orgId, limits);
        return limits;
    }

    /** Forgets the cached limits of {@code orgId} (after a plan change on this replica). */
    public void invalidate(String orgId) {
        cache.invalidate(orgId);
    }

    /**
     * Reads the org's limits on {@code c}, which must be in the org's scope; null when the org does
     * not exist.
     */
    public static PlanLimits read(Connection c, String orgId, PlanCatalog catalog) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT)) {
            ps.setString(1, orgId);
            try (ResultSet rs = ps.executeQuery()) {
                String plan = null;
                Map<String, String> overrides = new LinkedHashMap<>();
                while (rs.next()) {
                    plan = rs.getString(1);
                    if (rs.getString(2) != null) {
                        overrides.put(rs.getString(2), rs.getString(3));
                    }
                }
                return plan == null ? null : catalog.limits(plan, overrides);
            }
        }
    }
}
