package dev.logai.flink.runtime;

import dev.logai.flink.anomaly.Anomaly;
import dev.logai.flink.deadletter.DeadLetter;
import dev.logai.flink.parse.LogRecord;
import dev.logai.flink.summary.Summary;
import dev.logai.flink.window.WindowStats;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The pipeline's own metrics (docs/operations.md), reported by Flink's metric reporters (the
 * Prometheus reporter in the cluster image). Labels only where their values are few: format,
 * parse flag, anomaly metric, dead-letter origin, summary outcome — never org or source.
 *
 * <p>Per line ({@link Lines}, called from the template miner, which sees every parsed line):
 * {@code linesParsed{format}}, {@code parseFlags{flag}}, {@code templatesCreated}. Per window
 * and finding, as in-line maps before their sinks (a handful a minute per source, so the map
 * costs nothing): {@code windowsEmitted} and the gauge {@code windowLagMs} (wall clock minus the
 * end of the last window emitted), {@code anomalies{metric}}, {@code summaries{outcome}} (llm,
 * cached, extractive) with {@code llmTokensIn}, {@code llmTokensOut}, {@code llmCostMicroUsd} and
 * {@code llmFallbacks}, {@code deadLetters{origin}}. Alert deliveries are counted where they are
 * sent ({@code alertDeliveries{channel,outcome}} in {@code NotifyAlerts}); checkpoint durations
 * are Flink's own ({@code lastCheckpointDuration}).
 */
public final class StageMetrics {
    private StageMetrics() {}

    /** The per-line counters, owned by the operator that sees every parsed line. */
    public static final class Lines {
        private static final String[] FLAG_NAMES = {
            "no_timestamp", "invalid_utf8", "truncated", "invalid_json", "format_mismatch", "binary", "future_timestamp"
        };
        private final MetricGroup group;
        private final Map<String, Counter> byFormat = new HashMap<>();
        private final Counter[] flags = new Counter[FLAG_NAMES.length];
        private final Counter templatesCreated;

        /** Registers the counters on {@code group} (the operator's metric group). */
        public Lines(MetricGroup group) {
            this.group = group;
            for (int i = 0; i < FLAG_NAMES.length; i++) {
                flags[i] = group.addGroup("flag", FLAG_NAMES[i]).counter("parseFlags");
            }
            this.templatesCreated = group.counter("templatesCreated");
        }

        /** Counts one mined line: its format, its parse flags, and whether it created a template. */
        public void count(LogRecord record, boolean createdTemplate) {
            String format = record.format == null ? "unknown" : record.format;
            Counter c = byFormat.get(format);
            if (c == null) {
                // formats are a fixed set of parser names: few series
                c = group.addGroup("format", format).counter("linesParsed");
                byFormat.put(format, c);
            }
            c.inc();
            int f = record.flags;
            for (int i = 0; f != 0 && i < flags.length; i++, f >>>= 1) {
                if ((f & 1) != 0) {
                    flags[i].inc();
                }
            }
            if (createdTemplate) {
                templatesCreated.inc();
            }
        }
    }

    /**
     * Window rows on their way to Postgres: how many, and how far behind the wall clock the newest
     * window this subtask emitted ended (a stalled pipeline shows as growth; one lagging source
     * beside live ones does not).
     */
    public static final class Windows extends RichMapFunction<WindowStats, WindowStats> {
        private transient Counter emitted;
        private transient volatile long lastEnd;

        @Override
        public void open(OpenContext ctx) {
            MetricGroup g = getRuntimeContext().getMetricGroup();
            emitted = g.counter("windowsEmitted");
            g.gauge("windowLagMs", () -> lastEnd == 0 ? 0L : Math.max(0L, System.currentTimeMillis() - lastEnd));
        }

        @Override
        public WindowStats map(WindowStats row) {
            emitted.inc();
            lastEnd = Math.max(lastEnd, row.windowEnd);
            return row;
        }
    }

    /** Anomalies on their way to Postgres, by metric. */
    public static final class Anomalies extends RichMapFunction<Anomaly, Anomaly> {
        private transient Map<String, Counter> byMetric;

        @Override
        public void open(OpenContext ctx) {
            byMetric = new HashMap<>();
        }

        @Override
        public Anomaly map(Anomaly a) {
            String metric = a.metric == null ? "unknown" : a.metric;
            byMetric.computeIfAbsent(
                            metric,
                            m -> getRuntimeContext()
                                    .getMetricGroup()
                                    .addGroup("metric", m)
                                    .counter("anomalies"))
                    .inc();
            return a;
        }
    }

    /** Summaries on their way to Postgres: by outcome, with the model's tokens and cost. */
    public static final class Summaries extends RichMapFunction<Summary, Summary> {
        private transient Counter llm;
        private transient Counter cached;
        private transient Counter extractive;
        private transient Counter tokensIn;
        private transient Counter tokensOut;
        private transient Counter costMicroUsd;
        private transient Counter fallbacks;

        @Override
        public void open(OpenContext ctx) {
            MetricGroup g = getRuntimeContext().getMetricGroup();
            llm = g.addGroup("outcome", "llm").counter("summaries");
            cached = g.addGroup("outcome", "cached").counter("summaries");
            extractive = g.addGroup("outcome", "extractive").counter("summaries");
            tokensIn = g.counter("llmTokensIn");
            tokensOut = g.counter("llmTokensOut");
            costMicroUsd = g.counter("llmCostMicroUsd");
            fallbacks = g.counter("llmFallbacks");
        }

        @Override
        public Summary map(Summary s) {
            boolean byModel = s.llmModel != null && !s.llmModel.isEmpty();
            (s.cacheHit ? cached : byModel ? llm : extractive).inc();
            tokensIn.inc(s.tokensIn);
            tokensOut.inc(s.tokensOut);
            costMicroUsd.inc(Math.round(s.costUsd * 1_000_000));
            if (s.fallbackReason != null && !s.fallbackReason.isEmpty()) {
                fallbacks.inc();
            }
            return s;
        }
    }

    /** Dead letters on their way to their topic, by where they were refused. */
    public static final class DeadLetters extends RichMapFunction<DeadLetter, DeadLetter> {
        private transient Map<String, Counter> byOrigin;

        @Override
        public void open(OpenContext ctx) {
            byOrigin = new HashMap<>();
        }

        @Override
        public DeadLetter map(DeadLetter d) {
            // the kind of origin only (kafka, upload, late-window): the full origin names a record
            String origin = d.origin == null ? "unknown" : d.origin.split("[:@/]", 2)[0];
            byOrigin.computeIfAbsent(
                            origin,
                            o -> getRuntimeContext()
                                    .getMetricGroup()
                                    .addGroup("origin", o)
                                    .counter("deadLetters"))
                    .inc();
            return d;
        }
    }
}
