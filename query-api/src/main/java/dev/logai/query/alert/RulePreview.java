package dev.logai.query.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.logai.common.contract.alert.AlertCondition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Answer of {@code POST /v1/alert-rules/preview}: how often a condition would have fired over the
 * stored data of the last days, and the metric it watches, to draw.
 *
 * @param fired times the rule would have raised an alert
 * @param evaluated windows (threshold), anomalies (anomaly) or pattern windows (pattern) looked at
 * @param firings when each alert would have been raised (at most 200, newest last)
 * @param series the watched value per point (threshold: the rule's metric per window, reduced to
 *     the highest per hour; anomaly and pattern: matches per hour), oldest first
 * @param note how the preview differs from the pipeline, when it does
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RulePreview(
        Instant since,
        Instant until,
        String kind,
        long fired,
        long evaluated,
        List<Firing> firings,
        List<Point> series,
        Double threshold,
        String note) {

    /** One alert the rule would have raised. */
    public record Firing(Instant at, String sourceId, double value) {}

    /** One point of the drawn series. */
    public record Point(Instant t, double value) {}

    /**
     * One stored window of a source, as a threshold rule reads it; {@code latencyP95Ms} NaN when none
     * of its lines carried a duration (or it was written before latency was stored).
     */
    record Window(String sourceId, Instant start, long lines, long errors, long newTemplates, double latencyP95Ms) {}

    /**
     * Replays a threshold rule over one source's windows, oldest first, as the pipeline judges it:
     * the metric over the last {@code window} minutes, {@code sustained} breaching windows in a row
     * to fire, {@code resolveAfter} clean windows to resolve (only then can it fire again).
     */
    static List<Firing> replayThreshold(AlertCondition.Threshold rule, List<Window> windows) {
        int span = (int) Math.max(1, rule.window().toMinutes());
        List<Firing> firings = new ArrayList<>();
        int breaching = 0;
        int clean = 0;
        boolean firing = false;
        for (int i = 0; i < windows.size(); i++) {
            double value = value(rule, windows, i, span);
            if (rule.op().breaches(value, rule.threshold())) {
                breaching++;
                clean = 0;
                if (!firing && breaching >= rule.sustained()) {
                    firing = true;
                    firings.add(
                            new Firing(windows.get(i).start(), windows.get(i).sourceId(), value));
                }
            } else {
                breaching = 0;
                if (firing && ++clean >= rule.resolveAfter()) {
                    firing = false;
                    clean = 0;
                }
            }
        }
        return firings;
    }

    /** The rule's metric over windows {@code i - span + 1 … i} (those that exist within the span). */
    static double value(AlertCondition.Threshold rule, List<Window> windows, int i, int span) {
        Instant from = windows.get(i).start().minusSeconds(60L * (span - 1));
        long lines = 0;
        long errors = 0;
        long fresh = 0;
        double worstP95 = Double.NaN;
        for (int j = i; j >= 0 && !windows.get(j).start().isBefore(from); j--) {
            lines += windows.get(j).lines();
            errors += windows.get(j).errors();
            fresh += windows.get(j).newTemplates();
            double p95 = windows.get(j).latencyP95Ms();
            if (!Double.isNaN(p95) && !(p95 <= worstP95)) {
                worstP95 = p95; // the pipeline's value: the worst p95 of the windows that had durations
            }
        }
        return switch (rule.metric()) {
            case LINE_COUNT, VOLUME -> lines;
            case ERROR_COUNT -> errors;
            case ERROR_RATE -> lines == 0 ? 0 : (double) errors / lines;
            case NEW_TEMPLATES -> fresh;
            case LATENCY_P95 -> worstP95;
            default -> throw new IllegalArgumentException("not previewable: " + rule.metric());
        };
    }
}
