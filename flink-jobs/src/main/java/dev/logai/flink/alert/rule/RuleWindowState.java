package dev.logai.flink.alert.rule;

/**
 * What judging a window rule on one source remembers between windows, in keyed state: the last
 * windows' values for rules over several minutes, and whether the previous window breached (to
 * mark where runs of breaching and clean windows start).
 */
public class RuleWindowState {
    /** Recent windows' values for rules over several minutes, newest last. */
    public double[] recentNumerators = new double[0];

    public double[] recentDenominators = new double[0];
    /** Null before the rule's first window on the source. */
    public Boolean lastBreach;

    public RuleWindowState() {}
}
