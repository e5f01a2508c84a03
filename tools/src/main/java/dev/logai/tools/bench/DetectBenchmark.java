package dev.logai.tools.bench;

import dev.logai.flink.anomaly.AnomalySettings;
import dev.logai.flink.anomaly.DetectAnomalies;
import dev.logai.flink.anomaly.DetectorSettings;
import dev.logai.flink.anomaly.EwmDetector;
import dev.logai.flink.anomaly.RateShift;
import dev.logai.flink.anomaly.SeriesDetector;
import dev.logai.flink.parse.Level;
import dev.logai.flink.parse.LogRecord;
import dev.logai.flink.runtime.FlinkRuntime;
import dev.logai.flink.template.TemplateIds;
import dev.logai.flink.window.MetricsKey;
import dev.logai.flink.window.OrgSourceKey;
import dev.logai.flink.window.SourceWindows;
import dev.logai.flink.window.WindowMetrics;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;

/**
 * {@code ./logai bench detect}:
 * <ol>
 *   <li>the {@link EwmDetector} (error rates, latency, per service) and the {@link SeriesDetector}
 *       (volume: level, daily/weekly profile, drift) in points/s on one thread, next to a plain
 *       (non-robust) EWM z-score over the same series in the same run, and the bytes each keeps
 *       per series as Flink serialises it into keyed state;</li>
 *   <li>the window+detect stage of the job (pre-aggregation, the per-source window with all its
 *       metrics, anomaly detection) in lines/s on a local Flink with parallelism 2 and RocksDB, as
 *       the job runs, next to a job that only counts lines per (org, source) window, over the same
 *       generated records; the ratio is per round, the two alternating.</li>
 * </ol>
 */
public final class DetectBenchmark {
    static final int POINTS = 5_000_000;
    static final long JOB_LINES = 2_000_000;
    static final int JOB_ROUNDS = 3;

    private DetectBenchmark() {}

    public static void main(String[] args) throws Exception {
        double[] series = series(POINTS);
        DetectorSettings settings = DetectorSettings.MEDIUM;
        System.out.printf(
                Locale.ROOT,
                "detector benchmark: %d points, median of %d rounds, 1 thread%n",
                POINTS,
                ParseBenchmark.ROUNDS);
        double[] detector = ParseBenchmark.paired(() -> detectAll(series, settings), () -> plainZAll(series), POINTS);
        System.out.printf(
                Locale.ROOT,
                "  EwmDetector              %s points/s   plain EWM z-score %s points/s   ratio %.2f%n",
                ParseBenchmark.human(detector[0]),
                ParseBenchmark.human(detector[1]),
                detector[2]);
        double[] seriesDetector =
                ParseBenchmark.paired(() -> seriesAll(series, settings), () -> plainZAll(series), POINTS);
        System.out.printf(
                Locale.ROOT,
                "  SeriesDetector           %s points/s   plain EWM z-score %s points/s   ratio %.2f%n",
                ParseBenchmark.human(seriesDetector[0]),
                ParseBenchmark.human(seriesDetector[1]),
                seriesDetector[2]);
        int ewmBytes = stateBytes(EwmDetector.class, trained(new EwmDetector(), series));
        SeriesDetector trainedSeries = new SeriesDetector();
        for (int i = 0; i < 20_000; i++) trainedSeries.update(series[i], i * 60_000L, settings);
        int seriesBytes = stateBytes(SeriesDetector.class, trainedSeries);
        System.out.printf(
                Locale.ROOT,
                "  state per series: EwmDetector %d bytes, SeriesDetector %d bytes%n",
                ewmBytes,
                seriesBytes);
        System.out.printf(
                Locale.ROOT,
                "  state per error rate (its EwmDetector with the lasting-rise test and lines per failure): %d bytes%n",
                stateBytes(EwmDetector.class, trainedErrorRate()));

        System.out.printf(
                Locale.ROOT,
                "window+detect stage: %d generated records, 20 sources, 300 templates,"
                        + " parallelism 2, RocksDB, %d rounds%n",
                JOB_LINES,
                JOB_ROUNDS);
        double[] full = new double[JOB_ROUNDS];
        double[] count = new double[JOB_ROUNDS];
        double[] ratio = new double[JOB_ROUNDS];
        runJob(true);
        runJob(false);
        for (int i = 0; i < JOB_ROUNDS; i++) {
            full[i] = JOB_LINES / runJob(true);
            count[i] = JOB_LINES / runJob(false);
            ratio[i] = full[i] / count[i];
        }
        java.util.Arrays.sort(full);
        java.util.Arrays.sort(count);
        java.util.Arrays.sort(ratio);
        System.out.printf(
                Locale.ROOT,
                "  window+detect            %s lines/s   count-only window %s lines/s%n",
                ParseBenchmark.human(full[JOB_ROUNDS / 2]),
                ParseBenchmark.human(count[JOB_ROUNDS / 2]));
        System.out.printf(
                Locale.ROOT,
                "average detector_points_per_s=%.0f series_detector_points_per_s=%.0f"
                        + " ewm_state_bytes=%d series_state_bytes=%d window_detect_lines_per_s=%.0f"
                        + " count_only_lines_per_s=%.0f ratio=%.2f%n",
                detector[0],
                seriesDetector[0],
                ewmBytes,
                seriesBytes,
                full[JOB_ROUNDS / 2],
                count[JOB_ROUNDS / 2],
                ratio[JOB_ROUNDS / 2]);
    }

