package dev.logai.gateway.plan;

import dev.logai.common.plan.OrgPlans;
import dev.logai.common.plan.PlanCatalog;
import dev.logai.common.plan.PlanLimits;
import dev.logai.common.tenancy.TenantTransactions;
import dev.logai.common.web.ApiProblem;
import dev.logai.common.web.RateLimits;
import io.github.bucket4j.ConsumptionProbe;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Metering and the plan's hard stops for every ingest path (streams, uploads, and the protocols to
 * come): the org's ingest rate (a shared token bucket of the plan's bytes/s and burst) and its
 * monthly byte quota, checked and charged in one transaction.
 *
 * <p>What counts: {@code bytes} are log bytes as LogAi stores them — a streamed body after
 * decompression, an uploaded file as stored — and the quota is on those; {@code bytes_received}
 * (on the wire) and lines are recorded beside them. A request repeated with the same {@code
 * Idempotency-Key} for the same source within 24 h is charged once ({@code ingest_charge}). Months
 * and days are UTC.
 *
 * <p>The charge is one statement on the org's {@code usage_month} row ({@code insert … on conflict
 * do update … where used + batch <= quota}), so concurrent batches on any number of gateways cannot
 * pass the quota together; a batch that would pass it is refused whole, the one before it is
 * accepted. Crossing 80% and 100% records a warning once per month ({@code usage_warning}).
 */
@Component
public class UsageMeter {
    private static final Logger LOG = LoggerFactory.getLogger(UsageMeter.class);
    /** How long a used Idempotency-Key keeps a retried batch from being charged again. */
    static final Duration DEDUP_WINDOW = Duration.ofHours(24);

    private final TenantTransactions db;
    private final PlanCatalog catalog;
    private final RateLimits rateLimits;
    private final Clock clock;
    /** Orgs this replica saw over their quota, for 2 s: their floods are refused without a database trip. */
    private final com.github.benmanes.caffeine.cache.Cache<String, Quota> overQuota =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
                    .maximumSize(100_000)
                    .expireAfterWrite(Duration.ofSeconds(2))
                    .build();

    UsageMeter(TenantTransactions db, PlanCatalog catalog, RateLimits rateLimits, Clock clock) {
        this.db = db;
        this.catalog = catalog;
        this.rateLimits = rateLimits;
        this.clock = clock;
    }

    /**
     * What a charge did: the org's plan and month after it.
     *
     * @param billed false when the same Idempotency-Key was charged within 24 h (nothing added)
     * @param usedBytes the month's bytes after this charge
     */
    public record Charge(
            String orgId,
            String sourceId,
            String idempotencyKey,
            LocalDate day,
            LocalDate month,
            long bytes,
            long wireBytes,
            long lines,
            int uploads,
            boolean billed,
            PlanLimits plan,
            long usedBytes,
            Instant resetsAt) {

        /** Bytes left this month. */
        public long remainingBytes() {
            return Math.max(0, plan.bytesPerMonth() - usedBytes);
        }

        /** The quota headers every ingest answer carries. */
        public Map<String, String> headers() {
            return quotaHeaders(plan, usedBytes, resetsAt);
        }
    }

    /** The month's use of an org, for a check before anything is charged (upload-url). */
    public record Quota(PlanLimits plan, long usedBytes, Instant resetsAt) {
        public long remainingBytes() {
            return Math.max(0, plan.bytesPerMonth() - usedBytes);
        }
    }

