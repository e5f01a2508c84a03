package dev.logai.common.plan;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one definition of the plans every service and the pipeline read: the seed spec's Free,
 * Starter and Team, changed per deployment by the setting {@code LOGAI_PLANS} and per org by the
 * {@code org.limit_overrides} column.
 *
 * <p>Defaults (bytes are decimal: 1 MB = 10^6 bytes, as storage is billed):
 *
 * <table>
 *   <tr><th>plan</th><th>bytes/month</th><th>sources</th><th>retention</th><th>ingest rate, burst</th>
 *       <th>requests/min per credential per endpoint</th><th>summaries in flight</th><th>uploads read at once</th><th>AI USD/month</th></tr>
 *   <tr><td>free</td><td>50 MB</td><td>1</td><td>7 d</td><td>1 MiB/s, 16 MiB</td><td>300</td><td>2</td><td>1</td><td>1</td></tr>
 *   <tr><td>starter</td><td>5 GB</td><td>3</td><td>30 d</td><td>4 MiB/s, 32 MiB</td><td>1200</td><td>4</td><td>2</td><td>20</td></tr>
 *   <tr><td>team</td><td>50 GB</td><td>10</td><td>90 d</td><td>16 MiB/s, 64 MiB</td><td>6000</td><td>8</td><td>4</td><td>200</td></tr>
 * </table>
 *
 * <p>The burst is at least the gateway's largest body (8 MiB), so any valid request can pass an idle
 * bucket. An unknown plan id allows nothing (fail closed).
 */
public final class PlanCatalog {
    /** Plan ids from smallest to largest: the upgrade path. */
    public static final List<String> PLAN_IDS = List.of("free", "starter", "team");

    private static final long MIB = 1L << 20;

    private final Map<String, PlanLimits> plans;

    private PlanCatalog(Map<String, PlanLimits> plans) {
        this.plans = Collections.unmodifiableMap(plans);
    }

    /** The seed spec's plans with the defaults above. */
    public static PlanCatalog defaults() {
        Map<String, PlanLimits> p = new LinkedHashMap<>();
        p.put("free", new PlanLimits("free", "Free", 50_000_000L, 1, 7, MIB, 16 * MIB, 300, 2, 1, BigDecimal.ONE));
        p.put(
                "starter",
                new PlanLimits(
                        "starter",
                        "Starter",
                        5_000_000_000L,
                        3,
                        30,
                        4 * MIB,
                        32 * MIB,
                        1200,
                        4,
                        2,
                        BigDecimal.valueOf(20)));
        p.put(
                "team",
                new PlanLimits(
                        "team",
                        "Team",
                        50_000_000_000L,
                        10,
                        90,
                        16 * MIB,
                        64 * MIB,
                        6000,
                        8,
                        4,
                        BigDecimal.valueOf(200)));
        return new PlanCatalog(p);
    }

    /**
     * The defaults changed by a deployment's {@code LOGAI_PLANS}: {@code plan.limit=value[,…]},
     * e.g. {@code free.bytes_per_month=100MB,team.retention_days=180}; limits as {@link
     * PlanLimits#asSettings()} names them. Blank or null: the defaults.
     *
     * @throws IllegalArgumentException naming the entry for an unknown plan or limit or a bad value
     *     (a deployment with a typo must not start with other limits than it meant)
     */
    public static PlanCatalog parse(String settings) {
        PlanCatalog base = defaults();
        if (settings == null || settings.isBlank()) {
            return base;
        }
        Map<String, PlanLimits> p = new LinkedHashMap<>(base.plans);
        for (String entry : settings.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            int dot = entry.indexOf('.');
            if (eq < 0 || dot < 0 || dot > eq) {
                throw new IllegalArgumentException("Plan setting '" + entry.strip()
                        + "' is not plan.limit=value (e.g. free.bytes_per_month=100MB)");
            }
            String plan = entry.substring(0, dot).strip();
            PlanLimits limits = p.get(plan);
            if (limits == null) {
                throw new IllegalArgumentException(
                        "Plan setting '" + entry.strip() + "': unknown plan '" + plan + "' (known: " + PLAN_IDS + ")");
            }
            String limit = entry.substring(dot + 1, eq).strip();
            if (limit.equals("ai_budget_usd")) {
                throw new IllegalArgumentException("Plan setting '" + entry.strip()
                        + "': the plans' AI budgets are set with LOGAI_AI_BUDGETS (e.g. " + Plans.DEFAULT_AI_BUDGETS
                        + "), which the pipeline reads too");
            }
            p.put(plan, limits.with(limit, entry.substring(eq + 1)));
        }
        return new PlanCatalog(p);
    }

