package dev.logai.query.source;

import dev.logai.common.tenancy.Ids;
import dev.logai.query.OrgJdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Repository;

/** Sources of one org. Every call is one org-scoped transaction; row-level security hides other orgs' rows. */
@Repository
class SourceRepository {
    private static final String COLUMNS = "id, name, env, parser_hint, created_at";

    private final OrgJdbc db;

    private final dev.logai.common.plan.PlanCatalog catalog;

    SourceRepository(OrgJdbc db, dev.logai.common.plan.PlanCatalog catalog) {
        this.db = db;
        this.catalog = catalog;
    }

    /** The org's sources, oldest first. */
    List<Source> list(String orgId) {
        return db.inOrg(
                orgId,
                jdbc -> jdbc.sql("select " + COLUMNS + " from source order by created_at, id")
                        .query(SourceRepository::source)
                        .list());
    }

    /** The source, or empty when the org has no such source (another org's included). */
    Optional<Source> find(String orgId, String sourceId) {
        return db.inOrg(
                orgId,
                jdbc -> jdbc.sql("select " + COLUMNS + " from source where id = :id")
                        .param("id", sourceId)
                        .query(SourceRepository::source)
                        .optional());
    }

    /** The source with its counted and late lines over its stored windows, or empty (another org's included). */
    Optional<SourceDetail> detail(String orgId, String sourceId) {
        return db.inOrg(
                orgId,
                jdbc -> jdbc.sql("select s.id, s.name, s.env, s.parser_hint, s.created_at,"
                                + " coalesce(sum(w.line_count), 0) as line_count,"
                                + " coalesce(sum(w.late_lines), 0) as late_lines,"
                                + " min(w.window_start) filter (where w.line_count > 0) as first_window_start,"
                                + " max(w.last_ts) filter (where w.line_count > 0) as last_line_at"
                                + " from source s left join window_stats w on w.org_id = s.org_id and w.source_id = s.id"
                                + " where s.id = :id group by s.id, s.name, s.env, s.parser_hint, s.created_at")
                        .param("id", sourceId)
                        .query((rs, n) -> new SourceDetail(
                                rs.getString("id"),
                                rs.getString("name"),
                                rs.getString("env"),
                                rs.getString("parser_hint"),
                                rs.getTimestamp("created_at").toInstant(),
                                rs.getLong("line_count"),
                                rs.getLong("late_lines"),
                                instant(rs.getTimestamp("first_window_start")),
                                instant(rs.getTimestamp("last_line_at"))))
                        .optional());
    }

    private static java.time.Instant instant(java.sql.Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    /** Outcome of a create: the row, or why the org may not have it. */
    sealed interface CreateResult {
        record Created(Source source) implements CreateResult {}

        record NameTaken() implements CreateResult {}

        /** The org's plan allows {@code limit} sources and it has them. */
        record OverPlanLimit(String plan, int limit) implements CreateResult {}
    }

    /**
     * Creates a source unless the org's plan quota ({@code max_sources}, with its overrides) is used up or the
     * name is taken.
     *
     * @param parserHint null: the pipeline detects the format
     */
    CreateResult create(String orgId, String name, String env, String parserHint) {
        return db.inOrgConnection(orgId, (jdbc, c) -> {
            // Serialises concurrent creates of one org so the plan limit cannot be raced past; an
            // advisory lock because the application role may read the org row but not lock it.
            jdbc.sql("select pg_advisory_xact_lock(hashtext('source:' || :org))")
                    .param("org", orgId)
                    .query()
                    .listOfRows();
            dev.logai.common.plan.PlanLimits limits = dev.logai.common.plan.OrgPlans.read(c, orgId, catalog);
            if (limits == null) {
                throw new IllegalStateException("org " + orgId + " not visible");
            }
            int limit = limits.maxSources();
            if (jdbc.sql("select count(*) from source").query(Integer.class).single() >= limit) {
                return new CreateResult.OverPlanLimit(limits.plan(), limit);
            }
            if (!jdbc.sql("select 1 from source where name = :name")
                    .param("name", name)
                    .query()
                    .listOfRows()
                    .isEmpty()) {
                return new CreateResult.NameTaken();
            }
            return new CreateResult.Created(jdbc.sql("insert into source (id, org_id, name, env, parser_hint)"
                            + " values (:id, :org, :name, :env, :hint) returning " + COLUMNS)
                    .param("id", Ids.newId("src"))
                    .param("org", orgId)
                    .param("name", name)
                    .param("env", env)
                    .param("hint", parserHint, java.sql.Types.VARCHAR)
                    .query(SourceRepository::source)
                    .single());
        });
    }

    private static Source source(ResultSet rs, int row) throws SQLException {
        return new Source(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("env"),
                rs.getString("parser_hint"),
                rs.getTimestamp("created_at").toInstant());
    }

    /** Deletes the org's source {@code id} (its rows cascade); false when the org has none such. */
    boolean delete(String orgId, String id) {
        return db.inOrg(
                orgId,
                jdbc -> jdbc.sql("delete from source where id = :id")
                                .param("id", id)
                                .update()
                        > 0);
    }
}
