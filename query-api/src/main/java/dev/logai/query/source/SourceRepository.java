package dev.logai.query.source;

import dev.logai.common.plan.Plans;
import dev.logai.common.tenancy.Ids;
import dev.logai.common.tenancy.TenantTransactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Repository;

/** Sources of one org. Every query runs in an org-scoped transaction; RLS hides other orgs' rows. */
@Repository
class SourceRepository {
    private final TenantTransactions db;

    SourceRepository(TenantTransactions db) {
        this.db = db;
    }

    List<Source> list(String orgId) throws SQLException {
        return db.inOrg(orgId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select id, name, env, parser_hint, created_at from source order by created_at, id")) {
                return read(ps);
            }
        });
    }

    Optional<Source> find(String orgId, String sourceId) throws SQLException {
        return db.inOrg(orgId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select id, name, env, parser_hint, created_at from source where id = ?")) {
                ps.setString(1, sourceId);
                return read(ps).stream().findFirst();
            }
        });
    }

    /** Outcome of a create: the row, or why the org may not have it. */
    sealed interface CreateResult {
        record Created(Source source) implements CreateResult {}

        record NameTaken() implements CreateResult {}

        record OverPlanLimit(String plan, int limit) implements CreateResult {}
    }

    CreateResult create(String orgId, String name, String env, String parserHint) throws SQLException {
        return db.inOrg(orgId, c -> {
            // Serialises concurrent creates of one org so the plan limit cannot be raced past; an
            // advisory lock because the application role may read the org row but not lock it.
            try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(hashtext('source:' || ?))")) {
                lock.setString(1, orgId);
                lock.execute();
            }
            try (PreparedStatement planQuery = c.prepareStatement("select plan from org where id = ?")) {
                planQuery.setString(1, orgId);
                try (ResultSet rs = planQuery.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("org " + orgId + " not visible");
                    }
                    String plan = rs.getString(1);
                    int limit = Plans.maxSources(plan);
                    if (count(c) >= limit) {
                        return new CreateResult.OverPlanLimit(plan, limit);
                    }
                }
            }
            try (PreparedStatement exists = c.prepareStatement("select 1 from source where name = ?")) {
                exists.setString(1, name);
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return new CreateResult.NameTaken();
                    }
                }
            }
            String id = Ids.newId("src");
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into source (id, org_id, name, env, parser_hint) values (?, ?, ?, ?, ?)"
                            + " returning id, name, env, parser_hint, created_at")) {
                ps.setString(1, id);
                ps.setString(2, orgId);
                ps.setString(3, name);
                ps.setString(4, env);
                ps.setString(5, parserHint);
                return new CreateResult.Created(read(ps).get(0));
            }
        });
    }

    private static int count(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from source");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static List<Source> read(PreparedStatement ps) throws SQLException {
        List<Source> sources = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                sources.add(new Source(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant()));
            }
        }
        return sources;
    }
}
