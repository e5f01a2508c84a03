package dev.logai.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.common.contract.LogBatch;
import dev.logai.common.contract.LogBatchCodec;
import dev.logai.common.contract.RawLine;
import dev.logai.flink.alert.NotifyAlerts;
import dev.logai.flink.alert.rule.AlertRuleUpdate;
import dev.logai.flink.anomaly.Anomaly;
import dev.logai.flink.anomaly.AnomalySettings;
import dev.logai.flink.deadletter.DeadLetter;
import dev.logai.flink.ingest.KafkaBatchRecord;
import dev.logai.flink.ingest.LogLine;
import dev.logai.flink.parse.ParseSettings;
import dev.logai.flink.summary.LlmSettings;
import dev.logai.flink.summary.Summary;
import dev.logai.flink.summary.SummarySettings;
import dev.logai.flink.support.CollectingSink;
import dev.logai.flink.support.PipelineHarness;
import dev.logai.flink.template.TemplateMerge;
import dev.logai.flink.window.PatternWindow;
import dev.logai.flink.window.WindowLateness;
import dev.logai.flink.window.WindowSettings;
import dev.logai.flink.window.WindowStats;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole graph of {@link LogPipelineJob#defineWorkflow} on bounded in-memory sources with
 * collecting sinks (the Flink cookbook's way to test a job): no Kafka, Postgres or S3, seconds to
 * run. End of input closes every window, so the counts are exact and final.
 */
class PipelineTopologyTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = PipelineHarness.miniCluster();

    private static final long MINUTE = 60_000;
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    @Test
    void everyStageSeesTheLinesOfEachSourceOnceAndUnreadableInputIsDeadLettered() throws Exception {
        List<byte[]> records = new ArrayList<>();
        // Source 1: 30 lines in minute 0, 10 in minute 1, over two requests each.
        records.add(batch("src-1", lines(0, 15, "INFO", "user %d logged in")));
        records.add(batch("src-1", lines(0, 15, "INFO", "user %d logged in")));
        records.add(batch("src-1", lines(1, 10, "WARN", "cache miss for key %d")));
        // Source 2: minute 0 quiet, minute 1 with 6 errors of one new pattern.
        records.add(batch("src-2", lines(0, 4, "INFO", "job %d done")));
        records.add(batch("src-2", lines(1, 6, "ERROR", "payment %d failed: gateway timeout")));
        // Not a batch at all: decoded into a dead letter, never into a window.
        records.add("not a batch".getBytes(StandardCharsets.UTF_8));

        CollectingSink<WindowStats> stats = new CollectingSink<>();
        CollectingSink<WindowLateness> lateness = new CollectingSink<>();
        CollectingSink<PatternWindow> patterns = new CollectingSink<>();
        CollectingSink<TemplateMerge> merges = new CollectingSink<>();
        CollectingSink<Anomaly> anomalies = new CollectingSink<>();
        CollectingSink<Summary> summaries = new CollectingSink<>();
        CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();
        CollectingSink<LogLine> archive = new CollectingSink<>();

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        LogPipelineJob.defineWorkflow(
                env,
                new PipelineSources(rawBatches(records), noRules()),
                new PipelineSinks(stats, lateness, patterns, merges, anomalies, summaries, deadLetters, archive),
                settings());
        env.execute("pipeline-topology-test");

        Map<String, Long> finalLines = stats.values().stream()
                .filter(w -> w.complete)
                .collect(Collectors.toMap(
                        w -> w.sourceId + "@" + (w.windowStart - T0.toEpochMilli()) / MINUTE, w -> w.lines, (a, b) -> {
                            throw new AssertionError("two final rows for one window");
                        }));
        assertThat(finalLines)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("src-1@0", 30L, "src-1@1", 10L, "src-2@0", 4L, "src-2@1", 6L));
        WindowStats incident = stats.values().stream()
                .filter(w -> w.complete && w.sourceId.equals("src-2") && w.error > 0)
                .findFirst()
                .orElseThrow();
        assertThat(incident.error).isEqualTo(6);
        assertThat(incident.errorRate).isEqualTo(1.0);

        assertThat(patterns.values().stream()
                        .filter(p -> p.complete)
                        .mapToLong(p -> p.lines)
                        .sum())
                .isEqualTo(50);
        assertThat(patterns.values().stream().filter(p -> p.complete && p.sourceId.equals("src-2") && p.errors == 6))
                .singleElement()
                .satisfies(p -> assertThat(p.template).contains("payment").contains("gateway timeout"));

        assertThat(archive.values()).hasSize(50);
        assertThat(deadLetters.values())
                .singleElement()
                .satisfies(d -> assertThat(d.origin).contains("raw"));
        // Too few windows for a baseline: no anomaly; the error burst is summarised (extractively).
        assertThat(anomalies.values()).isEmpty();
        assertThat(summaries.values()).isNotEmpty().allSatisfy(s -> {
            assertThat(s.sourceId).isEqualTo("src-2");
            assertThat(s.llmModel).isEqualTo("extractive");
        });
    }

    /** Defaults, except: a bounded run (no early firings), summaries from 5 error lines, no LLM and no database. */
    private static PipelineSettings settings() {
        Configuration config = new Configuration();
        SummarySettings d = SummarySettings.DEFAULTS;
        return new PipelineSettings(
                ParseSettings.from(config),
                WindowSettings.from(config).bounded(),
                AnomalySettings.DEFAULTS,
                new SummarySettings(
                        5,
                        Map.of(),
                        d.newTemplates(),
                        d.incidentGap(),
                        d.refreshWindows(),
                        d.digest(),
                        d.promptTokens()),
                LlmSettings.from(config, false),
                NotifyAlerts.Settings.from(config),
                dev.logai.flink.upload.UploadSettings.from(config));
    }

    /** The records of a raw-lines topic partition: offset i holds {@code values[i]}. */
    private static DataGeneratorSource<KafkaBatchRecord> rawBatches(List<byte[]> values) {
        ArrayList<byte[]> copy = new ArrayList<>(values);
        return new DataGeneratorSource<>(
                i -> new KafkaBatchRecord("raw", 0, i, copy.get(Math.toIntExact(i))),
                copy.size(),
                TypeInformation.of(KafkaBatchRecord.class));
    }

    /** The rules topic of an org without rules: one tombstone (a generator source needs at least one record). */
    private static DataGeneratorSource<AlertRuleUpdate> noRules() {
        return new DataGeneratorSource<>(
                i -> new AlertRuleUpdate("deleted-rule", null), 1, TypeInformation.of(AlertRuleUpdate.class));
    }

    private static List<String> lines(int minute, int n, String level, String message) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Instant at = T0.plus(Duration.ofMillis(minute * MINUTE + 1_000L * (i + 1)));
            out.add(at + " " + level + " " + String.format(message, 1000 + i));
        }
        return out;
    }

    private static int batches = 0;

    private static byte[] batch(String sourceId, List<String> lines) {
        LogBatch batch = new LogBatch(
                "org-a",
                sourceId,
                "batch-" + batches++,
                T0.toEpochMilli(),
                LogBatch.PayloadFormat.TEXT,
                lines.stream().map(RawLine::of).toList());
        return LogBatchCodec.encode(batch);
    }
}
