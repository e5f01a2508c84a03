package dev.logai.flink.alert.rule;

/**
 * One absence rule on one source, in keyed state (wall-clock milliseconds): when a matching line
 * was last seen (or the rule was first judged here, when none has been), and the open alert, if
 * any.
 */
public class AbsenceState {
    /** The last matching line's arrival, or when the rule started watching this source. */
    public long lastSeen;
    /** The open alert's id; null while the source is not silent past the rule. */
    public String alertId;
    /** When the open alert fired. */
    public long firedAt;

    public AbsenceState() {}
}
