package dev.logai.common.plan;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The plans LogAi sells (seed spec §7), in one place for every service and the pipeline: how many
 * sources an org may have, its default monthly AI budget, and what to say when a limit is reached.
 * Bytes per month and retention join here as they are enforced.
 *
 * <p>Plan ids are the {@code org.plan} column's values: {@code free}, {@code starter}, {@code team}.
 * An unknown plan has no sources and no AI budget (fail closed).
 */
public final class Plans {
    /** The default per-plan monthly AI budgets in USD, as the setting {@code LOGAI_AI_BUDGETS} spells them. */
    public static final String DEFAULT_AI_BUDGETS = "free=1,starter=20,team=200";

    private Plans() {}

    /** Most sources an org on {@code plan} may have by default: free 1, starter 3, team 10, else 0 ({@link PlanCatalog}). */
    public static int maxSources(String plan) {
        return PlanCatalog.defaults().limits(plan).maxSources();
    }

    /** A sentence saying how to get past the source quota of {@code plan}. */
    public static String sourceUpgradeHint(String plan) {
        return switch (plan) {
            case "free" -> "Upgrade to Starter for 3 sources or Team for 10.";
            case "starter" -> "Upgrade to Team for 10 sources.";
            default -> "Contact us for a larger plan.";
        };
    }

    /**
     * Parses per-plan monthly AI budgets, {@code plan=usd[,plan=usd…]} (e.g. {@link
     * #DEFAULT_AI_BUDGETS}); blanks around names and values are ignored, empty entries skipped.
     *
     * @return plan id → non-negative USD, in the order given
     * @throws IllegalArgumentException naming the entry when one is not {@code name=amount} with a
     *     non-negative decimal amount (a deployment with a typo must not start with no budget)
     */
    public static Map<String, BigDecimal> parseAiBudgets(String text) {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        if (text == null) {
            return out;
        }
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String plan = eq > 0 ? entry.substring(0, eq).strip() : "";
            try {
                if (plan.isEmpty()) throw new NumberFormatException();
                BigDecimal usd = new BigDecimal(entry.substring(eq + 1).strip());
                if (usd.signum() < 0) throw new NumberFormatException();
                out.put(plan, usd);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("AI budget '" + entry.strip()
                        + "' is not plan=amount with a non-negative USD amount (e.g. " + DEFAULT_AI_BUDGETS + ")");
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** The monthly AI budget of {@code plan} from parsed budgets; empty when the plan has none. */
    public static Optional<BigDecimal> aiBudget(Map<String, BigDecimal> budgets, String plan) {
        return Optional.ofNullable(budgets.get(plan));
    }
}
