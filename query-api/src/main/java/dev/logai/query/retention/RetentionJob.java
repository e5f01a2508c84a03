package dev.logai.query.retention;

import dev.logai.common.plan.PlanCatalog;
import dev.logai.common.plan.PlanLimits;
import dev.logai.common.tenancy.TenantTransactions;
import dev.logai.common.web.RateLimits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes what is older than each org's plan retention (free 7 days, starter 30, team 90; seed spec
 * §7): window, pattern-window, pattern, anomaly, summary, alert-event, alert-notification, LLM
 * cache and upload rows (chunks go with their upload) from Postgres, and the org's raw archive
 * objects and uploaded files from the object store. Age is when LogAi wrote the row or object
 * ({@code updated_at}/{@code created_at}, the object's last-modified time), not the log lines' own
 * timestamps, so a backfill of old logs is kept for the whole period.
 *
 * <p>Safe to run twice and on several replicas: a Postgres advisory lock lets one run at a time,
 * and every step is "delete what is older than the cutoff", which a second run finds nothing left
 * for. Rows go in batches of {@code batch-rows}, one org-scoped transaction each, so a large
 * backlog never holds long locks. Each run is recorded in {@code retention_run} with its counts.
 * Also: billing dedup records older than 24 h, idle rate-limit buckets, and the archive prefixes of
 * deleted orgs ({@code org_tombstone}, swept again for 7 days, then forgotten).
 */
@Component
public class RetentionJob {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);
    /** Arbitrary, fixed: the advisory lock key of "a retention run is in progress". */
    static final long LOCK_KEY = 0x4c6f6741_52657431L;

    /** Tables with their age column; children before parents only where no cascade covers them. */
    static final List<String[]> TABLES = List.of(
            new String[] {"pattern_window", "updated_at"},
            new String[] {"window_stats", "updated_at"},
            new String[] {"anomaly", "updated_at"},
            new String[] {"summary", "updated_at"},
            new String[] {"alert_notification", "created_at"},
            new String[] {"alert_event", "updated_at"},
            new String[] {"llm_cache", "created_at"},
            new String[] {"upload", "created_at"},
            new String[] {"pattern", "updated_at"});

    /** What one run did. */
    public record Run(
            Instant startedAt,
            Instant finishedAt,
            int orgs,
            Map<String, Long> rowsByTable,
            long rowsDeleted,
            long objectsDeleted,
            boolean ran) {

        /** Rows deleted per second of the run. */
        public double rowsPerSecond() {
            double s = Math.max(1e-3, Duration.between(startedAt, finishedAt).toNanos() / 1e9);
            return rowsDeleted / s;
        }

        /** Objects deleted per second of the run. */
        public double objectsPerSecond() {
            double s = Math.max(1e-3, Duration.between(startedAt, finishedAt).toNanos() / 1e9);
            return objectsDeleted / s;
        }
    }

    private final DataSource dataSource;
    private final TenantTransactions db;
    private final PlanCatalog catalog;
    private final ArchiveObjects archive;
    private final RateLimits rateLimits;
    private final Clock clock;
    private final boolean enabled;
    private final int batchRows;
    private final Duration tombstoneFor;

    RetentionJob(
            DataSource dataSource,
            TenantTransactions db,
            PlanCatalog catalog,
            ArchiveObjects archive,
            RateLimits rateLimits,
            Clock clock,
            @Value("${logai.retention.enabled:true}") boolean enabled,
            @Value("${logai.retention.batch-rows:5000}") int batchRows,
            @Value("${logai.retention.tombstone-days:7}") int tombstoneDays) {
        this.dataSource = dataSource;
        this.db = db;
        this.catalog = catalog;
        this.archive = archive;
        this.rateLimits = rateLimits;
        this.clock = clock;
        this.enabled = enabled;
        this.batchRows = Math.max(1, batchRows);
        this.tombstoneFor = Duration.ofDays(tombstoneDays);
    }

    @Scheduled(
            fixedDelayString = "${logai.retention.interval:1h}",
            initialDelayString = "${logai.retention.initial-delay:2m}")
    void scheduled() {
        if (!enabled) {
            return;
        }
        try {
            Run run = runOnce();
            if (run.ran()) {
                LOG.info(
                        "Retention run: {} orgs, {} rows ({}/s), {} objects ({}/s)",
                        run.orgs(),
                        run.rowsDeleted(),
                        Math.round(run.rowsPerSecond()),
                        run.objectsDeleted(),
                        Math.round(run.objectsPerSecond()));
            }
        } catch (Exception e) {
            LOG.warn("Retention run failed; the next run continues where it stopped: {}", e.toString());
        }
    }

    /**
     * One retention run now, unless another replica is running one ({@code ran} false then).
     *
     * @throws SQLException when Postgres fails (what was deleted before stays deleted)
     */
    public Run runOnce() throws SQLException {
        Instant started = clock.instant();
        try (Connection lock = dataSource.getConnection()) {
            if (!tryLock(lock)) {
                return new Run(started, started, 0, Map.of(), 0, 0, false);
            }
            try {
                return runLocked(lock, started);
            } finally {
                try (PreparedStatement ps = lock.prepareStatement("select pg_advisory_unlock(?)")) {
                    ps.setLong(1, LOCK_KEY);
                    ps.execute();
                }
            }
        }
    }

    private Run runLocked(Connection c, Instant started) throws SQLException {
        long runId = startRecord(c, started);
        Map<String, Long> rows = new LinkedHashMap<>();
        long objects = 0;
        int orgs = 0;
        String error = null;
        try {
            List<String> failed = new ArrayList<>();
            for (OrgPlan org : orgPlans(c)) {
                orgs++;
                try {
                    objects += retainOrg(org, rows);
                } catch (RuntimeException | SQLException e) {
                    // one org's failure (its objects unreachable, say) must not keep the others' data
                    LOG.warn("Retention of org {} failed; the next run retries it: {}", org.id(), e.toString());
                    failed.add(org.id() + ": " + e.getMessage());
                }
            }
            objects += sweepTombstones(c);
            while (rateLimits.removeExpired(10_000) == 10_000) {
                // idle buckets, 10,000 a statement
            }
            if (!failed.isEmpty()) {
                error = failed.size() + " org(s) failed, e.g. " + failed.get(0);
            }
        } catch (RuntimeException | SQLException e) {
            error = e.toString();
            throw e;
        } finally {
            long total = rows.values().stream().mapToLong(Long::longValue).sum();
            finishRecord(c, runId, clock.instant(), orgs, total, objects, error);
        }
        long total = rows.values().stream().mapToLong(Long::longValue).sum();
        return new Run(started, clock.instant(), orgs, rows, total, objects, true);
    }

    /** One org's rows and objects past its plan's retention; returns the objects deleted. */
    private long retainOrg(OrgPlan org, Map<String, Long> rows) throws SQLException {
        PlanLimits limits = catalog.limits(org.plan(), org.overrides());
        Instant cutoff = clock.instant().minus(Duration.ofDays(limits.retentionDays()));
        for (String[] table : TABLES) {
            rows.merge(table[0], deleteOlder(org.id(), table[0], table[1], cutoff), Long::sum);
        }
        rows.merge(
                "ingest_charge",
                deleteOlder(
                        org.id(), "ingest_charge", "charged_at", clock.instant().minus(Duration.ofHours(24))),
                Long::sum);
        return archive.deleteUnder(org.id() + "/", cutoff);
    }

    /** Deletes an org's rows of {@code table} older than {@code cutoff}, batch by batch; returns how many. */
    long deleteOlder(String orgId, String table, String column, Instant cutoff) throws SQLException {
        String sql = "delete from " + table + " where ctid in (select ctid from " + table + " where org_id = ? and "
                + column + " < ? limit ?)";
        long total = 0;
        while (true) {
            int n = db.inOrg(orgId, c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, orgId);
                    ps.setTimestamp(2, Timestamp.from(cutoff));
                    ps.setInt(3, batchRows);
                    return ps.executeUpdate();
                }
            });
            total += n;
            if (n < batchRows) {
                return total;
            }
        }
    }

    /** Deleted orgs' prefixes swept again (late archive parts); tombstones past the period forgotten. */
    private long sweepTombstones(Connection c) throws SQLException {
        List<String> orgIds = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select org_id from org_tombstone order by deleted_at");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                orgIds.add(rs.getString(1));
            }
        }
        long objects = 0;
        for (String orgId : orgIds) {
            long n = archive.deleteUnder(orgId + "/", null);
            objects += n;
            try (PreparedStatement ps = c.prepareStatement("update org_tombstone set objects_deleted ="
                    + " objects_deleted + ?, last_swept_at = ? where org_id = ?")) {
                ps.setLong(1, n);
                ps.setTimestamp(2, Timestamp.from(clock.instant()));
                ps.setString(3, orgId);
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("delete from org_tombstone where deleted_at < ?")) {
            ps.setTimestamp(1, Timestamp.from(clock.instant().minus(tombstoneFor)));
            ps.executeUpdate();
        }
        return objects;
    }

    private record OrgPlan(String id, String plan, Map<String, String> overrides) {}

    private static List<OrgPlan> orgPlans(Connection c) throws SQLException {
        List<OrgPlan> out = new ArrayList<>();
        try (PreparedStatement ps =
                        c.prepareStatement("select p.org_id, p.plan, e.key, e.value from logai_org_plans() p"
                                + " left join lateral jsonb_each_text(p.limit_overrides) e on true order by p.org_id");
                ResultSet rs = ps.executeQuery()) {
            OrgPlan current = null;
            while (rs.next()) {
                if (current == null || !current.id().equals(rs.getString(1))) {
                    current = new OrgPlan(rs.getString(1), rs.getString(2), new LinkedHashMap<>());
                    out.add(current);
                }
                if (rs.getString(3) != null) {
                    current.overrides().put(rs.getString(3), rs.getString(4));
                }
            }
        }
        return out;
    }

    private static boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_lock(?)")) {
            ps.setLong(1, LOCK_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static long startRecord(Connection c, Instant started) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("insert into retention_run (started_at) values (?) returning id")) {
            ps.setTimestamp(1, Timestamp.from(started));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void finishRecord(
            Connection c, long id, Instant finished, int orgs, long rows, long objects, String error)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update retention_run set finished_at = ?, orgs = ?,"
                + " rows_deleted = ?, objects_deleted = ?, error = ? where id = ?")) {
            ps.setTimestamp(1, Timestamp.from(finished));
            ps.setInt(2, orgs);
            ps.setLong(3, rows);
            ps.setLong(4, objects);
            ps.setString(5, error == null ? null : error.substring(0, Math.min(1000, error.length())));
            ps.setLong(6, id);
            ps.executeUpdate();
        }
    }
}
