package dev.logai.query;

import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.tenancy.TenantTransactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * What every {@code GET /v1/<things>?source_id&since&until&limit} endpoint does before and after its
 * own query: the caller needs the read scope, the range and limit are validated, a malformed or
 * foreign {@code source_id} is a 404, and the query runs in the caller's org (row-level security).
 * The answer is {@code {"items": [...], "limit": n}}.
 */
@Component
public class SourceScopedList {
    private final Callers callers;
    private final TenantTransactions db;
    private final QuerySettings settings;

    public SourceScopedList(Callers callers, TenantTransactions db, QuerySettings settings) {
        this.callers = callers;
        this.db = db;
        this.settings = settings;
    }

    /** The validated request, as the endpoint's query sees it. */
    public record Request(String sourceId, TimeRange range, int limit) {}

    @FunctionalInterface
    public interface Query<T> {
        List<T> run(Connection c, Request request) throws SQLException;
    }

    public <T> Map<String, Object> list(String authorization, String sourceId, String since, String until, Integer limit,
            Query<T> query) throws SQLException {
        ApiPrincipal caller = callers.require(authorization, "read");
        TimeRange range = TimeRange.parse(since, until);
        int max = TimeRange.limit(limit, settings);
        SourceChecks.requireWellFormed(sourceId);
        List<T> rows = db.inOrg(caller.orgId(), c -> {
            if (sourceId != null && !SourceChecks.exists(c, sourceId)) {
                return null;
            }
            return query.run(c, new Request(sourceId, range, max));
        });
        if (rows == null) {
            throw SourceChecks.unknown(sourceId);
        }
        return Map.of("items", rows, "limit", max);
    }

    /**
     * A WHERE clause of optional conditions, each with one bound value: a condition whose value is
     * null (a filter not given) is left out. Values are always bound, never concatenated.
     */
    public static final class Filters {
        private final StringBuilder where = new StringBuilder(" where true");
        private final List<Object> args = new ArrayList<>();

        /** {@code condition} holds one {@code ?}. */
        public Filters and(String condition, Object value) {
            if (value != null) {
                where.append(" and ").append(condition);
                args.add(value instanceof Instant i ? Timestamp.from(i) : value);
            }
            return this;
        }

        public String sql() {
            return where.toString();
        }

        public List<Object> args() {
            return args;
        }

        /** Binds the values from parameter 1 on; returns the next free parameter index. */
        public int bind(PreparedStatement ps) throws SQLException {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            return args.size() + 1;
        }
    }

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Runs {@code select + filters + orderAndLimit} (ending in {@code limit ?}) and maps every row. */
    public static <T> List<T> query(Connection c, String select, Filters filters, String orderAndLimit, int limit,
            RowMapper<T> mapper) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(select + filters.sql() + " " + orderAndLimit)) {
            ps.setInt(filters.bind(ps), limit);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
            }
            return out;
        }
    }
}
