package dev.logai.tools.bench;

import dev.logai.common.contract.LogBatchCodec;
import dev.logai.flink.LogPipelineJob;
import dev.logai.flink.PipelineOptions;
import dev.logai.flink.PipelineSettings;
import dev.logai.flink.PipelineSinks;
import dev.logai.flink.PipelineSources;
import dev.logai.flink.alert.NotifyAlerts;
import dev.logai.flink.alert.rule.AlertRuleDeserializer;
import dev.logai.flink.alert.rule.AlertRuleUpdate;
import dev.logai.flink.anomaly.AnomalySettings;
import dev.logai.flink.ingest.DecodeBatches;
import dev.logai.flink.ingest.KafkaBatchDeserializer;
import dev.logai.flink.ingest.KafkaBatchRecord;
import dev.logai.flink.ingest.LineSourceKey;
import dev.logai.flink.ingest.LogLine;
import dev.logai.flink.ingest.SplitIntoLines;
import dev.logai.flink.parse.ParseSettings;
import dev.logai.flink.runtime.FlinkRuntime;
import dev.logai.flink.summary.LlmSettings;
import dev.logai.flink.summary.SummarySettings;
import dev.logai.flink.window.WindowSettings;
import dev.logai.localstack.EmbeddedKafka;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code ./logai bench pipeline [--lines N] [--rounds N]}: the whole job — decode, drop retries,
 * parse, mine, windows, detect, summaries (extractive), alert rules — in lines/s per core, beside
 * a count-only job over the same Kafka records in the same run.
 *
 * <p>A Kafka broker of the local stack ({@link EmbeddedKafka}, in this process) holds a raw-lines
 * topic of two partitions, filled once with {@link PipelineRecords}: gateway batches as the gateway
 * writes them (key org/source, zstd, {@link LogBatchCodec}). Then, on a MiniCluster with parallelism
 * 2 and the production runtime ({@link FlinkRuntime}: RocksDB, incremental checkpoints), the two
 * jobs alternate, each reading the whole topic through a bounded Kafka source:
 *
 * <ul>
 *   <li><b>pipeline</b>: {@link LogPipelineJob#defineWorkflow} with the production settings, no LLM
 *       (extractive summaries), one alert rule that never fires, and sinks that count and discard —
 *       so it measures the job, not Postgres, S3 or Kafka writes;
 *   <li><b>count-only</b>: the same records → decoded batches → lines → key by org/source →
 *       tumbling one-minute event-time windows (Flink's window operator, the gateway's receive
 *       time as event time, 30 s out-of-orderness) → a count → discarded.
 * </ul>
 *
 * Each job's time runs from its first record read to the end of input at its last sink ({@link
 * Tally}); lines/s per core divides by the cores the job used, min(parallelism, processors).
 */
public final class PipelineBenchmark {
    static final long DEFAULT_LINES = 1_000_000;
    static final int DEFAULT_ROUNDS = 3;
    static final int PARALLELISM = 2;
    static final String RAW_TOPIC = "bench.raw-lines";
    static final String RULES_TOPIC = "bench.alert-rules";
    static final long SEED = 42;
    /** Shorter than production's 30 s so that a round of ~20 s includes checkpoints. */
    static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(10);

    /** The pipeline's sinks: window stats, lateness, patterns, anomalies, summaries, dead letters, archive. */
    private static final int PIPELINE_SINKS = 8;

    private PipelineBenchmark() {}

