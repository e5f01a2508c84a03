package dev.logai.flink;

import dev.logai.common.contract.KafkaClientOverrides;
import dev.logai.flink.archive.LineEncoder;
import dev.logai.flink.archive.OrgSourceDayBuckets;
import dev.logai.flink.deadletter.DeadLetter;
import dev.logai.flink.deadletter.DeadLetterSerializer;
import dev.logai.flink.ingest.DecodeBatches;
import dev.logai.flink.ingest.KafkaBatchDeserializer;
import dev.logai.flink.ingest.KafkaBatchRecord;
import dev.logai.flink.ingest.LogLine;
import dev.logai.flink.parse.LogRecord;
import dev.logai.flink.ingest.LineSourceKey;
import dev.logai.flink.parse.ParseSettings;
import dev.logai.flink.parse.ParseSourceLines;
import dev.logai.flink.sink.PostgresSettings;
import dev.logai.flink.sink.WindowStatsSink;
import dev.logai.flink.window.AssignEventTime;
import dev.logai.flink.window.EarlyFiringTrigger;
import dev.logai.flink.window.LateLines;
import dev.logai.flink.window.EmitWindowMetrics;
import dev.logai.flink.window.MergeWindowMetrics;
import dev.logai.flink.window.MetricsKey;
import dev.logai.flink.window.PreAggregateWindows;
import dev.logai.flink.window.ToRows;
import dev.logai.flink.window.WindowMetrics;
import dev.logai.flink.anomaly.Anomaly;
import dev.logai.flink.anomaly.AnomalySettings;
import dev.logai.flink.anomaly.DetectAnomalies;
import dev.logai.flink.sink.AnomalySink;
import dev.logai.flink.sink.SummarySink;
import dev.logai.flink.alert.AlertLifecycle;
import dev.logai.flink.alert.AlertSequences;
import dev.logai.flink.alert.JudgeWindowRules;
import dev.logai.flink.alert.MatchLineRules;
import dev.logai.flink.alert.rule.RuleBook;
import dev.logai.flink.alert.rule.RuleVerdict;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import dev.logai.flink.alert.NotifyAlerts;
import dev.logai.flink.alert.notify.Notifier;
import dev.logai.flink.alert.rule.AlertRuleDeserializer;
import dev.logai.flink.alert.rule.AlertRuleUpdate;
import dev.logai.flink.alert.rule.AlertTransition;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import dev.logai.flink.summary.FindingsKey;
import dev.logai.flink.summary.LlmSettings;
import dev.logai.flink.summary.SelectSummaryWindows;
import dev.logai.flink.summary.SummarizeWindows;
import dev.logai.flink.summary.Summary;
import dev.logai.flink.summary.SummaryRequest;
import dev.logai.flink.summary.SummarySettings;
import dev.logai.flink.summary.WindowFindings;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import dev.logai.flink.window.OrgSourceKey;
import dev.logai.flink.window.WindowSettings;
import dev.logai.flink.window.WindowStats;
import dev.logai.flink.window.PatternWindow;
import dev.logai.flink.template.MineTemplates;
import dev.logai.flink.sink.PatternWindowSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.PluginUtils;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.DefaultRollingPolicy;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LogAi pipeline, top to bottom:
 *
 * <pre>
 *   Kafka raw-lines ─▶ decode batches ─┬─▶ raw archive (S3: org/source/yyyy/mm/dd/, exactly once)
 *                         │            └─▶ key by org/source ─▶ parse (format learned per source,
 *                         │                 stack traces joined) ─▶ event time ─▶ key by org/source
 *                         │                 ─▶ mine templates ─┬─▶ match pattern rules, line by line (◀─ rules) ──────────┐
 *                         │                                    └─▶ pre-aggregate (in memory, flushed before               │
 *                         │                 each checkpoint) ─▶ tumbling window metrics per org/source ─┬─▶ window stats ─▶ Postgres
 *                         │                                        (levels, templates, services, latency) ├─▶ per-template counts ─▶ Postgres
 *                         │                                                                               └─▶ detect anomalies ─┬─▶ Postgres
 *                         │                  summaries (LLM via async I/O, or extractive) ◀─ select incident windows ◀─┤
 *                         │                        └─▶ Postgres                                                       │
 *                         │   alert rules topic ─▶ broadcast ─▶ judge window rules ◀─────────────────────────────────┘
 *                         │     ─▶ verdicts per org/source/rule ─▶ CEP: sustained, escalation, recovery ─▶ alert lifecycle (keyed state)
 *                         │     ─▶ with the pattern-rule alerts: send once: Slack, e-mail, webhooks (async) ─▶ Postgres
 *                         └─ unreadable ──┬─▶ dead-letter topic (with reason)
 *                               late lines ┘
 * </pre>
 *
 * {@link #main} only reads settings and builds the real Kafka source and sinks; the graph itself is
 * {@link #defineWorkflow}, which the tests call with the same sinks against real services.
 */
public final class LogPipelineJob {
    private static final Logger LOG = LoggerFactory.getLogger(LogPipelineJob.class);

    /** How often event time is published downstream. */
    static final long WATERMARK_INTERVAL_MS = 200;

    private LogPipelineJob() {}

    public static void main(String[] args) throws Exception {
        Configuration settings = PipelineOptions.fromEnvironment(System.getenv());
        Configuration flinkConfig = flinkConfiguration(settings);
        initializeFileSystems(flinkConfig);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConfig);
        if (settings.get(PipelineOptions.PARALLELISM) > 0) {
            env.setParallelism(settings.get(PipelineOptions.PARALLELISM));
        }
        defineWorkflow(env, settings);
        env.execute("logai-pipeline");
    }

    /** The whole graph with the real Kafka sources and sinks, all built from settings (main, tests, benchmarks). */
    public static void defineWorkflow(StreamExecutionEnvironment env, Configuration settings) {
        defineWorkflow(env, kafkaSource(settings), windowStatsSink(settings), patternWindowSink(settings),
                anomalySink(settings), summarySink(settings), deadLetterSink(settings), archiveSink(settings),
                alertRulesSource(settings), parseSettings(settings), windowSettings(settings), anomalySettings(settings),
                summarySettings(settings), llmSettings(settings, true), alertSettings(settings));
    }

    /** The whole streaming graph; sources and sinks are parameters so tests run exactly this. */
    public static void defineWorkflow(StreamExecutionEnvironment env, Source<KafkaBatchRecord, ?, ?> source,
            Sink<WindowStats> windowStatsSink, Sink<PatternWindow> patternWindowSink, Sink<Anomaly> anomalySink,
            Sink<Summary> summarySink, Sink<DeadLetter> deadLetterSink, Sink<LogLine> archiveSink,
            Source<AlertRuleUpdate, ?, ?> alertRules, ParseSettings parse, WindowSettings windows, AnomalySettings anomalies,
            SummarySettings summarySettings, LlmSettings llm, NotifyAlerts.Settings alerts) {
        SingleOutputStreamOperator<LogLine> lines = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), "raw-batches").uid("raw-batches")
                .process(new DecodeBatches()).name("decode-batches").uid("decode-batches");

        lines.sinkTo(archiveSink).name("raw-archive").uid("raw-archive");

        WindowOutputs outputs = windowOutputs(lines, parse, windows, anomalies);
        outputs.stats().sinkTo(windowStatsSink).name("window-stats-to-postgres").uid("window-stats-to-postgres");
        outputs.patterns().sinkTo(patternWindowSink).name("patterns-to-postgres").uid("patterns-to-postgres");
        outputs.anomalies().sinkTo(anomalySink).name("anomalies-to-postgres").uid("anomalies-to-postgres");
        summaries(outputs.findings(), summarySettings, llm)
                .sinkTo(summarySink).name("summaries-to-postgres").uid("summaries-to-postgres");

        DataStream<AlertTransition> transitions = alertTransitions(outputs, env
                .fromSource(alertRules, RULES_DO_NOT_HOLD_BACK_EVENT_TIME, "alert-rules").uid("alert-rules")
                // One reader for the one-partition topic: a reader without a partition would never
                // publish event time and so hold it back everywhere the rules go.
                .setParallelism(1)
                .broadcast(RuleBook.RULES));
        AsyncDataStream.unorderedWait(transitions, new NotifyAlerts(alerts), ALERT_SEND_TIMEOUT_MS, TimeUnit.MILLISECONDS,
                        alerts.threads())
                .name("send-alerts").uid("send-alerts")
                .sinkTo(new DiscardingSink<>()).name("alerts-sent").uid("alerts-sent");

        lines.getSideOutput(DecodeBatches.UNREADABLE)
                .union(outputs.late().map(new LateLines()).name("late-lines").uid("late-lines"))
                .sinkTo(deadLetterSink).name("dead-letters").uid("dead-letters");
    }

    /**
     * Alert rules on the pipeline: pattern rules line by line as lines are mined (within a second);
     * window rules on each judged window → verdicts → the sequences matched by Flink CEP → each
     * alert's lifecycle (dedup, throttle, escalate, resolve) in keyed state.
     */
    public static DataStream<AlertTransition> alertTransitions(WindowOutputs outputs, BroadcastStream<AlertRuleUpdate> rules) {
        // The mined lines are already partitioned by org/source (template mining is keyed so):
        // reinterpreted, not keyed again, so every line is not shuffled a second time.
        DataStream<AlertTransition> lineAlerts = DataStreamUtils.reinterpretAsKeyedStream(outputs.mined(), new OrgSourceKey())
                .connect(rules)
                .process(new MatchLineRules())
                .name("match-line-rules").uid("match-line-rules");
        DataStream<RuleVerdict> verdicts = outputs.findings()
                .keyBy(new FindingsKey())
                .connect(rules)
                .process(new JudgeWindowRules())
                .name("judge-window-rules").uid("judge-window-rules");
        DataStream<AlertTransition> windowAlerts = AlertSequences.signals(verdicts)
                .keyBy(s -> s.verdict.alertKey())
                .process(new AlertLifecycle())
                .name("alert-lifecycle").uid("alert-lifecycle");
        return windowAlerts.union(lineAlerts);
    }

    /**
     * Rules are not events: their input is idle for event time, always, so the operators they are
     * connected to keep the event time of the data. (Without watermarks it would hold event time at
     * its minimum forever, and the CEP sequences, which run in event time, would never match; with
     * the maximum it would push event time to the end whenever the data's input went idle, and
     * every later window would be late.)
     */
    static final WatermarkStrategy<AlertRuleUpdate> RULES_DO_NOT_HOLD_BACK_EVENT_TIME =
            WatermarkStrategy.forGenerator(ctx -> new WatermarkGenerator<>() {
                @Override
                public void onEvent(AlertRuleUpdate update, long timestamp, WatermarkOutput out) {}

                @Override
                public void onPeriodicEmit(WatermarkOutput out) {
                    out.markIdle();
                }
            });

    /**
     * What the windows emit: per-source statistics, per-template counts, anomalies, every judged
     * window with its anomalies (for summaries), and late lines.
     */
    public record WindowOutputs(DataStream<LogRecord> mined, DataStream<WindowStats> stats, DataStream<PatternWindow> patterns,
            DataStream<Anomaly> anomalies, DataStream<WindowFindings> findings, DataStream<LogRecord> late) {}

    /**
     * Judged windows → the interesting ones, grouped into incidents per (org, source) → summaries
     * through async I/O (unordered; bounded by capacity and timeout, the timeout yielding the
     * extractive summary, so an LLM outage never stops the job). Shared with {@code ./logai analyze}.
     */
    public static DataStream<Summary> summaries(DataStream<WindowFindings> findings, SummarySettings selection,
            LlmSettings llm) {
        DataStream<SummaryRequest> requests = findings
                .keyBy(new FindingsKey())
                .process(new SelectSummaryWindows(selection))
                .name("select-summary-windows").uid("select-summary-windows");
        return AsyncDataStream.unorderedWait(requests, new SummarizeWindows(llm), llm.timeout().toMillis(),
                        TimeUnit.MILLISECONDS, llm.capacity())
                .name("summarize").uid("summarize");
    }

    /**
     * Lines → records → templates → pre-aggregated per (org, source, window) → one tumbling
     * event-time window per (org, source) holding all its metrics → rows and anomalies. Shared with
     * {@code ./logai analyze}.
     */
    public static WindowOutputs windowOutputs(DataStream<LogLine> lines, ParseSettings parse, WindowSettings windows,
            AnomalySettings anomalySettings) {
        SingleOutputStreamOperator<LogRecord> mined = lines
                .keyBy(new LineSourceKey())
                .process(new ParseSourceLines(parse.learnWait().toMillis(), parse.multilineFlush().toMillis()))
                .name("parse").uid("parse-source-lines")
                .transform("event-time", TypeInformation.of(LogRecord.class), new AssignEventTime(
                        windows.outOfOrderness().toMillis(), windows.idleness().toMillis(), WATERMARK_INTERVAL_MS))
                .uid("event-time")
                .keyBy(new OrgSourceKey())
                .process(new MineTemplates())
                .name("mine-templates").uid("mine-templates");
        SingleOutputStreamOperator<WindowMetrics> partials = mined
                .transform("pre-aggregate", TypeInformation.of(WindowMetrics.class), new PreAggregateWindows(
                        windows.size().toMillis(), windows.allowedLateness().toMillis(),
                        windows.preAggregation().toMillis(), PRE_AGGREGATION_MAX_LINES))
                .uid("pre-aggregate");
        SingleOutputStreamOperator<WindowMetrics> metrics = partials
                .keyBy(new MetricsKey())
                .window(TumblingEventTimeWindows.of(windows.size()))
                .trigger(new EarlyFiringTrigger(windows.earlyFiring().toMillis()))
                .allowedLateness(windows.allowedLateness())
                .aggregate(new MergeWindowMetrics(), new EmitWindowMetrics())
                .name("window-metrics").uid("window-metrics");
        DataStream<WindowStats> stats = metrics.map(new ToRows.Stats()).name("window-stats").uid("window-stats");
        DataStream<PatternWindow> patterns = metrics.flatMap(new ToRows.Patterns())
                .name("pattern-windows").uid("pattern-windows");
        SingleOutputStreamOperator<Anomaly> anomalies = metrics
                .keyBy(new MetricsKey())
                .process(new DetectAnomalies(anomalySettings))
                .name("detect-anomalies").uid("detect-anomalies");
        return new WindowOutputs(mined, stats, patterns, anomalies, anomalies.getSideOutput(DetectAnomalies.FINDINGS),
                partials.getSideOutput(LateLines.TAG));
    }

    /** Longest a transition waits for its deliveries (each target: 3 attempts of at most the alert timeout, with backoff). */
    static final long ALERT_SEND_TIMEOUT_MS = 120_000;

    /** Lines buffered in the pre-aggregation before it flushes regardless of time. */
    static final int PRE_AGGREGATION_MAX_LINES = 50_000;

    public static ParseSettings parseSettings(Configuration settings) {
        return new ParseSettings(settings.get(PipelineOptions.PARSE_LEARN_WAIT), settings.get(PipelineOptions.PARSE_MULTILINE_FLUSH));
    }

    public static WindowSettings windowSettings(Configuration settings) {
        return new WindowSettings(settings.get(PipelineOptions.WINDOW_SIZE),
                settings.get(PipelineOptions.WINDOW_OUT_OF_ORDERNESS), settings.get(PipelineOptions.WINDOW_ALLOWED_LATENESS),
                settings.get(PipelineOptions.WINDOW_EARLY_FIRING), settings.get(PipelineOptions.WINDOW_IDLENESS),
                settings.get(PipelineOptions.WINDOW_PRE_AGGREGATION));
    }

    public static AnomalySettings anomalySettings(Configuration settings) {
        return new AnomalySettings(settings.get(PipelineOptions.ANOMALY_SENSITIVITY),
                AnomalySettings.parseOverrides(settings.get(PipelineOptions.ANOMALY_SENSITIVITY_OVERRIDES)),
                settings.get(PipelineOptions.ANOMALY_SEASONAL));
    }

    public static SummarySettings summarySettings(Configuration settings) {
        return new SummarySettings(settings.get(PipelineOptions.SUMMARY_ERROR_LINES),
                SummarySettings.parseOverrides(settings.get(PipelineOptions.SUMMARY_ERROR_LINES_OVERRIDES)),
                settings.get(PipelineOptions.SUMMARY_NEW_TEMPLATES), settings.get(PipelineOptions.SUMMARY_INCIDENT_GAP),
                settings.get(PipelineOptions.SUMMARY_REFRESH_WINDOWS), settings.get(PipelineOptions.SUMMARY_DIGEST),
                settings.get(PipelineOptions.SUMMARY_PROMPT_TOKENS));
    }

    /** {@code withDatabase}: cache, budgets and usage in Postgres; otherwise in memory ({@code ./logai analyze}). */
    public static LlmSettings llmSettings(Configuration settings, boolean withDatabase) {
        return new LlmSettings(settings.getOptional(PipelineOptions.LLM_BASE_URL).orElse(null),
                settings.get(PipelineOptions.LLM_API_KEY), settings.get(PipelineOptions.LLM_MODEL),
                settings.get(PipelineOptions.LLM_REQUEST_TIMEOUT), settings.get(PipelineOptions.LLM_TIMEOUT),
                settings.get(PipelineOptions.LLM_CAPACITY), settings.get(PipelineOptions.LLM_MAX_ATTEMPTS),
                settings.get(PipelineOptions.LLM_PRICES), LlmSettings.parseBudgets(settings.get(PipelineOptions.AI_BUDGETS)),
                withDatabase ? postgresSettings(settings) : null, settings.get(PipelineOptions.SUMMARY_PROMPT_TOKENS));
    }

    static PostgresSettings postgresSettings(Configuration settings) {
        return new PostgresSettings(settings.get(PipelineOptions.DB_URL), settings.get(PipelineOptions.DB_USER),
                settings.get(PipelineOptions.DB_PASSWORD), settings.get(PipelineOptions.DB_FLUSH_INTERVAL).toMillis(), 5_000);
    }

    /**
     * The rules topic from its start (a restore continues from the checkpoint, with the rules in
     * broadcast state). The topic is created compacted if missing, so the job can start first.
     */
    public static KafkaSource<AlertRuleUpdate> alertRulesSource(Configuration settings) {
        String topic = settings.get(PipelineOptions.KAFKA_ALERT_RULES_TOPIC);
        Properties props = new Properties();
        props.putAll(KafkaClientOverrides.parse(settings.get(PipelineOptions.KAFKA_CLIENT_PROPERTIES)));
        Properties admin = new Properties();
        admin.putAll(props);
        admin.put("bootstrap.servers", settings.get(PipelineOptions.KAFKA_BOOTSTRAP));
        try (org.apache.kafka.clients.admin.Admin a = org.apache.kafka.clients.admin.Admin.create(admin)) {
            a.createTopics(java.util.List.of(new org.apache.kafka.clients.admin.NewTopic(topic, Optional.of(1), Optional.empty())
                    .configs(java.util.Map.of("cleanup.policy", "compact")))).all().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw new IllegalStateException("Could not create the alert rules topic " + topic, e);
            }
        } catch (Exception e) {
            throw new IllegalStateException("Could not create the alert rules topic " + topic, e);
        }
        return KafkaSource.<AlertRuleUpdate>builder()
                .setBootstrapServers(settings.get(PipelineOptions.KAFKA_BOOTSTRAP))
                .setTopics(topic)
                .setGroupId(settings.get(PipelineOptions.KAFKA_GROUP_ID) + "-alert-rules")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new AlertRuleDeserializer())
                .setProperties(props)
                .build();
    }

    public static NotifyAlerts.Settings alertSettings(Configuration settings) {
        java.util.Set<String> slackHosts = new java.util.HashSet<>();
        for (String h : settings.get(PipelineOptions.ALERTS_SLACK_HOSTS).split(",")) {
            if (!h.isBlank()) slackHosts.add(h.strip());
        }
        Notifier.Smtp smtp = settings.getOptional(PipelineOptions.SMTP_HOST).map(host -> new Notifier.Smtp(host,
                settings.get(PipelineOptions.SMTP_PORT), settings.get(PipelineOptions.SMTP_USERNAME),
                settings.get(PipelineOptions.SMTP_PASSWORD), settings.get(PipelineOptions.SMTP_FROM),
                settings.get(PipelineOptions.SMTP_STARTTLS))).orElse(null);
        return new NotifyAlerts.Settings(postgresSettings(settings), new Notifier.Settings(
                settings.get(PipelineOptions.ALERTS_ALLOW_PRIVATE_TARGETS), slackHosts,
                settings.get(PipelineOptions.ALERTS_TIMEOUT), smtp), settings.get(PipelineOptions.DASHBOARD_URL), 4);
    }

    public static Sink<Summary> summarySink(Configuration settings) {
        return new SummarySink(postgresSettings(settings));
    }

    public static KafkaSource<KafkaBatchRecord> kafkaSource(Configuration settings) {
        Properties props = new Properties();
        props.putAll(KafkaClientOverrides.parse(settings.get(PipelineOptions.KAFKA_CLIENT_PROPERTIES)));
        props.setProperty("isolation.level", "read_committed");
        props.setProperty("commit.offsets.on.checkpoint", "true");
        return KafkaSource.<KafkaBatchRecord>builder()
                .setBootstrapServers(settings.get(PipelineOptions.KAFKA_BOOTSTRAP))
                .setTopics(settings.get(PipelineOptions.KAFKA_RAW_TOPIC))
                .setGroupId(settings.get(PipelineOptions.KAFKA_GROUP_ID))
                // First start: from the group's committed offsets, or the beginning; a restore uses the checkpoint.
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new KafkaBatchDeserializer())
                .setProperties(props)
                .build();
    }

    public static Sink<WindowStats> windowStatsSink(Configuration settings) {
        return new WindowStatsSink(new PostgresSettings(settings.get(PipelineOptions.DB_URL),
                settings.get(PipelineOptions.DB_USER), settings.get(PipelineOptions.DB_PASSWORD),
                settings.get(PipelineOptions.DB_FLUSH_INTERVAL).toMillis(), 5_000));
    }

    public static Sink<PatternWindow> patternWindowSink(Configuration settings) {
        return new PatternWindowSink(new PostgresSettings(settings.get(PipelineOptions.DB_URL),
                settings.get(PipelineOptions.DB_USER), settings.get(PipelineOptions.DB_PASSWORD),
                settings.get(PipelineOptions.DB_FLUSH_INTERVAL).toMillis(), 5_000));
    }

    public static Sink<Anomaly> anomalySink(Configuration settings) {
        return new AnomalySink(new PostgresSettings(settings.get(PipelineOptions.DB_URL),
                settings.get(PipelineOptions.DB_USER), settings.get(PipelineOptions.DB_PASSWORD),
                settings.get(PipelineOptions.DB_FLUSH_INTERVAL).toMillis(), 5_000));
    }

    public static Sink<DeadLetter> deadLetterSink(Configuration settings) {
        Properties props = new Properties();
        props.putAll(KafkaClientOverrides.parse(settings.get(PipelineOptions.KAFKA_CLIENT_PROPERTIES)));
        return KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(settings.get(PipelineOptions.KAFKA_BOOTSTRAP))
                .setRecordSerializer(new DeadLetterSerializer(settings.get(PipelineOptions.KAFKA_DEAD_LETTER_TOPIC)))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setKafkaProducerConfig(props)
                .build();
    }

    /**
     * Raw lines, exactly once: part files are committed only when a checkpoint completes, and a
     * restore discards what was written after it. Objects close at 128 MB, after 15 minutes, or after
     * 5 idle minutes (settings), so the archive holds a few large objects, not one per request.
     */
    public static Sink<LogLine> archiveSink(Configuration settings) {
        long inactivityMs = settings.get(PipelineOptions.ARCHIVE_INACTIVITY).toMillis();
        long rolloverMs = settings.get(PipelineOptions.ARCHIVE_ROLLOVER).toMillis();
        // The rolling policy is only consulted this often (Flink's default is 60 s, too coarse for
        // short intervals): half the shorter interval, between 1 s and 60 s.
        long checkIntervalMs = Math.max(1_000, Math.min(60_000, Math.min(inactivityMs, rolloverMs) / 2));
        return FileSink.forRowFormat(new org.apache.flink.core.fs.Path(PipelineOptions.archivePath(settings)),
                        new LineEncoder())
                .withBucketAssigner(new OrgSourceDayBuckets())
                .withRollingPolicy(DefaultRollingPolicy.builder()
                        .withRolloverInterval(settings.get(PipelineOptions.ARCHIVE_ROLLOVER))
                        .withInactivityInterval(settings.get(PipelineOptions.ARCHIVE_INACTIVITY))
                        .withMaxPartSize(settings.get(PipelineOptions.ARCHIVE_MAX_PART))
                        .build())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("lines").withPartSuffix(".log").build())
                .withBucketCheckInterval(checkIntervalMs)
                .build();
    }

    /**
     * Makes {@code s3://} known to a local run: file systems come from Flink plugins
     * ({@code FLINK_PLUGINS_DIR}), each with its own class loader. A cluster does this itself.
     */
    public static void initializeFileSystems(Configuration flinkConfig) {
        FileSystem.initialize(flinkConfig, PluginUtils.createPluginManagerFromRootFolder(flinkConfig));
    }

    /** An in-process Flink (MiniCluster) for one-shot local runs, listening on loopback only. */
    public static Configuration loopbackConfiguration() {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.HOST, "127.0.0.1");
        return conf;
    }

    /** Fault tolerance (RocksDB, checkpoints, restarts), the S3 file system and loopback binding. */
    public static Configuration flinkConfiguration(Configuration settings) throws IOException {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, settings.get(PipelineOptions.CHECKPOINT_DIR));
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, settings.get(PipelineOptions.CHECKPOINT_INTERVAL));
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, java.time.Duration.ofSeconds(1));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, java.time.Duration.ofMinutes(1));

        // A local run (MiniCluster) listens on loopback only; a cluster ignores these for the client.
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_PORT, "0"); // never collide with the services' ports
        conf.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(JobManagerOptions.ADDRESS, "127.0.0.1");
        conf.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.HOST, "127.0.0.1");

        settings.getOptional(PipelineOptions.S3_ENDPOINT).ifPresent(endpoint -> {
            conf.setString("s3.endpoint", endpoint);
            conf.setString("s3.path.style.access", "true");
        });
        conf.setString("s3.endpoint.region", settings.get(PipelineOptions.S3_REGION));
        // Never delete "directory marker" objects after a write: saves a request per object on AWS,
        // and S3-compatible stores backed by a file system cannot delete a non-empty "directory".
        conf.setString("s3.directory.marker.retention", "keep");
        settings.getOptional(PipelineOptions.S3_ACCESS_KEY).ifPresent(k -> conf.setString("s3.access-key", k));
        settings.getOptional(PipelineOptions.S3_SECRET_KEY).ifPresent(k -> conf.setString("s3.secret-key", k));

        if (settings.get(PipelineOptions.RESUME_LATEST_CHECKPOINT)) {
            latestCheckpoint(settings.get(PipelineOptions.CHECKPOINT_DIR)).ifPresent(path -> {
                LOG.info("Resuming from checkpoint {}", path);
                conf.set(StateRecoveryOptions.SAVEPOINT_PATH, path);
            });
        }
        return conf;
    }

    /** The newest completed checkpoint (a chk-N directory with _metadata) under a local directory. */
    static Optional<String> latestCheckpoint(String checkpointDir) throws IOException {
        Path root = Paths.get(java.net.URI.create(checkpointDir.startsWith("file:") ? checkpointDir : "file://" + checkpointDir));
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.find(root, 3, (p, attrs) -> p.getFileName().toString().equals("_metadata")
                && p.getParent().getFileName().toString().startsWith("chk-"))) {
            return files.max(Comparator.comparing(p -> p.toFile().lastModified()))
                    .map(p -> p.getParent().toUri().toString());
        }
    }
}
