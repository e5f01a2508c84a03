package dev.logai.query.org;

import dev.logai.query.OrgJdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Repository;

/** The caller's org row: read it, change its plan, delete it (every table cascades from it). */
@Repository
class OrgRepository {
    private final OrgJdbc db;

    OrgRepository(OrgJdbc db) {
        this.db = db;
    }

    /** The org's id, name, plan and dates. */
    record Org(String id, String name, String plan, Instant createdAt, Instant planChangedAt) {}

    Optional<Org> find(String orgId) {
        return db.inOrg(
                orgId,
                jdbc -> jdbc.sql("select id, name, plan, created_at, plan_changed_at from org where id = :org")
                        .param("org", orgId)
                        .query((rs, n) -> new Org(
                                rs.getString("id"),
                                rs.getString("name"),
                                rs.getString("plan"),
                                rs.getTimestamp("created_at").toInstant(),
                                rs.getTimestamp("plan_changed_at") == null
                                        ? null
                                        : rs.getTimestamp("plan_changed_at").toInstant()))
                        .optional());
    }

    /**
     * Sets the plan unless the org has more sources than {@code maxSources}, under the lock source
     * creation takes, so a source created at the same moment cannot slip past a downgrade.
     *
     * @return the org's source count when refused, else -1
     */
    long setPlanIfSourcesFit(String orgId, String plan, int maxSources, Instant at) {
        return db.inOrg(orgId, jdbc -> {
            jdbc.sql("select pg_advisory_xact_lock(hashtext('source:' || :org))")
                    .param("org", orgId)
                    .query()
                    .listOfRows();
            long sources =
                    jdbc.sql("select count(*) from source").query(Long.class).single();
            if (sources > maxSources) {
                return sources;
            }
            jdbc.sql("update org set plan = :plan, plan_changed_at = :at where id = :org")
                    .param("plan", plan)
                    .param("at", java.sql.Timestamp.from(at))
                    .param("org", orgId)
                    .update();
            return -1L;
        });
    }

    /** Tables holding an org's rows, for the deletion's receipt: every table with an {@code org_id} column. */
    static final String TENANT_TABLES = "select c.table_name from information_schema.columns c"
            + " join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name"
            + " where c.table_schema = current_schema() and c.column_name = 'org_id' and t.table_type = 'BASE TABLE'"
            + " and c.table_name <> 'org_tombstone' order by c.table_name";

    /**
     * Deletes the org row — the foreign keys cascade to every table — and leaves the tombstone that
     * lets retention runs sweep its archive prefix again.
     *
     * @return rows deleted per table (the org row included), or empty when {@code confirmName} is not
     *     the org's name
     */
    Optional<Map<String, Long>> delete(String orgId, String confirmName, Instant at) {
        return db.inOrgConnection(orgId, (jdbc, c) -> {
            String name = jdbc.sql("select name from org where id = :org for update")
                    .param("org", orgId)
                    .query(String.class)
                    .optional()
                    .orElse(null);
            if (name == null || !name.equals(confirmName)) {
                return Optional.empty();
            }
            Map<String, Long> rows = new LinkedHashMap<>();
            List<String> tables = jdbc.sql(TENANT_TABLES).query(String.class).list();
            for (String table : tables) {
                try (PreparedStatement ps = c.prepareStatement("select count(*) from " + table + " where org_id = ?")) {
                    ps.setString(1, orgId);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) > 0) {
                            rows.put(table, rs.getLong(1));
                        }
                    }
                }
            }
            jdbc.sql("insert into org_tombstone (org_id, deleted_at) values (:org, :at) on conflict do nothing")
                    .param("org", orgId)
                    .param("at", java.sql.Timestamp.from(at))
                    .update();
            int deleted = jdbc.sql("delete from org where id = :org")
                    .param("org", orgId)
                    .update();
            rows.put("org", (long) deleted);
            return Optional.of(rows);
        });
    }

    /** Records how many objects the deletion removed from the org's prefix. */
    void recordSweep(String orgId, long objects, Instant at) {
        db.inOrg(
                orgId,
                jdbc -> jdbc.sql("update org_tombstone set objects_deleted = objects_deleted + :n,"
                                + " last_swept_at = :at where org_id = :org")
                        .param("n", objects)
                        .param("at", java.sql.Timestamp.from(at))
                        .param("org", orgId)
                        .update());
    }
}
