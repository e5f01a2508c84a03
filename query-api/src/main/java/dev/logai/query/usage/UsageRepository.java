package dev.logai.query.usage;

import dev.logai.common.plan.OrgPlans;
import dev.logai.common.plan.PlanCatalog;
import dev.logai.common.plan.PlanLimits;
import dev.logai.query.OrgJdbc;
import java.math.BigDecimal;
import java.sql.Date;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Repository;

/** Reads an org's metered usage ({@code usage_day}, {@code usage_month}, {@code usage_warning}) under row-level security. */
@Repository
public class UsageRepository {
    private final OrgJdbc db;
    private final PlanCatalog catalog;

    UsageRepository(OrgJdbc db, PlanCatalog catalog) {
        this.db = db;
        this.catalog = catalog;
    }

    /**
     * The {@code GET /v1/usage} answer for {@code month} (its first day, UTC) as a JSON-ready map.
     *
     * @param aiBudgets the default AI budget per plan ({@code LOGAI_AI_BUDGETS}); an org's own wins
     * @return null when the org does not exist
     */
    Map<String, Object> usage(String orgId, LocalDate month, Map<String, BigDecimal> aiBudgets) {
        return db.inOrgConnection(orgId, (jdbc, c) -> {
            PlanLimits plan = OrgPlans.read(c, orgId, catalog);
            if (plan == null) {
                return null;
            }
            LocalDate next = month.plusMonths(1);
            Map<String, Object> monthTotals = jdbc.sql("select bytes, bytes_received, lines, requests, uploads"
                            + " from usage_month where month = :month")
                    .param("month", Date.valueOf(month))
                    .query((rs, n) -> totals(rs))
                    .optional()
                    .orElseGet(UsageRepository::zeros);
            long used = (Long) monthTotals.get("bytes");
            monthTotals.put("quota_bytes", plan.bytesPerMonth());
            monthTotals.put("remaining_bytes", Math.max(0, plan.bytesPerMonth() - used));
            monthTotals.put(
                    "percent_used",
                    plan.bytesPerMonth() == 0 ? 100.0 : Math.round(used * 10000.0 / plan.bytesPerMonth()) / 100.0);
            monthTotals.put(
                    "upload_lines",
                    jdbc.sql("select coalesce(sum(line_count), 0) from upload"
                                    + " where registered_at >= :from and registered_at < :to")
                            .param(
                                    "from",
                                    java.sql.Timestamp.from(
                                            month.atStartOfDay(ZoneOffset.UTC).toInstant()))
                            .param(
                                    "to",
                                    java.sql.Timestamp.from(
                                            next.atStartOfDay(ZoneOffset.UTC).toInstant()))
                            .query(Long.class)
                            .single());
            List<Map<String, Object>> days = jdbc.sql("select day, bytes, bytes_received, lines, requests, uploads"
                            + " from usage_day where day >= :from and day < :to order by day")
                    .param("from", Date.valueOf(month))
                    .param("to", Date.valueOf(next))
                    .query((rs, n) -> {
                        Map<String, Object> d = new LinkedHashMap<>();
                        d.put("day", rs.getDate("day").toLocalDate().toString());
                        d.putAll(totals(rs));
                        return d;
                    })
                    .list();
            List<Map<String, Object>> history = jdbc.sql("select month, bytes, bytes_received, lines, requests,"
                            + " uploads from usage_month where month >= :from and month < :to order by month desc")
                    .param("from", Date.valueOf(month.minusMonths(3)))
                    .param("to", Date.valueOf(month))
                    .query((rs, n) -> {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put(
                                "month",
                                rs.getDate("month").toLocalDate().toString().substring(0, 7));
                        m.putAll(totals(rs));
                        return m;
                    })
                    .list();
            List<Map<String, Object>> warnings = jdbc.sql("select threshold_percent, month, used_bytes, quota_bytes,"
                            + " recorded_at from usage_warning where month = :month and quota_bytes = :quota"
                            + " order by threshold_percent")
                    .param("month", Date.valueOf(month))
                    .param("quota", plan.bytesPerMonth())
                    .query((rs, n) -> {
                        Map<String, Object> w = new LinkedHashMap<>();
                        w.put("threshold_percent", rs.getInt("threshold_percent"));
                        w.put(
                                "period_start",
                                rs.getDate("month")
                                        .toLocalDate()
                                        .atStartOfDay(ZoneOffset.UTC)
                                        .toInstant()
                                        .toString());
                        w.put("used_bytes", rs.getLong("used_bytes"));
                        w.put("quota_bytes", rs.getLong("quota_bytes"));
                        w.put(
                                "recorded_at",
                                rs.getTimestamp("recorded_at").toInstant().toString());
                        return w;
                    })
                    .list();
            long sources =
                    jdbc.sql("select count(*) from source").query(Long.class).single();
            BigDecimal ownBudget = jdbc.sql("select ai_budget_usd from org where id = :org")
                    .param("org", orgId)
                    .query((rs, n) -> java.util.Optional.ofNullable(rs.getBigDecimal(1)))
                    .single()
                    .orElse(null);
            BigDecimal spend = jdbc.sql("select coalesce(sum(cost_usd), 0) from ai_usage where month = :month")
                    .param("month", Date.valueOf(month))
                    .query(BigDecimal.class)
                    .single();
            BigDecimal budget = ownBudget != null ? ownBudget : aiBudgets.getOrDefault(plan.plan(), BigDecimal.ZERO);

            Map<String, Object> out = new LinkedHashMap<>();
            out.put("org_id", orgId);
            out.put("plan", planJson(plan, budget));
            Map<String, Object> period = new LinkedHashMap<>();
            period.put("start", month.atStartOfDay(ZoneOffset.UTC).toInstant().toString());
            period.put("end", next.atStartOfDay(ZoneOffset.UTC).toInstant().toString());
            out.put("period", period);
            out.put("month", monthTotals);
            out.put("days", days);
            Map<String, Object> sourceUse = new LinkedHashMap<>();
            sourceUse.put("used", sources);
            sourceUse.put("allowed", plan.maxSources());
            out.put("sources", sourceUse);
            out.put("retention_days", plan.retentionDays());
            Map<String, Object> ai = new LinkedHashMap<>();
            ai.put("spend_usd", spend);
            ai.put("budget_usd", budget);
            ai.put("budget_source", ownBudget != null ? "org" : "plan");
            out.put("ai", ai);
            out.put("warnings", warnings);
            out.put("history", history);
            Map<String, Object> upgrade = new LinkedHashMap<>();
            upgrade.put(
                    "next_plan", catalog.next(plan.plan()).map(PlanLimits::plan).orElse(null));
            upgrade.put("hint", catalog.upgradeHint(plan.plan()));
            out.put("upgrade", upgrade);
            return out;
        });
    }

