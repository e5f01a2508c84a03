package dev.logai.gateway.protocol;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.logai.common.plan.OrgPlans;
import dev.logai.common.plan.PlanLimits;
import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.tenancy.Ids;
import dev.logai.common.tenancy.TenantTransactions;
import dev.logai.common.web.ApiProblem;
import dev.logai.gateway.GatewaySettings;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * Which source a shipper's lines belong to: the one design behind every protocol (README,
 * "Shippers"). In order:
 *
 * <ol>
 *   <li>a source-scoped API key: always its own source, whatever the lines are labelled;
 *   <li>else the protocol's source label — {@code logai.source} when the shipper sets it, then the
 *       protocol's own name for a service (OTLP {@code service.name}, Loki {@code service_name} /
 *       {@code job} / {@code app}, the Elasticsearch index, the HEC {@code source} / {@code
 *       sourcetype}, the syslog app name) — taken as a source id when it looks like one
 *       ({@code src_…}), else as a source name;
 *   <li>else the protocol's default name ({@code otlp}, {@code loki}, …).
 * </ol>
 *
 * <p>A name the org has no source for yet creates that source, within the plan's source quota and
 * under the same lock the query API's {@code POST /v1/sources} takes, so the quota cannot be raced
 * past from two places. Answers are cached for the auth cache's TTL (a deleted source stops
 * accepting lines within it), at most {@value #MAX_CACHED} of them.
 */
@Component
public class SourceRouter {
    private static final int MAX_CACHED = 100_000;
    /** Longest source name (the {@code source.name} column's check). */
    public static final int MAX_NAME_CHARS = 200;
    /** Longest Elasticsearch index name (Elasticsearch's own limit, 255 bytes). */
    public static final int MAX_INDEX_CHARS = 255;
    /** How long a refused label (no room in the plan) is answered from memory. */
    static final java.time.Duration REFUSAL_TTL = java.time.Duration.ofSeconds(5);

    /** A source lines are routed to: its id and its {@code parser_hint} (null: detected). */
    public record Route(String sourceId, String parserHint) {}

    private final TenantTransactions db;
    private final OrgPlans plans;
    /** org + "\0" + label → route. */
    private final Cache<String, Route> known;
    /** org + label → the 403 it got: a shipper that keeps sending it costs no lock or query. */
    private final Cache<String, ApiProblem> refused;

    SourceRouter(TenantTransactions db, OrgPlans plans, GatewaySettings settings) {
        this.db = db;
        this.plans = plans;
        this.known = Caffeine.newBuilder()
                .maximumSize(MAX_CACHED)
                .expireAfterWrite(settings.auth().cacheTtl())
                .build();
        this.refused = Caffeine.newBuilder()
                .maximumSize(10_000)
                .expireAfterWrite(REFUSAL_TTL)
                .build();
    }

    /**
     * The source for lines labelled {@code label} (null or blank: {@code fallbackName}) sent by
     * {@code caller}.
     *
     * @throws ApiProblem 403 when the caller may not ingest, or the org's plan has no room for a new
     *     source (names the plan and its limit); 404 for a source id not in the org; 503 when the
     *     source registry cannot be reached
     */
    public Route route(ApiPrincipal caller, String label, String fallbackName) {
        if (caller.restrictedToSourceId() != null) {
            String scoped = caller.restrictedToSourceId();
            dev.logai.gateway.auth.IngestAccess.require(caller, scoped);
            return lookup(caller.orgId(), scoped, true);
        }
        dev.logai.gateway.auth.IngestAccess.require(caller, "");
        String name = cleanName(label);
        if (name == null) {
            name = fallbackName;
        }
        return lookup(caller.orgId(), name, Ids.looksLikeId(name) && name.startsWith("src_"));
    }

    /**
     * A label as a source name: trimmed, control characters dropped, cut to {@value #MAX_NAME_CHARS}
     * characters; null when nothing is left.
     */
    static String cleanName(String label) {
        if (label == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(label.length(), MAX_NAME_CHARS));
        for (int i = 0; i < label.length() && out.length() < MAX_NAME_CHARS; i++) {
            char ch = label.charAt(i);
            if (!Character.isISOControl(ch)) {
                out.append(ch);
            }
        }
        String name = out.toString().strip();
        return name.isEmpty() ? null : name;
    }

    /**
     * An Elasticsearch index or data stream name as a source name: a trailing date or version
     * ({@code logstash-2026.11.30}, {@code filebeat-8.11.0-2026.11.30}, {@code app-2026-11}) is
     * dropped so that daily indices of one service land in one source.
     */
    static String indexAsSourceName(String index) {
        if (index == null) {
            return null;
        }
        // Elasticsearch refuses index names over 255 bytes; the bulk endpoint refuses them before
        // this, and at most a date and a version are stripped (a bounded number of passes).
        String name = index.strip().toLowerCase(Locale.ROOT);
        if (name.length() > MAX_INDEX_CHARS) {
            name = name.substring(0, MAX_INDEX_CHARS);
        }
        String previous;
        int passes = 0;
        do {
            previous = name;
            name = name.replaceFirst("[-_.]\\d{4}([-_.]\\d{1,2}){0,2}$", "")
                    .replaceFirst("[-_.]v?\\d+\\.\\d+(\\.\\d+)?$", "")
                    .replaceFirst("[-_.]\\d{6,}$", "");
        } while (!name.equals(previous) && !name.isEmpty() && ++passes < 3);
        return name.isEmpty() ? index.strip() : name;
    }

    private Route lookup(String orgId, String nameOrId, boolean byId) {
        String cacheKey = orgId + "\0" + (byId ? "id:" : "name:") + nameOrId;
        Route cached = known.getIfPresent(cacheKey);
        if (cached != null) {
            return cached;
        }
        ApiProblem refusal = refused.getIfPresent(cacheKey);
        if (refusal != null) {
            throw refusal;
        }
        Object found;
        try {
            found = db.inOrg(orgId, c -> byId ? findById(c, nameOrId) : findOrCreate(c, orgId, nameOrId));
        } catch (SQLException e) {
            throw ApiProblem.unavailable(
                    "Source lookup unavailable",
                    "The source registry cannot be reached right now; nothing was accepted. Retry shortly.",
                    5);
        }
        if (found instanceof ApiProblem problem) {
            if (problem.status() == 403) {
                refused.put(cacheKey, problem);
            }
            throw problem;
        }
        Route route = (Route) found;
        known.put(cacheKey, route);
        return route;
    }

    private static Object findById(java.sql.Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id, parser_hint from source where id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return new Route(rs.getString(1), rs.getString(2));
                }
            }
        }
        return ApiProblem.notFound(
                "Unknown source",
                "Source '" + id + "' does not exist in your org. Label the lines with a source name (a new name"
                        + " creates the source) or an id from GET /v1/sources.");
    }

    private Object findOrCreate(java.sql.Connection c, String orgId, String name) throws SQLException {
        Route existing = byName(c, name);
        if (existing != null) {
            return existing;
        }
        // The query API's create takes the same lock: one org's creates are serialised, so the
        // plan's source count cannot be raced past.
        try (PreparedStatement ps = c.prepareStatement("select pg_advisory_xact_lock(hashtext('source:' || ?))")) {
            ps.setString(1, orgId);
            ps.executeQuery().close();
        }
        existing = byName(c, name);
        if (existing != null) {
            return existing;
        }
        PlanLimits limits = OrgPlans.read(c, orgId, plans.catalog());
        if (limits == null) {
            return ApiProblem.unauthorized("This API key's org no longer exists.");
        }
        try (PreparedStatement ps = c.prepareStatement("select count(*) from source");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (rs.getLong(1) >= limits.maxSources()) {
                return new ApiProblem(
                                403,
                                "Source quota reached",
                                "Lines labelled '" + name + "' would create a new source, but the " + limits.plan()
                                        + " plan allows " + limits.maxSources() + " sources and your org has them."
                                        + " Nothing labelled so was accepted: label the lines with an existing"
                                        + " source (GET /v1/sources), delete a source, or upgrade the plan.")
                        .property("limit", "max_sources")
                        .property("plan", limits.plan())
                        .property("max_sources", limits.maxSources());
            }
        }
        String id = Ids.newId("src");
        try (PreparedStatement ps =
                c.prepareStatement("insert into source (id, org_id, name, env) values (?, ?, ?, 'production')")) {
            ps.setString(1, id);
            ps.setString(2, orgId);
            ps.setString(3, name);
            ps.executeUpdate();
        }
        return new Route(id, null);
    }

    private static Route byName(java.sql.Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id, parser_hint from source where name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Route(rs.getString(1), rs.getString(2)) : null;
            }
        }
    }
}
