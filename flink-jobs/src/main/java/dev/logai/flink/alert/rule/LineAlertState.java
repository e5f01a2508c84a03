package dev.logai.flink.alert.rule;

/** One pattern rule's alert on one template of one source, in keyed state: when first and last told, and how often seen. */
public class LineAlertState {
    public long firstSeen;
    public long lastNotified;
    /** Matching lines since the alert was raised. */
    public long count;
    /** {@link #count} when people were last told. */
    public long countNotified;

    public LineAlertState() {}
}
