package dev.logai.query.source;

/** Source quotas per plan, as in the seed spec (Free 1, Starter 3, Team 10). */
final class PlanLimits {
    private PlanLimits() {}

    static int maxSources(String plan) {
        return switch (plan) {
            case "free" -> 1;
            case "starter" -> 3;
            case "team" -> 10;
            default -> 0;
        };
    }

    static String upgradeHint(String plan) {
        return switch (plan) {
            case "free" -> "Upgrade to Starter for 3 sources or Team for 10.";
            case "starter" -> "Upgrade to Team for 10 sources.";
            default -> "Delete a source you no longer use, or contact us for a larger plan.";
        };
    }
}
