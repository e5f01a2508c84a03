package dev.logai.flink.alert.rule;

/**
 * One window rule's judgement of one window of one source: the value, whether it breaches, and
 * whether it starts a run (the first breaching window after a clean one, or the first clean
 * window after a breach). The sequences (sustained, escalation, recovery) are matched on these,
 * keyed by org, source and rule; the rule travels along as it was for this window, so an edit
 * applies from the next window and a match needs no lookups.
 */
public class RuleVerdict {
    public String orgId;
    public String sourceId;
    public String ruleId;
    public long windowStart;
    public long windowEnd;
    public double value;
    public boolean breach;
    /** The first breaching window after a clean one (or the rule's first window on the source). */
    public boolean breachOnset;
    /** The first clean window after a breaching one. */
    public boolean calmOnset;
    /** Breaching and past the rule's {@code escalate_above}. */
    public boolean worse;

    public AlertRule rule;

    // For breaching windows, what a notification would say (the window's extractive summary).
    public String severity;
    public String summaryTitle;
    public String[] bullets = new String[0];
    public String[] topLines = new String[0];
    /** The window's request traces ({@link dev.logai.flink.window.WindowMetrics#traceParents}): what a notification's span continues. */
    public String[] traceParents = new String[0];

    public RuleVerdict() {}

    /** The CEP key: one alert per org, source and rule. */
    public String alertKey() {
        return orgId + "/" + sourceId + "/" + ruleId;
    }
}