    /** A plan's limits as {@code GET /v1/usage} and {@code GET /v1/org} show them. */
    public static Map<String, Object> planJson(PlanLimits plan, BigDecimal aiBudget) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", plan.plan());
        p.put("name", plan.name());
        p.put("bytes_per_month", plan.bytesPerMonth());
        p.put("max_sources", plan.maxSources());
        p.put("retention_days", plan.retentionDays());
        p.put("ingest_bytes_per_second", plan.ingestBytesPerSecond());
        p.put("ingest_burst_bytes", plan.ingestBurstBytes());
        p.put("requests_per_minute", plan.requestsPerMinute());
        p.put("summaries_in_flight", plan.summariesInFlight());
        p.put("concurrent_uploads", plan.concurrentUploads());
        p.put("ai_budget_usd", aiBudget == null ? plan.aiBudgetUsd() : aiBudget);
        return p;
    }

    private static Map<String, Object> totals(java.sql.ResultSet rs) throws java.sql.SQLException {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("bytes", rs.getLong("bytes"));
        t.put("bytes_received", rs.getLong("bytes_received"));
        t.put("lines", rs.getLong("lines"));
        t.put("requests", rs.getLong("requests"));
        t.put("uploads", rs.getLong("uploads"));
        return t;
    }

    private static Map<String, Object> zeros() {
        Map<String, Object> t = new LinkedHashMap<>();
        for (String k : List.of("bytes", "bytes_received", "lines", "requests", "uploads")) {
            t.put(k, 0L);
        }
        return t;
    }
}