    public static void main(String[] args) throws Exception {
        long lines = DEFAULT_LINES;
        int rounds = DEFAULT_ROUNDS;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--lines") && i + 1 < args.length) {
                lines = Long.parseLong(args[++i]);
            } else if (args[i].equals("--rounds") && i + 1 < args.length) {
                rounds = Integer.parseInt(args[++i]);
            } else {
                System.err.println("usage: ./logai bench pipeline [--lines 1000000] [--rounds 3]");
                System.exit(2);
            }
        }
        int cores = Math.min(PARALLELISM, Runtime.getRuntime().availableProcessors());
        Path dir = BenchDirectory.create("logai-bench-pipeline");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            createTopics(kafka);
            long fillStart = System.nanoTime();
            Filled filled = fill(kafka.bootstrapServers(), lines);
            PipelineRecords.Totals t = filled.totals();
            System.out.printf(
                    Locale.ROOT,
                    "pipeline benchmark: %,d lines (%,d events) in %,d gateway batches of %d-%d lines, %d sources in %d"
                            + " orgs, 7 formats, clocks up to 3 days behind and one 3 min ahead, %d retried batches;"
                            + " topic %s, 2 partitions (%s lines), zstd; filled in %.0f s%n",
                    t.lines(),
                    t.events(),
                    t.batches(),
                    PipelineRecords.MIN_BATCH_LINES,
                    PipelineRecords.MAX_BATCH_LINES,
                    PipelineRecords.SOURCES,
                    PipelineRecords.ORGS,
                    t.retriedBatches(),
                    RAW_TOPIC,
                    filled.perPartition(),
                    (System.nanoTime() - fillStart) / 1e9);
            System.out.printf(
                    Locale.ROOT,
                    "jobs: Flink MiniCluster, parallelism %d, RocksDB, checkpoints every %d s, bounded Kafka source;"
                            + " sinks count and discard (no Postgres, S3 or dead-letter writes), no LLM (extractive"
                            + " summaries), one alert rule that never fires; lines/s per core = lines / s / %d cores"
                            + " (min(parallelism %d, %d processors)); time from the first record read to the end of"
                            + " input at the last sink%n",
                    PARALLELISM,
                    CHECKPOINT_INTERVAL.toSeconds(),
                    cores,
                    PARALLELISM,
                    Runtime.getRuntime().availableProcessors());
            Configuration settings = settings(kafka.bootstrapServers(), dir);

            double warmPipeline = t.lines() / runPipeline(settings, "warm-up") / cores;
            double warmCount = t.lines() / runCountOnly(settings, "warm-up") / cores;
            System.out.printf(
                    Locale.ROOT,
                    "  warm-up   pipeline %s lines/s per core   count-only %s lines/s per core%n",
                    ParseBenchmark.human(warmPipeline),
                    ParseBenchmark.human(warmCount));
            double[] pipeline = new double[rounds];
            double[] count = new double[rounds];
            double[] ratio = new double[rounds];
            String check = "";
            long counted = 0;
            for (int i = 0; i < rounds; i++) {
                double p = runPipeline(settings, "round-" + i);
                check = pipelineCheck(t);
                double c = runCountOnly(settings, "round-" + i);
                counted = Tally.count("count-only");
                pipeline[i] = t.lines() / p / cores;
                count[i] = t.lines() / c / cores;
                ratio[i] = pipeline[i] / count[i];
                System.out.printf(
                        Locale.ROOT,
                        "  round %d   pipeline %s lines/s per core (%.1f s)   count-only %s lines/s per core (%.1f s)"
                                + "   ratio %.2f%n",
                        i + 1,
                        ParseBenchmark.human(pipeline[i]),
                        p,
                        ParseBenchmark.human(count[i]),
                        c,
                        ratio[i]);
            }
            System.out.println("  pipeline output (last round): " + check);
            System.out.printf(
                    Locale.ROOT, "  count-only output (last round): %,d of %,d lines counted%n", counted, t.lines());
            System.out.printf(
                    Locale.ROOT,
                    "  medians of %d rounds, lines/s per core (goals: pipeline >= 100k, ratio >= 0.5):%n",
                    rounds);
            System.out.printf(
                    Locale.ROOT,
                    "average pipeline_lines_per_s=%.0f count_only_lines_per_s=%.0f ratio=%.2f%n",
                    median(pipeline),
                    median(count),
                    median(ratio));
        } finally {
            BenchDirectory.deleteTree(dir);
        }
        System.out.flush();
        // Flink's shutdown hooks would run after its classes are gone; everything is closed already.
        Runtime.getRuntime().halt(0);
    }

    /** The deployment settings the runtime is built from, as {@code ./logai up} would pass them. */
    static Configuration settings(String bootstrap, Path dir) {
        Configuration c = new Configuration();
        c.set(PipelineOptions.KAFKA_BOOTSTRAP, bootstrap);
        c.set(PipelineOptions.PARALLELISM, PARALLELISM);
        c.set(PipelineOptions.CHECKPOINT_INTERVAL, CHECKPOINT_INTERVAL);
        c.set(PipelineOptions.CHECKPOINT_DIR, dir.resolve("checkpoints").toUri().toString());
        return c;
    }

    /** Runs the whole job once over the topic; returns its seconds. */
    static double runPipeline(Configuration settings, String run) throws Exception {
        StreamExecutionEnvironment env = FlinkRuntime.pipelineEnvironment(settings);
        LogPipelineJob.defineWorkflow(
                env,
                new PipelineSources(rawBatches(settings, "bench-pipeline-" + run), alertRules(settings, run)),
                new PipelineSinks(
                        Tally.windowStats("window-stats"),
                        Tally.counting("window-lateness"),
                        Tally.counting("pattern-windows"),
                        Tally.counting("pattern-merges"),
                        Tally.counting("anomalies"),
                        Tally.counting("summaries"),
                        Tally.counting("dead-letters"),
                        Tally.counting("archive")),
                pipelineSettings(settings));
        return time(env, "bench-pipeline-" + run, PIPELINE_SINKS * PARALLELISM);
    }

    /** Production settings, except: no LLM (extractive summaries) and no database for LLM budgets. */
    static PipelineSettings pipelineSettings(Configuration config) {
        return new PipelineSettings(
                ParseSettings.from(config),
                WindowSettings.from(config),
                AnomalySettings.from(config),
                SummarySettings.from(config),
                LlmSettings.from(config, false),
                NotifyAlerts.Settings.from(config),
                dev.logai.flink.upload.UploadSettings.from(config));
    }

    /** Runs the count-only job once over the topic; returns its seconds. */
    static double runCountOnly(Configuration settings, String run) throws Exception {
        StreamExecutionEnvironment env = FlinkRuntime.pipelineEnvironment(settings);
        env.fromSource(rawBatches(settings, "bench-count-only-" + run), WatermarkStrategy.noWatermarks(), "raw-batches")
                .process(new DecodeBatches())
                .flatMap(new SplitIntoLines())
                .assignTimestampsAndWatermarks(
                        WatermarkStrategy.<LogLine>forBoundedOutOfOrderness(Duration.ofSeconds(30))
                                .withTimestampAssigner((line, ts) -> line.receivedAt))
                .keyBy(new LineSourceKey())
                .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
                .aggregate(new CountElements<LogLine>())
                .sinkTo(Tally.counting("count-only", (Long n) -> n));
        return time(env, "bench-count-only-" + run, PARALLELISM);
    }

    /**
     * Executes the job and returns the seconds from its first record read to the end of input at
     * its last sink; then cancels it rather than wait for the final checkpoint of a bounded job.
     */
    private static double time(StreamExecutionEnvironment env, String name, int sinkWriters) throws Exception {
        Tally.reset();
        JobClient job = env.executeAsync(name);
        CompletableFuture<JobExecutionResult> result = job.getJobExecutionResult();
        while (Tally.ended() < sinkWriters) {
            if (result.isDone()) {
                result.get(); // throws when the job failed
                break;
            }
            Thread.sleep(10);
        }
        double seconds = Tally.seconds();
        if (!result.isDone()) {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
        try {
            result.get(60, TimeUnit.SECONDS);
        } catch (Exception cancelled) {
            // expected: the job was cancelled after its input ended
        }
        return seconds;
    }

    /** What the last pipeline run produced, against what the topic holds. */
    private static String pipelineCheck(PipelineRecords.Totals t) {
        return String.format(
                Locale.ROOT,
                "archive %,d of %,d accepted lines; %,d complete windows holding %,d of %,d accepted events;"
                        + " %,d window-stat rows, %,d pattern rows, %,d anomalies, %,d summaries, %,d dead letters"
                        + " (%,d retried batches expected)",
                Tally.count("archive"),
                t.acceptedLines(),
                Tally.completeWindows(),
                Tally.completeWindowEvents(),
                t.acceptedEvents(),
                Tally.count("window-stats"),
                Tally.count("pattern-windows"),
                Tally.count("anomalies"),
                Tally.count("summaries"),
                Tally.count("dead-letters"),
                t.retriedBatches());
    }

    /**
     * The raw-lines topic from its start to its end at the job's start, built as {@code
     * Connectors.rawBatches} builds the production source (read committed, the same deserializer).
     */
    static KafkaSource<KafkaBatchRecord> rawBatches(Configuration config, String groupId) {
        Properties props = new Properties();
        props.setProperty("isolation.level", "read_committed");
        return KafkaSource.<KafkaBatchRecord>builder()
                .setBootstrapServers(config.get(PipelineOptions.KAFKA_BOOTSTRAP))
                .setTopics(RAW_TOPIC)
                .setGroupId(groupId)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .setDeserializer(new TimedBatchDeserializer())
                .setProperties(props)
                .build();
    }

    /** The rules topic (one rule), bounded. */
    static KafkaSource<AlertRuleUpdate> alertRules(Configuration config, String run) {
        return KafkaSource.<AlertRuleUpdate>builder()
                .setBootstrapServers(config.get(PipelineOptions.KAFKA_BOOTSTRAP))
                .setTopics(RULES_TOPIC)
                .setGroupId("bench-alert-rules-" + run)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .setDeserializer(new AlertRuleDeserializer())
                .build();
    }

    /** The production deserializer, noting when the first record was read. */
    static final class TimedBatchDeserializer implements KafkaRecordDeserializationSchema<KafkaBatchRecord> {
        private final KafkaBatchDeserializer delegate = new KafkaBatchDeserializer();

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<KafkaBatchRecord> out)
                throws IOException {
            Tally.read();
            delegate.deserialize(record, out);
        }

        @Override
        public TypeInformation<KafkaBatchRecord> getProducedType() {
            return delegate.getProducedType();
        }
    }

    private static void createTopics(EmbeddedKafka kafka) throws Exception {
        Map<String, String> raw = Map.of(
                "max.message.bytes", String.valueOf(EmbeddedKafka.MAX_MESSAGE_BYTES),
                // The local broker syncs every record to disk (a 202 must survive a crash); filling
                // the topic is not what is measured.
                "flush.messages", String.valueOf(Long.MAX_VALUE));
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(
                            new NewTopic(RAW_TOPIC, 2, (short) 1).configs(raw),
                            new NewTopic(RULES_TOPIC, 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    record Filled(PipelineRecords.Totals totals, String perPartition) {}

    /** Writes the generated batches as the gateway does (key org/source, zstd), and the one rule. */
    static Filled fill(String bootstrap, long lines) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.COMPRESSION_TYPE_CONFIG,
                "zstd",
                ProducerConfig.LINGER_MS_CONFIG,
                2,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                EmbeddedKafka.MAX_MESSAGE_BYTES);
        Map<Integer, LongAdder> perPartition = new ConcurrentHashMap<>();
        PipelineRecords.Totals totals;
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            RULES_TOPIC, "rule_bench", ruleJson().getBytes()))
                    .get();
            totals = PipelineRecords.generate(lines, System.currentTimeMillis(), SEED, b -> {
                int n = b.batch().lines().size();
                producer.send(
                        new ProducerRecord<>(RAW_TOPIC, b.batch().kafkaKey(), LogBatchCodec.encode(b.batch())),
                        (metadata, e) -> {
                            if (e != null) {
                                throw new IllegalStateException("Could not fill the topic", e);
                            }
                            perPartition
                                    .computeIfAbsent(metadata.partition(), p -> new LongAdder())
                                    .add(n);
                        });
            });
            producer.flush();
        }
        String split = perPartition.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> String.format(Locale.ROOT, "%,d", e.getValue().sum()))
                .reduce((a, b) -> a + " / " + b)
                .orElse("none");
        return new Filled(totals, split);
    }

    /**
     * A window rule of one org, as the query API writes it to the rules topic: every window of the
     * org's sources is judged (and its verdict goes through CEP and the lifecycle), none breaches,
     * so nothing is sent (sending records the outcome in Postgres, which this benchmark leaves out).
     */
    static String ruleJson() {
        return "{\"id\":\"rule_bench\",\"org_id\":\"org_bench_0\",\"name\":\"error flood\",\"condition\":"
                + "{\"metric\":\"error_count\",\"op\":\">\",\"threshold\":1000000,\"window\":\"1m\"},"
                + "\"channels\":{\"webhook\":[\"https://198.51.100.7/hook\"]},\"is_active\":true,"
                + "\"version\":1,\"signing_secret\":\"whsec_bench\"}";
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
