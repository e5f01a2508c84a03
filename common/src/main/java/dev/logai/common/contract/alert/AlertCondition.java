package dev.logai.common.contract.alert;

import dev.logai.common.contract.Metric;
import java.time.Duration;

/**
 * What an alert rule watches: one of four kinds, each with its defaults already applied. Built by
 * {@link AlertRuleCodec#readCondition(Object)} from the JSON a client sent (query API) or the rules
 * topic carried (pipeline), and written back by {@link AlertRuleCodec#writeCondition}.
 */
public sealed interface AlertCondition {

    /** The kind, by its wire name: {@code threshold}, {@code anomaly}, {@code pattern} or {@code absence}. */
    Kind kind();

    /**
     * The condition kinds. Pattern rules are judged per line, absence rules per line and by the wall
     * clock while no line comes, the others per window.
     */
    enum Kind {
        THRESHOLD("threshold"),
        ANOMALY("anomaly"),
        PATTERN("pattern"),
        ABSENCE("absence");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        /** The kind with this wire name; throws {@link IllegalArgumentException} for another name. */
        public static Kind fromWireName(String name) {
            for (Kind k : values()) {
                if (k.wireName.equals(name)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("Unknown condition kind '" + name + "'");
        }
    }

    /**
     * A window metric compared with a threshold: {@code {"metric": "error_rate", "op": ">",
     * "threshold": 0.02, "window": "5m", "service": "api"}}.
     *
     * @param metric one of {@link Metric#thresholdRule()}
     * @param window whole minutes, 1 to 60 (default 1m): the metric over the last N one-minute windows
     * @param service a service's lines only; null: the whole source
     * @param sustained consecutive breaching windows before the rule fires, 1 to 60 (default 1)
     * @param escalateAbove a worse value that escalates the alert; null: no escalation
     * @param escalateWithin how long after the first breach escalation may happen (1m to 24h,
     *     default 10m); null exactly when {@code escalateAbove} is null
     * @param resolveAfter clean windows before the alert resolves, 1 to 60 (default 3)
     */
    record Threshold(
            Metric metric,
            Comparison op,
            double threshold,
            Duration window,
            String service,
            int sustained,
            Double escalateAbove,
            Duration escalateWithin,
            int resolveAfter)
            implements AlertCondition {
        @Override
        public Kind kind() {
            return Kind.THRESHOLD;
        }
    }

    /**
     * An anomaly the detectors scored: {@code {"anomaly": {"min_score": 0.8, "metric":
     * "error_rate", "label": "spike"}}}.
     *
     * @param minScore 0.5 (the detectors' threshold, the default) to 1
     * @param metric one of {@link Metric#detected()}; null: any metric
     * @param label null: any label
     */
    record Anomaly(double minScore, Metric metric, AnomalyLabel label) implements AlertCondition {
        @Override
        public Kind kind() {
            return Kind.ANOMALY;
        }
    }

    /**
     * A line pattern: {@code {"pattern": {"new_template": true, "contains": "OutOfMemoryError"}}};
     * at least one of the two is set.
     *
     * @param contains text a line must contain (case-insensitive), at most 500 characters; null: any line
     */
    record Pattern(boolean newTemplate, String contains) implements AlertCondition {
        @Override
        public Kind kind() {
            return Kind.PATTERN;
        }
    }

    /**
     * Silence: no line (or no line containing a text) from the source for a while, judged by the
     * wall clock — {@code {"absence": {"for": "10m"}}} ("no logs from payments for 10 minutes"),
     * {@code {"absence": {"for": "1h", "contains": "nightly backup finished"}}} (a heartbeat or a
     * job that must run). Fires once when the silence reaches {@code forDuration}, resolves at the
     * next matching line.
     *
     * @param forDuration whole minutes, 1m to 24h
     * @param contains text a line must contain (case-insensitive), at most 500 characters; null: any line
     */
    record Absence(Duration forDuration, String contains) implements AlertCondition {
        @Override
        public Kind kind() {
            return Kind.ABSENCE;
        }
    }

    /** The comparison of a threshold rule, by its wire symbol. */
    enum Comparison {
        GT(">"),
        GE(">="),
        LT("<"),
        LE("<=");

        private final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        /** Whether {@code value} breaches {@code threshold}. */
        public boolean breaches(double value, double threshold) {
            return switch (this) {
                case GT -> value > threshold;
                case GE -> value >= threshold;
                case LT -> value < threshold;
                case LE -> value <= threshold;
            };
        }

        /** Whether the rule fires on high values ({@code >}, {@code >=}). */
        public boolean upward() {
            return this == GT || this == GE;
        }
    }

    /** The direction the detectors give an anomaly, by its wire name. */
    enum AnomalyLabel {
        SPIKE("spike"),
        DROP("drop"),
        NEW("new");

        private final String wireName;

        AnomalyLabel(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }
}