    /** A daily-ish wave with noise and a spike now and then, like a busy metric. */
    static double[] series(int n) {
        Random random = new Random(7);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = 100
                    + 30 * Math.sin(i * 2 * Math.PI / 1440)
                    + random.nextGaussian() * 5
                    + (random.nextInt(5000) == 0 ? 80 : 0);
        }
        return out;
    }

    static long detectAll(double[] series, DetectorSettings settings) {
        EwmDetector d = new EwmDetector();
        long flagged = 0;
        for (double x : series) {
            if (d.update(x, settings) >= 0.5) {
                flagged++;
            }
        }
        return flagged;
    }

    static long seriesAll(double[] series, DetectorSettings settings) {
        SeriesDetector d = new SeriesDetector();
        long flagged = 0;
        for (int i = 0; i < series.length; i++) {
            if (d.update(series[i], i * 60_000L, settings) >= 0.5) {
                flagged++;
            }
        }
        return flagged;
    }

    /**
     * An error rate's detector as the job keeps it: an {@link EwmDetector} of the rate with its
     * {@link RateShift} (pooled counts, CUSUMs, dispersion, lines per failure), after 20,000 windows
     * of about 50 lines at 2% errors logged in clusters of 1–4 lines.
     */
    private static EwmDetector trainedErrorRate() {
        Random random = new Random(1);
        EwmDetector d = new EwmDetector();
        d.shift = new RateShift();
        for (int i = 0; i < 20_000; i++) {
            long lines = 40 + random.nextInt(21);
            long errors = 0;
            for (long l = 0; l < lines; l++) {
                if (random.nextDouble() < 0.008) errors += 1 + random.nextInt(4);
            }
            d.update((double) errors / (lines + errors), DetectorSettings.MEDIUM);
            d.shift.update(errors, lines + errors, d.baseline, DetectorSettings.MEDIUM);
        }
        return d;
    }

    private static EwmDetector trained(EwmDetector d, double[] series) {
        for (int i = 0; i < 20_000; i++) d.update(series[i], DetectorSettings.MEDIUM);
        return d;
    }

    /** Bytes of {@code value} as Flink's serializer for its type writes it into keyed state. */
    static <T> int stateBytes(Class<T> type, T value) {
        try {
            TypeSerializer<T> serializer = TypeInformation.of(type).createSerializer(new SerializerConfigImpl());
            DataOutputSerializer out = new DataOutputSerializer(8192);
            serializer.serialize(value, out);
            return out.length();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The textbook detector: EWM mean and variance, |z| against a fixed threshold. */
    static long plainZAll(double[] series) {
        double mean = series[0];
        double var = 0;
        long flagged = 0;
        for (double x : series) {
            double r = x - mean;
            if (Math.abs(r) > 4 * Math.sqrt(var)) {
                flagged++;
            }
            mean += 0.05 * r;
            var = 0.99 * (var + 0.01 * r * r);
        }
        return flagged;
    }

    /** Runs one job over the generated records; returns seconds. */
    static double runJob(boolean windowAndDetect) throws Exception {
        Configuration conf = FlinkRuntime.loopback();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        DataStream<LogRecord> records = env.fromSequence(0, JOB_LINES - 1)
                .map(DetectBenchmark::record)
                .returns(LogRecord.class)
                .assignTimestampsAndWatermarks(
                        WatermarkStrategy.<LogRecord>forBoundedOutOfOrderness(Duration.ofSeconds(5))
                                .withTimestampAssigner((r, t) -> r.ts));
        Duration size = Duration.ofMinutes(1);
        if (windowAndDetect) {
            records.keyBy(new OrgSourceKey())
                    .transform(
                            "source-windows",
                            TypeInformation.of(WindowMetrics.class),
                            new SourceWindows(size.toMillis(), 5_000, 0, 0, 30_000, 0))
                    .keyBy(new MetricsKey())
                    .process(new DetectAnomalies(AnomalySettings.DEFAULTS))
                    .sinkTo(new DiscardingSink<>());
        } else {
            records.keyBy(new OrgSourceKey())
                    .window(TumblingEventTimeWindows.of(size))
                    .aggregate(new CountElements<LogRecord>())
                    .sinkTo(new DiscardingSink<>());
        }
        long start = System.nanoTime();
        env.execute(windowAndDetect ? "bench-window-detect" : "bench-count-only");
        return (System.nanoTime() - start) / 1e9;
    }

    /** 20 sources, 300 templates, 4 services, 2% errors, 1,000 lines per second of event time. */
    static LogRecord record(long i) {
        LogRecord r = new LogRecord();
        r.orgId = "org_bench";
        r.sourceId = "src_" + (i % 20);
        r.ts = 1_700_000_000_000L + i;
        r.level = i % 50 == 0 ? Level.ERROR : Level.INFO;
        r.service = "svc" + (i % 4);
        int template = (int) ((i * 2654435761L) % 300);
        r.template = "template " + template + " <*>";
        r.templateId = TemplateIds.of(r.template);
        r.message = "template " + template + " " + i;
        r.raw = r.message;
        return r;
    }
}
