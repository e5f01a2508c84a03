package dev.logai.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.anomaly.Anomaly;
import dev.logai.flink.anomaly.SourceBaselines;
import dev.logai.flink.anomaly.TemplateRate;
import dev.logai.flink.archive.OrgSourceDayBuckets;
import dev.logai.flink.deadletter.DeadLetter;
import dev.logai.flink.ingest.DecodedBatch;
import dev.logai.flink.ingest.KafkaBatchRecord;
import dev.logai.flink.ingest.LogLine;
import dev.logai.flink.parse.LogRecord;
import dev.logai.flink.window.PatternWindow;
import dev.logai.flink.window.WindowCounts;
import dev.logai.flink.window.WindowMetrics;
import dev.logai.flink.window.WindowStats;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

class RecordTypesTest {
    @Test
    void recordsOnTheHotPathAreFlinkPojosNotKryo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(LogLine.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(LogRecord.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(WindowCounts.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(WindowStats.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(DeadLetter.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(KafkaBatchRecord.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(DecodedBatch.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(WindowMetrics.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(PatternWindow.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(Anomaly.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(SourceBaselines.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(TemplateRate.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.logai.flink.anomaly.ServiceLatency.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.logai.flink.anomaly.RateShift.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.logai.flink.anomaly.HeldBackMeans.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.logai.flink.summary.WindowFindings.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.logai.flink.summary.SummaryRequest.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.logai.flink.summary.Summary.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.logai.flink.summary.SelectSummaryWindows.Incident.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.logai.flink.alert.rule.AlertRule.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.logai.flink.alert.rule.AlertState.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.logai.flink.alert.rule.AlertTransition.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(dev.logai.flink.alert.rule.AlertRuleUpdate.class);
    }

    @Test
    void archiveBucketsAreOrgSourceAndUtcDay() {
        LogLine line = LogLine.ofText(
                "org_a", "src_b", Instant.parse("2024-12-31T23:59:59Z").toEpochMilli(), "x");
        assertThat(new OrgSourceDayBuckets().getBucketId(line, null)).isEqualTo("org_a/src_b/2024/12/31");
    }

    @Test
    void settingsComeFromEnvironmentVariablesNamedAfterTheirKeys() {
        assertThat(PipelineOptions.environmentVariable(PipelineOptions.WINDOW_EARLY_FIRING))
                .isEqualTo("LOGAI_WINDOW_EARLY_FIRING_INTERVAL");
        Configuration conf = PipelineOptions.fromEnvironment(
                Map.of("LOGAI_WINDOW_SIZE", "5 min", "LOGAI_KAFKA_BOOTSTRAP", "kafka:9092", "UNRELATED", "x"));
        assertThat(conf.get(PipelineOptions.WINDOW_SIZE)).isEqualTo(Duration.ofMinutes(5));
        assertThat(conf.get(PipelineOptions.KAFKA_BOOTSTRAP)).isEqualTo("kafka:9092");
        assertThat(PipelineOptions.archivePath(conf)).isEqualTo("s3://logai-raw/");
    }

    @Test
    void invalidSettingsNameTheVariable() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> PipelineOptions.fromEnvironment(Map.of("LOGAI_WINDOW_SIZE", "soon")))
                .hasMessageContaining("LOGAI_WINDOW_SIZE");
    }
}
