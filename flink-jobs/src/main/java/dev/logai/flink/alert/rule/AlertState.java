package dev.logai.flink.alert.rule;

/**
 * One rule's alert on one source, in keyed state: whether it is open, since when, how many
 * breaching windows it has seen, and when people were last told. Transitions are decided from this
 * state and the window's signals alone, so after a restore the replayed windows lead to the same
 * transitions with the same event ids (which the sender uses to never tell anyone twice).
 */
public class AlertState {
    public static final String OK = "ok";
    public static final String FIRING = "firing";
    public static final String ESCALATED = "escalated";

    public String status = OK;
    /** Start of the first window of the run that opened the alert. */
    public long firstSeen;
    /** Event time of the last notification. */
    public long lastNotified;
    /** Breaching windows since the alert opened. */
    public int count;
    /** End of the last window counted in {@link #count}. */
    public long countedUpTo;
    /** How many alerts this rule opened on this source: part of the event ids. */
    public int episode;

    public AlertState() {}

    public boolean open() {
        return !status.equals(OK);
    }
}
