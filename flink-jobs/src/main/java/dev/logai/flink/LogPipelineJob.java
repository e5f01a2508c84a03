package dev.logai.flink;

import dev.logai.flink.alert.AlertLifecycle;
import dev.logai.flink.alert.AlertSequences;
import dev.logai.flink.alert.JudgeWindowRules;
import dev.logai.flink.alert.MatchLineRules;
import dev.logai.flink.alert.NotifyAlerts;
import dev.logai.flink.alert.rule.AlertRuleUpdate;
import dev.logai.flink.alert.rule.AlertTransition;
import dev.logai.flink.alert.rule.RuleBook;
import dev.logai.flink.alert.rule.RuleVerdict;
import dev.logai.flink.alert.rule.RulesWatermarks;
import dev.logai.flink.anomaly.Anomaly;
import dev.logai.flink.anomaly.AnomalySettings;
import dev.logai.flink.anomaly.ApplyTenantSensitivity;
import dev.logai.flink.anomaly.DetectAnomalies;
import dev.logai.flink.anomaly.SensitivityUpdate;
import dev.logai.flink.archive.StreamedLinesOnly;
import dev.logai.flink.connector.PipelineTopics;
import dev.logai.flink.deadletter.DeadLetter;
import dev.logai.flink.ingest.BatchSourceKey;
import dev.logai.flink.ingest.DecodeBatches;
import dev.logai.flink.ingest.DecodedBatch;
import dev.logai.flink.ingest.DropRetriedBatches;
import dev.logai.flink.ingest.LineSourceKey;
import dev.logai.flink.ingest.LogLine;
import dev.logai.flink.ingest.SplitIntoLines;
import dev.logai.flink.parse.LogRecord;
import dev.logai.flink.parse.ParseSettings;
import dev.logai.flink.parse.ParseSourceLines;
import dev.logai.flink.runtime.FlinkRuntime;
import dev.logai.flink.runtime.StageMetrics;
import dev.logai.flink.summary.FindingsKey;
import dev.logai.flink.summary.LlmSettings;
import dev.logai.flink.summary.SelectSummaryWindows;
import dev.logai.flink.summary.SummarizeWindows;
import dev.logai.flink.summary.Summary;
import dev.logai.flink.summary.SummaryRequest;
import dev.logai.flink.summary.SummarySettings;
import dev.logai.flink.summary.WindowFindings;
import dev.logai.flink.template.MineTemplates;
import dev.logai.flink.template.TemplateMerge;
import dev.logai.flink.upload.ReadUploads;
import dev.logai.flink.upload.UploadSettings;
import dev.logai.flink.upload.UploadSourceKey;
import dev.logai.flink.upload.UploadTask;
import dev.logai.flink.window.LateLines;
import dev.logai.flink.window.MetricsKey;
import dev.logai.flink.window.OrgSourceKey;
import dev.logai.flink.window.PatternWindow;
import dev.logai.flink.window.SourceWindows;
import dev.logai.flink.window.ToRows;
import dev.logai.flink.window.WindowLateness;
import dev.logai.flink.window.WindowMetrics;
import dev.logai.flink.window.WindowSettings;
import dev.logai.flink.window.WindowStats;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The LogAi pipeline, top to bottom:
 *
 * <pre>
 *   Kafka raw-lines ─▶ decode batches ─┐
 *   Kafka uploads ─▶ key by org/source ─▶ read each upload from S3, one chunk per step (offset in state) ─┤
 *                         ┌───────────────────────────────────────────────────────────────────────────┘
 *                         └─▶ key by org/source ─▶ drop retried batches (same Idempotency-Key within 24 h)
 *                         │  ─▶ lines ─┬─▶ raw archive of streamed lines (S3: org/source/yyyy/mm/dd/, exactly once;
 *                         │            │   an uploaded object is already the archive of its lines)
 *                         │            └─▶ key by org/source ─▶ parse (format learned per source,
 *                         │                 stack traces joined) ─▶ event time ─▶ key by org/source
 *                         │                 ─▶ mine templates ─┬─▶ match pattern rules, line by line (◀─ rules) ──────────┐
 *                         │                                    ├─▶ templates generalised into another (merged_into) ─▶ Postgres
 *                         │                                    └─▶ pre-aggregate (in memory, flushed before               │
 *                         │                 each checkpoint) ─▶ tumbling window metrics per org/source ─┬─▶ window stats ─▶ Postgres
 *                         │                                        (levels, templates, services, latency) ├─▶ per-template counts ─▶ Postgres
 *                         │                                                                               └─▶ detect anomalies ─┬─▶ Postgres (◀─ tenants' sensitivity topic)
 *                         │                  summaries (LLM via async I/O, or extractive) ◀─ select incident windows ◀─┤
 *                         │                        └─▶ Postgres                                                       │
 *                         │   alert rules topic ─▶ broadcast ─▶ judge window rules ◀─────────────────────────────────┘
 *                         │     ─▶ verdicts per org/source/rule ─▶ CEP: sustained, escalation, recovery ─▶ alert lifecycle (keyed state)
 *                         │     ─▶ with the pattern-rule alerts: send once: Slack, e-mail, webhooks (async) ─▶ Postgres
 *                         └─ unreadable, retried batches ──┬─▶ dead-letter topic (with reason)
 *                                               late lines ┘
 * </pre>
 *
 * <p>This class is the table of contents: {@link #defineWorkflow} wires the stages in the order of
 * the diagram, and each stage below it is one short method. What it reads and writes is passed in
 * ({@link PipelineSources}, {@link PipelineSinks}: Kafka, Postgres and S3 in production, in-memory
 * collections in {@code PipelineTopologyTest}); how each stage is tuned is {@link PipelineSettings};
 * the Flink runtime around it (checkpoints, state backend, loopback) is {@link FlinkRuntime}.
 */
public final class LogPipelineJob {
    /** Longest a transition waits for its deliveries (each target: 3 attempts of at most the alert timeout, with backoff). */
    static final long ALERT_SEND_TIMEOUT_MS = 120_000;

    private LogPipelineJob() {}

    /** Runs the pipeline with the deployment's settings, read from {@code LOGAI_*} environment variables. */
    public static void main(String[] args) throws Exception {
        prepare(PipelineOptions.fromEnvironment(System.getenv())).execute("logai-pipeline");
    }

    /**
     * The pipeline of a deployment, ready to execute: its topics made if missing, the graph built
     * with the real sources and sinks in the runtime environment of {@link FlinkRuntime}. {@code
     * main} runs it; the end-to-end tests and {@code ./logai bench alerts} start it the same way.
     *
     * @throws IllegalArgumentException naming a bad setting; {@link IllegalStateException} when Kafka cannot be reached
     */
    public static StreamExecutionEnvironment prepare(Configuration config) throws IOException {
        PipelineTopics.ensureAlertRulesTopic(config);
        PipelineTopics.ensureAnomalySettingsTopic(config);
        PipelineTopics.ensureUploadsTopic(config);
        StreamExecutionEnvironment env = FlinkRuntime.pipelineEnvironment(config);
        defineWorkflow(
                env,
                PipelineSources.fromSettings(config),
                PipelineSinks.fromSettings(config),
                PipelineSettings.from(config));
        return env;
    }

    /** The whole streaming graph, as in the diagram above; main, the tests and the benchmarks all run exactly this. */
    public static void defineWorkflow(
            StreamExecutionEnvironment env, PipelineSources sources, PipelineSinks sinks, PipelineSettings settings) {
        AcceptedLines accepted = acceptedLines(env, sources, settings.uploads());
        DataStream<LogLine> lines = accepted.lines();
        lines.filter(new StreamedLinesOnly())
                .name("streamed-lines")
                .uid("streamed-lines")
                .sinkTo(sinks.archive())
                .name("raw-archive")
                .uid("raw-archive");

        // The accepted lines leave the dedup step partitioned by org/source already: reinterpreted,
        // not keyed again, so parsing, mining and windows run in the same task as the dedup, and no
        // line is serialized between them.
        WindowOutputs windows = windowOutputs(
                DataStreamUtils.reinterpretAsKeyedStream(lines, new LineSourceKey()),
                settings.parse(),
                settings.windows(),
                settings.anomalies(),
                tenantSensitivity(env, sources));
        windows.stats()
                .map(new StageMetrics.Windows())
                .name("meter-windows")
                .uid("meter-windows")
                .sinkTo(sinks.windowStats())
                .name("window-stats-to-postgres")
                .uid("window-stats-to-postgres");
        windows.lateness()
                .sinkTo(sinks.windowLateness())
                .name("late-lines-to-postgres")
                .uid("late-lines-to-postgres");
        windows.patterns()
                .sinkTo(sinks.patternWindows())
                .name("patterns-to-postgres")
                .uid("patterns-to-postgres");
        windows.merges()
                .sinkTo(sinks.patternMerges())
                .name("pattern-merges-to-postgres")
                .uid("pattern-merges-to-postgres");
        windows.anomalies()
                .map(new StageMetrics.Anomalies())
                .name("meter-anomalies")
                .uid("meter-anomalies")
                .sinkTo(sinks.anomalies())
                .name("anomalies-to-postgres")
                .uid("anomalies-to-postgres");

        summaries(windows.findings(), settings.summaries(), settings.llm())
                .map(new StageMetrics.Summaries())
                .name("meter-summaries")
                .uid("meter-summaries")
                .sinkTo(sinks.summaries())
                .name("summaries-to-postgres")
                .uid("summaries-to-postgres");

        sendAlerts(alertTransitions(windows, alertRules(env, sources)), settings.alerts());

        accepted.refused()
                .union(windows.late().map(new LateLines()).name("late-lines").uid("late-lines"))
                .map(new StageMetrics.DeadLetters())
                .name("meter-dead-letters")
                .uid("meter-dead-letters")
                .sinkTo(sinks.deadLetters())
                .name("dead-letters")
                .uid("dead-letters");
    }

    /**
     * The lines the gateway accepted, each request once, and the records refused on the way as
     * dead letters: unreadable records and retried batches.
     */
    record AcceptedLines(DataStream<LogLine> lines, DataStream<DeadLetter> refused) {}

    /**
     * Kafka records → batches (unreadable ones refused), with the chunks read from registered
     * uploads → key by org/source → retried batches dropped (same {@code Idempotency-Key} within
     * 24 h; refused) → lines. Retries are dropped while the batch is whole and before the archive
     * and the parser, so they count nowhere.
     */
    static AcceptedLines acceptedLines(
            StreamExecutionEnvironment env, PipelineSources sources, UploadSettings uploadSettings) {
        SingleOutputStreamOperator<DecodedBatch> batches = env.fromSource(
                        sources.rawBatches(), WatermarkStrategy.noWatermarks(), "raw-batches")
                .uid("raw-batches")
                .process(new DecodeBatches())
                .name("decode-batches")
                .uid("decode-batches");
        DataStream<DecodedBatch> all = sources.uploads() == null
                ? batches
                : batches.union(uploadedBatches(env, sources.uploads(), uploadSettings));
        // The lines leave partitioned by the same org/source string LineSourceKey gives (which
        // defineWorkflow relies on: it reinterprets them as keyed, without a shuffle).
        SingleOutputStreamOperator<DecodedBatch> firstSeen = all.keyBy(new BatchSourceKey())
                .process(new DropRetriedBatches())
                .name("drop-retried-batches")
                .uid("drop-retried-batches");
        DataStream<LogLine> lines =
                firstSeen.flatMap(new SplitIntoLines()).name("split-lines").uid("split-lines");
        return new AcceptedLines(
                lines,
                batches.getSideOutput(DecodeBatches.UNREADABLE)
                        .union(firstSeen.getSideOutput(DropRetriedBatches.RETRIED)));
    }

    /**
     * Registered uploads → key by org/source (one upload of a source at a time) → the next chunk of
     * the current upload read from S3 each step (plain or gzip, bounded memory, the offset in keyed
     * state) → one batch per chunk, as if a gateway request: uploaded lines join the streamed ones
     * before the dedup, parsing and everything after.
     */
    static DataStream<DecodedBatch> uploadedBatches(
            StreamExecutionEnvironment env, Source<UploadTask, ?, ?> uploads, UploadSettings settings) {
        return env.fromSource(uploads, WatermarkStrategy.noWatermarks(), "uploads")
                .uid("uploads")
                .keyBy(new UploadSourceKey())
                .process(new ReadUploads(settings))
                .name("read-uploads")
                .uid("read-uploads");
    }

    /**
     * What the windows emit: the mined lines, per-source statistics, per-template counts, templates
     * generalised into another ({@link TemplateMerge}),
     * anomalies, every judged window with its anomalies (for summaries and alerts), late lines (past
     * their own source's allowed lateness) and their running count per window.
     */
    public record WindowOutputs(
            DataStream<LogRecord> mined,
            DataStream<WindowStats> stats,
            DataStream<PatternWindow> patterns,
            DataStream<TemplateMerge> merges,
            DataStream<Anomaly> anomalies,
            DataStream<WindowFindings> findings,
            DataStream<LogRecord> late,
            DataStream<WindowLateness> lateness) {}

    /**
     * Lines → records (format learned per source, stack traces joined) → templates → tumbling
     * windows per (org, source) on that source's own event-time clock, each holding all its metrics
     * → rows and anomalies. Shared with {@code ./logai analyze}.
     */
    public static WindowOutputs windowOutputs(
            DataStream<LogLine> lines, ParseSettings parse, WindowSettings windows, AnomalySettings anomalySettings) {
        return windowOutputs(lines.keyBy(new LineSourceKey()), parse, windows, anomalySettings);
    }

    /**
     * As above, for lines already keyed by org/source ({@link LineSourceKey}). Parsing, mining and
     * the windows are keyed by the same org/source string, so each stage reinterprets the previous
     * one's output as keyed instead of shuffling every line again: the three run chained in one task.
     */
    public static WindowOutputs windowOutputs(
            KeyedStream<LogLine, String> lines,
            ParseSettings parse,
            WindowSettings windows,
            AnomalySettings anomalySettings) {
        return windowOutputs(lines, parse, windows, anomalySettings, null);
    }

    /**
     * As above, with the tenants' own anomaly sensitivity ({@link ApplyTenantSensitivity}) stamped
     * on each window before detection; {@code tenantSensitivity} null: the deployment's only.
     */
    public static WindowOutputs windowOutputs(
            KeyedStream<LogLine, String> lines,
            ParseSettings parse,
            WindowSettings windows,
            AnomalySettings anomalySettings,
            BroadcastStream<SensitivityUpdate> tenantSensitivity) {
        SingleOutputStreamOperator<LogRecord> parsed =
                lines.process(new ParseSourceLines(parse)).name("parse").uid("parse-source-lines");
        SingleOutputStreamOperator<LogRecord> mined = DataStreamUtils.reinterpretAsKeyedStream(
                        parsed, new OrgSourceKey())
                .process(new MineTemplates())
                .name("mine-templates")
                .uid("mine-templates");
        SingleOutputStreamOperator<WindowMetrics> metrics = DataStreamUtils.reinterpretAsKeyedStream(
                        mined, new OrgSourceKey())
                .transform(
                        "source-windows",
                        TypeInformation.of(WindowMetrics.class),
                        new SourceWindows(
                                windows.size().toMillis(),
                                windows.outOfOrderness().toMillis(),
                                windows.allowedLateness().toMillis(),
                                windows.earlyFiring().toMillis(),
                                windows.idleness().toMillis(),
                                windows.clockTtl().toMillis()))
                .uid("source-windows");
        DataStream<WindowStats> stats =
                metrics.map(new ToRows.Stats()).name("window-stats").uid("window-stats");
        DataStream<PatternWindow> patterns =
                metrics.flatMap(new ToRows.Patterns()).name("pattern-windows").uid("pattern-windows");
        DataStream<WindowMetrics> toJudge = tenantSensitivity == null
                ? metrics
                : metrics.connect(tenantSensitivity)
                        .process(new ApplyTenantSensitivity())
                        .name("apply-tenant-sensitivity")
                        .uid("apply-tenant-sensitivity");
        SingleOutputStreamOperator<Anomaly> anomalies = toJudge.keyBy(new MetricsKey())
                .process(new DetectAnomalies(anomalySettings))
                .name("detect-anomalies")
                .uid("detect-anomalies");
        return new WindowOutputs(
                mined,
                stats,
                patterns,
                mined.getSideOutput(MineTemplates.MERGES),
                anomalies,
                anomalies.getSideOutput(DetectAnomalies.FINDINGS),
                metrics.getSideOutput(LateLines.TAG),
                metrics.getSideOutput(SourceWindows.LATENESS));
    }

    /**
     * Judged windows → the interesting ones, grouped into incidents per (org, source) → summaries
     * through async I/O (unordered; bounded by capacity and timeout, the timeout yielding the
     * extractive summary, so an LLM outage never stops the job). Shared with {@code ./logai analyze}.
     */
    public static DataStream<Summary> summaries(
            DataStream<WindowFindings> findings, SummarySettings selection, LlmSettings llm) {
        DataStream<SummaryRequest> requests = findings.keyBy(new FindingsKey())
                .process(new SelectSummaryWindows(selection))
                .name("select-summary-windows")
                .uid("select-summary-windows");
        return AsyncDataStream.unorderedWait(
                        requests,
                        new SummarizeWindows(llm),
                        llm.timeout().toMillis(),
                        TimeUnit.MILLISECONDS,
                        // requests an org queues past its share wait inside SummarizeWindows'
                        // fair dispatch, not in the operator: room for them, so they block no one
                        llm.capacity() * SummarizeWindows.QUEUED_PER_THREAD)
                .name("summarize")
                .uid("summarize");
    }

    /** Every change to a tenant's anomaly sensitivity, broadcast; null when the job reads none. */
    static BroadcastStream<SensitivityUpdate> tenantSensitivity(
            StreamExecutionEnvironment env, PipelineSources sources) {
        if (sources.anomalySettings() == null) {
            return null;
        }
        return env.fromSource(sources.anomalySettings(), RulesWatermarks.alwaysIdle(), "anomaly-settings")
                .uid("anomaly-settings")
                .setParallelism(1)
                .broadcast(ApplyTenantSensitivity.SETTINGS);
    }

    /** Every alert-rule change, broadcast to the evaluators; the input never holds back event time. */
    static BroadcastStream<AlertRuleUpdate> alertRules(StreamExecutionEnvironment env, PipelineSources sources) {
        return env.fromSource(sources.alertRules(), RulesWatermarks.alwaysIdle(), "alert-rules")
                .uid("alert-rules")
                // One reader for the one-partition topic: a reader without a partition would never
                // publish event time and so hold it back everywhere the rules go.
                .setParallelism(1)
                .broadcast(RuleBook.RULES);
    }

    /**
     * Alert rules on the pipeline: pattern rules line by line as lines are mined (within a second);
     * window rules on each judged window → verdicts → the sequences matched by Flink CEP → each
     * alert's lifecycle (dedup, throttle, escalate, resolve) in keyed state.
     */
    public static DataStream<AlertTransition> alertTransitions(
            WindowOutputs windows, BroadcastStream<AlertRuleUpdate> rules) {
        // The mined lines are already partitioned by org/source (template mining is keyed so):
        // reinterpreted, not keyed again, so every line is not shuffled a second time.
        DataStream<AlertTransition> lineAlerts = DataStreamUtils.reinterpretAsKeyedStream(
                        windows.mined(), new OrgSourceKey())
                .connect(rules)
                .process(new MatchLineRules())
                .name("match-line-rules")
                .uid("match-line-rules");
        DataStream<RuleVerdict> verdicts = windows.findings()
                .keyBy(new FindingsKey())
                .connect(rules)
                .process(new JudgeWindowRules())
                .name("judge-window-rules")
                .uid("judge-window-rules");
        DataStream<AlertTransition> windowAlerts = AlertSequences.signals(verdicts)
                .keyBy(s -> s.verdict.alertKey())
                .process(new AlertLifecycle())
                .name("alert-lifecycle")
                .uid("alert-lifecycle");
        return windowAlerts.union(lineAlerts);
    }

    /** Each transition sent once to Slack, e-mail and webhooks (async I/O), its outcome recorded in Postgres. */
    static void sendAlerts(DataStream<AlertTransition> transitions, NotifyAlerts.Settings alerts) {
        AsyncDataStream.unorderedWait(
                        transitions,
                        new NotifyAlerts(alerts),
                        ALERT_SEND_TIMEOUT_MS,
                        TimeUnit.MILLISECONDS,
                        alerts.threads())
                .name("send-alerts")
                .uid("send-alerts")
                .sinkTo(new DiscardingSink<>())
                .name("alerts-sent")
                .uid("alerts-sent");
    }
}
