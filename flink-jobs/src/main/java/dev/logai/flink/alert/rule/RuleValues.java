package dev.logai.flink.alert.rule;

import dev.logai.common.contract.Metric;
import dev.logai.flink.anomaly.Anomaly;
import dev.logai.flink.window.ServiceCount;
import dev.logai.flink.window.WindowMetrics;
import java.util.Arrays;

/**
 * What a rule sees in one window: for a threshold rule, the metric over the rule's window (the
 * last N one-minute windows: rates as total errors over total lines, counts summed, latency the
 * worst p95), kept in the rule's state for the source; for an anomaly rule, the best matching
 * anomaly's score. NaN: nothing to judge. (Pattern and absence rules are judged per line, not per window.)
 */
public final class RuleValues {
    private RuleValues() {}

    public static double value(AlertRule rule, RuleWindowState state, WindowMetrics m, Anomaly[] anomalies) {
        return switch (rule.conditionKind()) {
            case ANOMALY ->
                Arrays.stream(anomalies)
                        .filter(a -> rule.anomalyMetric == null || rule.anomalyMetric.equals(a.metric))
                        .filter(a -> rule.anomalyLabel == null || rule.anomalyLabel.equals(a.label))
                        .mapToDouble(a -> a.score)
                        .max()
                        .orElse(0);
            case THRESHOLD -> threshold(rule, state, m);
            case PATTERN, ABSENCE -> Double.NaN; // judged per line (absence also by the wall clock)
        };
    }

    /** Whether the value breaches the rule. */
    public static boolean breaches(AlertRule rule, double value) {
        if (Double.isNaN(value)) {
            return false;
        }
        return switch (rule.conditionKind()) {
            case ANOMALY -> value >= rule.anomalyMinScore;
            case THRESHOLD -> rule.breaches(value);
            case PATTERN, ABSENCE -> false;
        };
    }

    private static double threshold(AlertRule rule, RuleWindowState s, WindowMetrics m) {
        double numerator;
        double denominator = 1;
        ServiceCount service = rule.service == null ? null : m.services.get(rule.service);
        long lines = rule.service == null ? m.counts.lines : service == null ? 0 : service.lines;
        long errors = rule.service == null ? m.counts.error + m.counts.fatal : service == null ? 0 : service.errors;
        Metric metric = rule.thresholdMetric();
        switch (metric) {
            case ERROR_RATE -> {
                numerator = errors;
                denominator = lines;
            }
            case ERROR_COUNT -> numerator = errors;
            case LINE_COUNT -> numerator = lines;
            case NEW_TEMPLATES -> numerator = m.newTemplates;
            case LATENCY_P95 ->
                numerator = m.latency == null || m.latency.count == 0 ? Double.NaN : m.latency.quantile(0.95);
            default -> throw new IllegalStateException(metric + " is not a threshold-rule metric");
        }
        int keep = Math.max(1, rule.windowMinutes);
        s.recentNumerators = push(s.recentNumerators, numerator, keep);
        s.recentDenominators = push(s.recentDenominators, denominator, keep);
        if (metric == Metric.LATENCY_P95) {
            return Arrays.stream(s.recentNumerators)
                    .filter(v -> !Double.isNaN(v))
                    .max()
                    .orElse(Double.NaN);
        }
        double num = Arrays.stream(s.recentNumerators).sum();
        if (metric == Metric.ERROR_RATE) {
            double den = Arrays.stream(s.recentDenominators).sum();
            return den == 0 ? Double.NaN : num / den;
        }
        return num;
    }

    private static double[] push(double[] recent, double value, int keep) {
        double[] out = Arrays.copyOfRange(recent, Math.max(0, recent.length + 1 - keep), recent.length + 1);
        out[out.length - 1] = value;
        return out;
    }
}