    /**
     * The catalog with the AI budgets of {@code LOGAI_AI_BUDGETS} (plan → USD, {@link
     * Plans#parseAiBudgets}), the setting the pipeline enforces them from.
     */
    public PlanCatalog withAiBudgets(Map<String, BigDecimal> budgets) {
        Map<String, PlanLimits> p = new LinkedHashMap<>(plans);
        budgets.forEach(
                (plan, usd) -> p.computeIfPresent(plan, (k, l) -> l.with("ai_budget_usd", usd.toPlainString())));
        return new PlanCatalog(p);
    }

    /** Whether {@code plan} is one of the catalog's plans. */
    public boolean exists(String plan) {
        return plan != null && plans.containsKey(plan);
    }

    /**
     * The limits of an org on {@code plan} with its own {@code overrides} (limit name → value, the
     * {@code org.limit_overrides} column; null or empty: none). An override LogAi cannot read is
     * ignored, never widened: the plan's value stays.
     */
    public PlanLimits limits(String plan, Map<String, String> overrides) {
        PlanLimits limits = plans.get(plan);
        if (limits == null) {
            limits =
                    new PlanLimits(String.valueOf(plan), String.valueOf(plan), 0, 0, 1, 0, 0, 1, 1, 1, BigDecimal.ZERO);
        }
        if (overrides != null) {
            for (Map.Entry<String, String> o : overrides.entrySet()) {
                try {
                    limits = limits.with(o.getKey(), o.getValue());
                } catch (IllegalArgumentException ignored) {
                    // checked when the override is written; an old unreadable one keeps the plan's value
                }
            }
        }
        return limits;
    }

    /** The limits of {@code plan} without org overrides. */
    public PlanLimits limits(String plan) {
        return limits(plan, null);
    }

    /** Every plan, smallest first. */
    public List<PlanLimits> all() {
        return new ArrayList<>(plans.values());
    }

    /** The next larger plan, if any: the upgrade path. */
    public Optional<PlanLimits> next(String plan) {
        int i = PLAN_IDS.indexOf(plan);
        return i >= 0 && i + 1 < PLAN_IDS.size() ? Optional.of(plans.get(PLAN_IDS.get(i + 1))) : Optional.empty();
    }

    /** A sentence naming what the next plan offers, or who to ask when there is none. */
    public String upgradeHint(String plan) {
        return next(plan)
                .map(n -> "Upgrade to " + n.name() + " for " + Units.bytes(n.bytesPerMonth()) + " a month, "
                        + n.maxSources() + " sources and " + n.retentionDays() + " days of retention (PUT /v1/org/plan,"
                        + " owners only).")
                .orElse("Contact us for a larger plan or a custom limit.");
    }

    /** Human-readable amounts for messages. */
    public static final class Units {
        private Units() {}

        /** {@code 50 MB}, {@code 5 GB}, {@code 1.5 GB}, {@code 812 bytes} (decimal units). */
        public static String bytes(long n) {
            String[] units = {"bytes", "KB", "MB", "GB", "TB"};
            double v = n;
            int u = 0;
            while (v >= 1000 && u < units.length - 1) {
                v /= 1000;
                u++;
            }
            if (u == 0) return n + " bytes";
            String s = v == Math.rint(v) ? String.valueOf((long) v) : String.format(java.util.Locale.ROOT, "%.1f", v);
            return s + " " + units[u];
        }
    }
}
