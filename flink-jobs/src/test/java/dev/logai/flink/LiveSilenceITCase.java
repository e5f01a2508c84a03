package dev.logai.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.common.contract.Metric;
import dev.logai.flink.anomaly.Anomaly;
import dev.logai.flink.anomaly.AnomalySettings;
import dev.logai.flink.ingest.LogLine;
import dev.logai.flink.parse.ParseSettings;
import dev.logai.flink.support.CollectingSink;
import dev.logai.flink.support.PipelineHarness;
import dev.logai.flink.window.WindowSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * A live source that goes quiet is reported silent while it is still quiet, by the wall clock,
 * and not again when it comes back: the job's windows and detectors ({@link
 * LogPipelineJob#windowOutputs}) on a MiniCluster, fed by a source that writes 40 timestamped lines
 * a second (the time of writing), pauses for {@value #QUIET_MS} ms without ending, then writes a
 * few seconds more. One-second windows keep it short: the 30-window warm-up is 30 s.
 */
class LiveSilenceITCase {
    static final long WINDOW_MS = 1_000;
    static final int PER_SECOND = 40;
    /** Lines before the pause: past the warm-up and the restart grace. */
    static final long BEFORE_QUIET = 38L * PER_SECOND;

    static final long AFTER_QUIET = 4L * PER_SECOND;
    static final long QUIET_MS = 10_000;

    /** The time of the last line before the pause, and when the pause ended (wall clock, this JVM). */
    static final AtomicLong quietFrom = new AtomicLong();

    static final AtomicLong quietUntil = new AtomicLong();

    @RegisterExtension
    static final MiniClusterExtension FLINK = PipelineHarness.miniCluster();

    /** Line {@code i}, stamped with the time it is written; the line after {@link #BEFORE_QUIET} waits first. */
    static final class Lines implements GeneratorFunction<Long, LogLine> {
        @Override
        public LogLine map(Long i) throws Exception {
            if (i == BEFORE_QUIET) {
                Thread.sleep(QUIET_MS);
                quietUntil.set(System.currentTimeMillis());
            }
            long now = System.currentTimeMillis();
            if (i == BEFORE_QUIET - 1) {
                quietFrom.set(now);
            }
            return LogLine.ofText(
                    "org_live",
                    "src_live",
                    now,
                    Instant.ofEpochMilli(now) + " INFO  [api] request " + i + " served in " + (i % 50) + " ms");
        }
    }

    @Test
    void aQuietLiveSourceIsReportedSilentWhileQuietAndNotAgainWhenItComesBack() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        Configuration config = new Configuration();
        config.set(PipelineOptions.WINDOW_SIZE, Duration.ofMillis(WINDOW_MS));
        config.set(PipelineOptions.WINDOW_OUT_OF_ORDERNESS, Duration.ofMillis(200));
        config.set(PipelineOptions.WINDOW_ALLOWED_LATENESS, Duration.ofSeconds(1));
        config.set(PipelineOptions.WINDOW_EARLY_FIRING, Duration.ZERO);
        config.set(PipelineOptions.WINDOW_IDLENESS, Duration.ofMillis(500));
        AnomalySettings anomalies = new AnomalySettings("medium", Map.of(), true, Duration.ofSeconds(5));

        DataGeneratorSource<LogLine> source = new DataGeneratorSource<>(
                new Lines(),
                BEFORE_QUIET + AFTER_QUIET,
                RateLimiterStrategy.perSecond(PER_SECOND),
                TypeInformation.of(LogLine.class));
        LogPipelineJob.WindowOutputs outputs = LogPipelineJob.windowOutputs(
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "live-lines")
                        .setParallelism(1),
                ParseSettings.from(config),
                WindowSettings.from(config),
                anomalies);
        CollectingSink<Tuple2<Long, Anomaly>> sink = new CollectingSink<>();
        outputs.anomalies()
                .map(a -> Tuple2.of(System.currentTimeMillis(), a))
                .returns(Types.TUPLE(Types.LONG, TypeInformation.of(Anomaly.class)))
                .sinkTo(sink);
        env.execute("live-silence");

        List<Tuple2<Long, Anomaly>> silences =
                sink.values().stream().filter(t -> t.f1.is(Metric.SILENCE)).toList();
        long firstSilentWindow = (quietFrom.get() / WINDOW_MS + 1) * WINDOW_MS;
        List<Tuple2<Long, Anomaly>> pause = silences.stream()
                .filter(t -> t.f1.windowStart == firstSilentWindow)
                .toList();
        assertThat(pause)
                .as(
                        "the pause from %s, reported once (all silences: %s)",
                        Instant.ofEpochMilli(quietFrom.get()), silences)
                .hasSize(1);
        long reportedAt = pause.get(0).f0;
        LoggerFactory.getLogger(LiveSilenceITCase.class)
                .info(
                        "silence reported {} ms after the last line, {} ms before the source came back",
                        reportedAt - quietFrom.get(),
                        quietUntil.get() - reportedAt);
        assertThat(reportedAt)
                .as("reported while the source was quiet, within a few windows of its last line")
                .isBetween(
                        quietFrom.get() + 2 * WINDOW_MS, Math.min(quietUntil.get(), quietFrom.get() + 8 * WINDOW_MS));
        assertThat(pause.get(0).f1.explanation).contains("(wall clock)", "last line at");
        assertThat(pause.get(0).f1.score).isGreaterThan(0.5);
    }
}
