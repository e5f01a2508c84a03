package dev.logai.common.contract;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The window metrics LogAi computes per (org, source, window), by the name they carry on the wire:
 * in alert-rule conditions, in {@code anomaly.metric} rows, in API answers and in summaries. One
 * list, read by the query API (what a rule may name) and the pipeline (what it computes, detects
 * and explains), so the two cannot drift.
 *
 * <p>{@link #thresholdRule()}: a threshold rule may compare it ({@code {"metric": "error_rate",
 * "op": ">", "threshold": 0.02}}). {@link #detected()}: the anomaly detectors score it, so an
 * anomaly rule may name it.
 */
public enum Metric {
    /** Lines in the window (a count); detected as a volume spike or drop. */
    VOLUME("volume", false, true),
    /** Lines in the window (a count), for threshold rules. */
    LINE_COUNT("line_count", true, false),
    /** ERROR and FATAL lines in the window (a count). */
    ERROR_COUNT("error_count", true, false),
    /** (ERROR + FATAL) / lines, 0–1. */
    ERROR_RATE("error_rate", true, true),
    /** 95th percentile of the latencies read from the lines, in milliseconds. */
    LATENCY_P95("latency_p95", true, true),
    /**
     * One service's typical latency in milliseconds: the geometric mean of the durations read from
     * its lines (the mean of their logs, so one slow request barely moves it). Detected per service,
     * as a lasting rise (a slow leak, a step that stays).
     */
    LATENCY_GEOMEAN("latency_geomean", false, true),
    /** Lines of one template in the window (a count), against that template's own baseline. */
    TEMPLATE_RATE("template_rate", false, true),
    /** Templates first seen in the window (a count). */
    NEW_TEMPLATES("new_templates", true, true),
    /**
     * Lines in a stretch of windows where the source, usually active then, sent none (0); the
     * anomaly is dated at the first silent window. Detected only.
     */
    SILENCE("silence", false, true);

    private final String wireName;
    private final boolean thresholdRule;
    private final boolean detected;

    Metric(String wireName, boolean thresholdRule, boolean detected) {
        this.wireName = wireName;
        this.thresholdRule = thresholdRule;
        this.detected = detected;
    }

    /** The name used in JSON, in the database and in messages, e.g. {@code "error_rate"}. */
    public String wireName() {
        return wireName;
    }

    /** Whether a threshold rule may compare this metric. */
    public boolean thresholdRule() {
        return thresholdRule;
    }

    /** Whether the anomaly detectors score this metric (so an anomaly rule may filter on it). */
    public boolean detected() {
        return detected;
    }

    /** The metric with this wire name, or empty (names are case-sensitive, as on the wire). */
    public static Optional<Metric> fromWireName(String name) {
        return Arrays.stream(values()).filter(m -> m.wireName.equals(name)).findFirst();
    }

    /** Wire names of the metrics a threshold rule may compare, in declaration order. */
    public static Set<String> thresholdRuleNames() {
        return names(true, false);
    }

    /** Wire names of the metrics the detectors score, in declaration order. */
    public static Set<String> detectedNames() {
        return names(false, true);
    }

    private static Set<String> names(boolean thresholdRule, boolean detected) {
        return EnumSet.allOf(Metric.class).stream()
                .filter(m -> (!thresholdRule || m.thresholdRule) && (!detected || m.detected))
                .map(Metric::wireName)
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
