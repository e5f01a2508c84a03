package dev.logai.flink.alert.rule;

/**
 * What the alert lifecycle hears about one window of one rule on one source: the window's verdict
 * itself, or a sequence matched on the verdicts (by Flink CEP) ending at that window.
 */
public class AlertSignal {
    /** Every verdict: counts breaching windows of an open alert and paces reminders. */
    public static final String WINDOW = "window";
    /** {@code sustained} consecutive breaching windows. */
    public static final String SUSTAINED = "sustained";
    /** A breach, then worse than {@code escalate_above} within {@code escalate_within}. */
    public static final String ESCALATION = "escalation";
    /** {@code resolve_after} consecutive clean windows after a breach. */
    public static final String RECOVERY = "recovery";

    public String kind;
    /** The verdict of the window the signal ends at. */
    public RuleVerdict verdict;
    /** Windows in the matched sequence (1 for {@link #WINDOW}). */
    public int windows = 1;
    /** Start of the sequence's first window. */
    public long runStart;

    public AlertSignal() {}

    public AlertSignal(String kind, RuleVerdict verdict, int windows) {
        this.kind = kind;
        this.verdict = verdict;
        this.windows = windows;
        this.runStart = verdict.windowStart;
    }

    /** Order within one window, so a replay applies a window's signals the same way whatever their arrival order. */
    public int rank() {
        return switch (kind) {
            case ESCALATION -> 0;
            case SUSTAINED -> 1;
            case WINDOW -> 2;
            default -> 3;
        };
    }
}
