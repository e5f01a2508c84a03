package dev.logai.flink.alert.rule;

/**
 * One rule's alert on one source, in keyed state: whether it is open, since when, how often it
 * breached, and when people were last told. Transitions are decided from this state alone, so after
 * a restore from a checkpoint the same windows lead to the same transitions (with the same event
 * ids, which the sender uses to never tell anyone twice).
 */
public class AlertState {
    public static final String OK = "ok";
    public static final String FIRING = "firing";
    public static final String ESCALATED = "escalated";

    public String status = OK;
    public int consecutiveBreaches;
    public int cleanWindows;
    /** Start of the window that opened the alert. */
    public long firstSeen;
    /** Event time of the last notification. */
    public long lastNotified;
    /** Breaching windows since the alert opened. */
    public int count;
    /** How many alerts this rule opened on this source: part of the event ids. */
    public int episode;
    public double lastValue;
    /** Recent windows' values for rules over several minutes, newest last. */
    public double[] recentNumerators = new double[0];
    public double[] recentDenominators = new double[0];

    public AlertState() {}

    public boolean open() {
        return !status.equals(OK);
    }
}