    /** {@code LogAi-Quota-Limit/-Used/-Remaining} (bytes) and {@code LogAi-Quota-Reset} (ISO-8601 instant). */
    public static Map<String, String> quotaHeaders(PlanLimits plan, long used, Instant resetsAt) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("LogAi-Quota-Limit", String.valueOf(plan.bytesPerMonth()));
        h.put("LogAi-Quota-Used", String.valueOf(used));
        h.put("LogAi-Quota-Remaining", String.valueOf(Math.max(0, plan.bytesPerMonth() - used)));
        h.put("LogAi-Quota-Reset", resetsAt.toString());
        return h;
    }

    /**
     * Takes {@code bytes} from the org's ingest-rate bucket (plan's {@code ingest_bytes_per_second},
     * burst {@code ingest_burst_bytes}).
     *
     * @throws ApiProblem 429 with Retry-After when the org sends faster than its plan allows, 413 when
     *     one batch is larger than the whole burst (it could never pass), 401 when the org is gone
     */
    public void takeIngestRate(String orgId, OrgPlans plans, long bytes) {
        PlanLimits plan;
        try {
            plan = plans.limits(orgId).orElseThrow(UsageMeter::orgGone);
        } catch (SQLException e) {
            throw unavailable(e);
        }
        if (bytes <= 0) {
            return;
        }
        if (bytes > plan.ingestBurstBytes()) {
            throw new ApiProblem(
                            413,
                            "Batch larger than your ingest burst",
                            "This batch has " + bytes + " bytes of logs, more than the " + plan.ingestBurstBytes()
                                    + " bytes your '" + plan.plan() + "' plan accepts at once. Nothing was"
                                    + " accepted; split it into smaller requests.")
                    .property("limit", "ingest_burst_bytes")
                    .property("limit_value", plan.ingestBurstBytes())
                    .property("plan", plan.plan());
        }
        ConsumptionProbe probe;
        try {
            // Bucket4j refills at most one token per nanosecond: rates past 1 GB/s (an override)
            // are counted in KiB, rounded up, so a large plan cannot break the check.
            long unit = plan.ingestBytesPerSecond() > 1_000_000_000L ? 1024 : 1;
            probe = rateLimits.tryConsume(
                    "ingest|" + orgId,
                    (bytes + unit - 1) / unit,
                    Math.max(1, plan.ingestBurstBytes() / unit),
                    Math.max(1, plan.ingestBytesPerSecond() / unit),
                    Duration.ofSeconds(1));
        } catch (RuntimeException e) {
            LOG.warn("Ingest rate state unreachable: {}", e.toString());
            throw ApiProblem.unavailable(
                    "Ingest temporarily unavailable",
                    "LogAi cannot check your ingest rate right now; nothing was accepted. Retry shortly.",
                    5);
        }
        if (!probe.isConsumed()) {
            int retryAfter = (int) Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
            throw new ApiProblem(
                            429,
                            "Ingest rate exceeded",
                            "Your org is sending faster than the " + plan.ingestBytesPerSecond() + " bytes/s (burst "
                                    + plan.ingestBurstBytes() + " bytes) of its '" + plan.plan() + "' plan."
                                    + " Nothing from this request was accepted: send it again after "
                                    + retryAfter + " s, and slow down or batch less often. "
                                    + catalog.upgradeHint(plan.plan()))
                    .retryAfterSeconds(retryAfter)
                    .property("limit", "ingest_bytes_per_second")
                    .property("limit_value", plan.ingestBytesPerSecond())
                    .property("burst_bytes", plan.ingestBurstBytes())
                    .property("plan", plan.plan())
                    .property("retry_after_seconds", retryAfter);
        }
    }

    /**
     * Charges a batch or an upload against the org's month, in one transaction with the quota check.
     *
     * @param idempotencyKey the request's key (null: always charged)
     * @param bytes log bytes as stored (counted against the quota)
     * @param wireBytes bytes received
     * @param lines lines accepted
     * @param uploads 1 for an upload's registration, else 0
     * @throws ApiProblem 429 (quota) with Retry-After until the month ends, 401 when the org is gone,
     *     503 when Postgres is unreachable
     */
    public Charge charge(
            String orgId, String sourceId, String idempotencyKey, long bytes, long wireBytes, long lines, int uploads) {
        Instant now = clock.instant();
        refuseIfKnownOverQuota(orgId, bytes, now);
        Object result;
        try {
            result = db.inOrg(orgId, c -> {
                Object charged = chargeOn(c, orgId, sourceId, idempotencyKey, bytes, wireBytes, lines, uploads, now);
                if (charged instanceof Quota over) {
                    // undo the key's record; the org scope is per transaction, so set it again
                    c.rollback();
                    dev.logai.common.tenancy.OrgScope.enter(c, orgId);
                    if (over.usedBytes() >= over.plan().bytesPerMonth() * 0.8) {
                        recordWarning(
                                c,
                                orgId,
                                monthOf(now),
                                100,
                                over.usedBytes(),
                                over.plan().bytesPerMonth(),
                                now);
                    }
                    c.commit();
                }
                return charged;
            });
        } catch (SQLException e) {
            throw unavailable(e);
        }
        if (result == null) {
            throw orgGone();
        }
        if (result instanceof Quota over) {
            overQuota.put(orgId, over);
            throw quotaExceeded(over, bytes, now);
        }
        return (Charge) result;
    }

    /**
     * Like {@link #charge} without an idempotency key, inside the caller's transaction ({@code c}, in
     * the org's scope), so the charge commits or rolls back with the caller's own work (an upload's
     * registration).
     *
     * @throws ApiProblem 429 when the month's quota cannot take {@code bytes} (the caller's
     *     transaction should roll back), 401 when the org is gone
     */
    public Charge chargeIn(
            Connection c, String orgId, String sourceId, long bytes, long wireBytes, long lines, int uploads)
            throws SQLException {
        Instant now = clock.instant();
        refuseIfKnownOverQuota(orgId, bytes, now);
        Object charged = chargeOn(c, orgId, sourceId, null, bytes, wireBytes, lines, uploads, now);
        if (charged == null) {
            throw orgGone();
        }
        if (charged instanceof Quota over) {
            throw quotaExceeded(over, bytes, now);
        }
        return (Charge) charged;
    }

    /** The meter's clock (an injected one in tests). */
    public Instant now() {
        return clock.instant();
    }

    /**
     * A batch that cannot fit what this replica saw refused a moment ago is refused again without a
     * database round trip (use only grows within a month; a plan change applies within 2 s), so a
     * tenant flooding past its quota costs the database nothing.
     */
    private void refuseIfKnownOverQuota(String orgId, long bytes, Instant now) {
        Quota known = overQuota.getIfPresent(orgId);
        if (known != null && now.isBefore(known.resetsAt()) && bytes > known.remainingBytes()) {
            throw quotaExceeded(known, bytes, now);
        }
    }

    /** The charge on {@code c} (org scope): a {@link Charge}, a {@link Quota} when over it, or null when the org is gone. */
    private Object chargeOn(
            Connection c,
            String orgId,
            String sourceId,
            String idempotencyKey,
            long bytes,
            long wireBytes,
            long lines,
            int uploads,
            Instant now)
            throws SQLException {
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate month = day.withDayOfMonth(1);
        Instant resetsAt = month.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        PlanLimits plan = OrgPlans.read(c, orgId, catalog);
        if (plan == null) {
            return null;
        }
        // what this charge did, billed or not, with the month's bytes after it
        java.util.function.BiFunction<Boolean, Long, Charge> result = (billed, used) -> new Charge(
                orgId,
                sourceId,
                idempotencyKey,
                day,
                month,
                bytes,
                wireBytes,
                lines,
                uploads,
                billed,
                plan,
                used,
                resetsAt);
        if (idempotencyKey != null && !firstCharge(c, orgId, sourceId, idempotencyKey, now, bytes)) {
            return result.apply(false, usedBytes(c, orgId, month));
        }
        Long used = addToMonth(c, orgId, month, bytes, wireBytes, lines, uploads, plan.bytesPerMonth());
        if (used == null) {
            return new Quota(plan, usedBytes(c, orgId, month), resetsAt);
        }
        addToDay(c, orgId, day, bytes, wireBytes, lines, uploads);
        long before = used - bytes;
        for (int threshold : new int[] {80, 100}) {
            long mark = (long) Math.ceil(plan.bytesPerMonth() * (threshold / 100.0));
            if (before < mark && used >= mark) {
                recordWarning(c, orgId, month, threshold, used, plan.bytesPerMonth(), now);
            }
        }
        return result.apply(true, used);
    }

    private static LocalDate monthOf(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC).withDayOfMonth(1);
    }

    /**
     * Takes back a charge whose batch was not accepted after all (Kafka refused it), so a failed
     * request costs nothing. Best effort: a failure is logged, the client is answered as before.
     */
    public void refund(Charge charge) {
        if (!charge.billed()) {
            return;
        }
        try {
            db.inOrg(charge.orgId(), c -> {
                subtract(c, "usage_month", "month", charge.month(), charge);
                subtract(c, "usage_day", "day", charge.day(), charge);
                if (charge.idempotencyKey() != null) {
                    try (PreparedStatement ps = c.prepareStatement("delete from ingest_charge where org_id = ?"
                            + " and source_id = ? and idempotency_key = ?")) {
                        ps.setString(1, charge.orgId());
                        ps.setString(2, charge.sourceId());
                        ps.setString(3, charge.idempotencyKey());
                        ps.executeUpdate();
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            LOG.warn(
                    "Could not refund a charge of {} bytes to org {}: {}",
                    charge.bytes(),
                    charge.orgId(),
                    e.getMessage());
        }
    }

    /**
     * The org's use this month, for a check before anything is charged.
     *
     * @throws ApiProblem 401 when the org is gone, 503 when Postgres is unreachable
     */
    public Quota quota(String orgId) {
        Instant now = clock.instant();
        LocalDate month = LocalDate.ofInstant(now, ZoneOffset.UTC).withDayOfMonth(1);
        Instant resetsAt = month.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        try {
            Quota quota = db.inOrg(orgId, c -> {
                PlanLimits plan = OrgPlans.read(c, orgId, catalog);
                return plan == null ? null : new Quota(plan, usedBytes(c, orgId, month), resetsAt);
            });
            if (quota == null) {
                throw orgGone();
            }
            return quota;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * 429 for a batch or file that would pass the month's quota: the plan, the use, the limit, when
     * it resets and the upgrade path, with {@code Retry-After} until the month starts again.
     */
    public ApiProblem quotaExceeded(Quota quota, long bytes, Instant now) {
        PlanLimits plan = quota.plan();
        long retryAfter = Math.max(1, Duration.between(now, quota.resetsAt()).toSeconds());
        ApiProblem problem = new ApiProblem(
                        429,
                        "Monthly quota reached",
                        "Your org has used " + PlanCatalog.Units.bytes(quota.usedBytes()) + " of the "
                                + PlanCatalog.Units.bytes(plan.bytesPerMonth()) + " a month of its '" + plan.name()
                                + "' plan; these " + PlanCatalog.Units.bytes(bytes) + " would pass it, so nothing was"
                                + " accepted. The quota resets at " + quota.resetsAt() + ". "
                                + catalog.upgradeHint(plan.plan()))
                .retryAfterSeconds((int) Math.min(Integer.MAX_VALUE, retryAfter))
                .property("limit", "bytes_per_month")
                .property("plan", plan.plan())
                .property("used_bytes", quota.usedBytes())
                .property("limit_bytes", plan.bytesPerMonth())
                .property("request_bytes", bytes)
                .property("resets_at", quota.resetsAt().toString())
                .property("upgrade", catalog.upgradeHint(plan.plan()));
        catalog.next(plan.plan()).ifPresent(n -> problem.property("upgrade_plan", n.plan()));
        quotaHeaders(plan, quota.usedBytes(), quota.resetsAt()).forEach(problem::header);
        return problem;
    }

    /** True when this key was not charged within the dedup window (and now is recorded). */
    private static boolean firstCharge(Connection c, String orgId, String sourceId, String key, Instant now, long bytes)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into ingest_charge (org_id, source_id,"
                + " idempotency_key, charged_at, bytes) values (?, ?, ?, ?, ?) on conflict (org_id, source_id,"
                + " idempotency_key) do update set charged_at = excluded.charged_at, bytes = excluded.bytes"
                + " where ingest_charge.charged_at < ? returning 1")) {
            ps.setString(1, orgId);
            ps.setString(2, sourceId);
            ps.setString(3, key);
            ps.setTimestamp(4, Timestamp.from(now));
            ps.setLong(5, bytes);
            ps.setTimestamp(6, Timestamp.from(now.minus(DEDUP_WINDOW)));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Adds to the month unless that would pass {@code quota}; the month's bytes after, or null when refused. */
    private static Long addToMonth(
            Connection c, String orgId, LocalDate month, long bytes, long wire, long lines, int uploads, long quota)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into usage_month as u (org_id, month, bytes,"
                + " bytes_received, lines, requests, uploads) select ?, ?, ?, ?, ?, 1, ? where ? <= ?"
                + " on conflict (org_id, month) do update set bytes = u.bytes + excluded.bytes,"
                + " bytes_received = u.bytes_received + excluded.bytes_received, lines = u.lines + excluded.lines,"
                + " requests = u.requests + 1, uploads = u.uploads + excluded.uploads"
                + " where u.bytes + excluded.bytes <= ? returning bytes")) {
            ps.setString(1, orgId);
            ps.setDate(2, Date.valueOf(month));
            ps.setLong(3, bytes);
            ps.setLong(4, wire);
            ps.setLong(5, lines);
            ps.setInt(6, uploads);
            ps.setLong(7, bytes);
            ps.setLong(8, quota);
            ps.setLong(9, quota);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static void addToDay(
            Connection c, String orgId, LocalDate day, long bytes, long wire, long lines, int uploads)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into usage_day as u (org_id, day, bytes,"
                + " bytes_received, lines, requests, uploads) values (?, ?, ?, ?, ?, 1, ?)"
                + " on conflict (org_id, day) do update set bytes = u.bytes + excluded.bytes,"
                + " bytes_received = u.bytes_received + excluded.bytes_received, lines = u.lines + excluded.lines,"
                + " requests = u.requests + 1, uploads = u.uploads + excluded.uploads")) {
            ps.setString(1, orgId);
            ps.setDate(2, Date.valueOf(day));
            bind3(ps, bytes, wire, lines);
            ps.setInt(6, uploads);
            ps.executeUpdate();
        }
    }

    private static long usedBytes(Connection c, String orgId, LocalDate month) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("select bytes from usage_month where org_id = ? and month = ?")) {
            ps.setString(1, orgId);
            ps.setDate(2, Date.valueOf(month));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static void recordWarning(
            Connection c, String orgId, LocalDate month, int threshold, long used, long quota, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into usage_warning (org_id, month,"
                + " threshold_percent, used_bytes, quota_bytes, recorded_at) values (?, ?, ?, ?, ?, ?)"
                + " on conflict do nothing")) { // once per month, threshold and quota
            ps.setString(1, orgId);
            ps.setDate(2, Date.valueOf(month));
            ps.setInt(3, threshold);
            ps.setLong(4, used);
            ps.setLong(5, quota);
            ps.setTimestamp(6, Timestamp.from(now));
            if (ps.executeUpdate() > 0) {
                LOG.info("Org {} reached {}% of its monthly quota ({} of {} bytes)", orgId, threshold, used, quota);
            }
        }
    }

    private static void bind3(PreparedStatement ps, long bytes, long wire, long lines) throws SQLException {
        ps.setLong(3, bytes);
        ps.setLong(4, wire);
        ps.setLong(5, lines);
    }

    /** Takes a charge back from the {@code usage_month} or {@code usage_day} row it was added to. */
    private static void subtract(Connection c, String table, String dateColumn, LocalDate date, Charge charge)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update " + table + " set bytes = bytes - ?,"
                + " bytes_received = bytes_received - ?, lines = lines - ?, requests = requests - 1,"
                + " uploads = uploads - ? where org_id = ? and " + dateColumn + " = ?")) {
            ps.setLong(1, charge.bytes());
            ps.setLong(2, charge.wireBytes());
            ps.setLong(3, charge.lines());
            ps.setInt(4, charge.uploads());
            ps.setString(5, charge.orgId());
            ps.setDate(6, Date.valueOf(date));
            ps.executeUpdate();
        }
    }

    private static ApiProblem orgGone() {
        return ApiProblem.unauthorized("This org no longer exists; its API keys and memberships ended with it.");
    }

    private static ApiProblem unavailable(SQLException e) {
        LOG.warn("Metering unavailable: {}", e.getMessage());
        return ApiProblem.unavailable(
                "Ingest temporarily unavailable",
                "LogAi cannot record your usage right now; nothing was accepted. Retry shortly.",
                5);
    }
}
