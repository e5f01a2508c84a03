package dev.logai.flink.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.summary.WindowFindings;
import dev.logai.flink.window.MetricsKey;
import dev.logai.flink.window.WindowMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Every anomaly of two sources over 400 windows ({@link WindowSeries}), field by field, against
 * the approved run in {@code detect-anomalies-approved.txt} (recorded before the detectors were
 * split into classes). A deliberate change of a detector changes this file: on a mismatch the
 * actual run is written to {@code target/detect-anomalies-actual.txt} to diff and, if intended,
 * to copy over the approved one.
 */
class DetectAnomaliesGoldenTest {
    static final String APPROVED = "detect-anomalies-approved.txt";

    /** src_1 on the defaults; src_2 on high sensitivity. */
    static final AnomalySettings SETTINGS = new AnomalySettings("medium", Map.of("org_a/src_2", "high"));

    @Test
    void sameAnomaliesAsTheApprovedRun() throws Exception {
        List<String> actual = new ArrayList<>();
        actual.addAll(run(SETTINGS));
        String text = String.join("\n", actual) + "\n";

        String approved;
        try (InputStream in = getClass().getResourceAsStream(APPROVED)) {
            approved = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!text.equals(approved)) {
            write(text);
        }
        assertThat(text)
                .as("anomalies differ from " + APPROVED + " (see target/detect-anomalies-actual.txt)")
                .isEqualTo(approved);
        assertThat(actual)
                .as("the series exercises every detector")
                .anyMatch(l -> l.contains("| volume |"))
                .anyMatch(l -> l.contains("| error_rate |  |"))
                .anyMatch(l -> l.contains("| error_rate | cache |"))
                .anyMatch(l -> l.contains("| latency_p95 |"))
                .anyMatch(l -> l.contains("| new_templates |"))
                .anyMatch(l -> l.contains("| template_rate |"));
    }

    /** The anomalies and the findings' sizes, in output order, of the two sources interleaved. */
    static List<String> run(AnomalySettings settings) throws Exception {
        List<WindowMetrics> a = WindowSeries.of("org_a", "src_1", 1, 400);
        List<WindowMetrics> b = WindowSeries.of("org_a", "src_2", 2, 400);
        List<String> out = new ArrayList<>();
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DetectAnomalies(settings)), new MetricsKey(), Types.STRING)) {
            h.open();
            for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
                if (i < a.size()) h.processElement(new StreamRecord<>(a.get(i)));
                if (i < b.size()) h.processElement(new StreamRecord<>(b.get(i)));
            }
            h.extractOutputValues().forEach(x -> out.add(WindowSeries.describe(x)));
            for (StreamRecord<WindowFindings> f : h.getSideOutput(DetectAnomalies.FINDINGS)) {
                out.add("findings " + f.getValue().metrics.sourceId + " " + f.getValue().metrics.windowStart + " "
                        + f.getValue().anomalies.length);
            }
        }
        return out;
    }

    private static void write(String text) throws IOException {
        Path target = Path.of("target", "detect-anomalies-actual.txt");
        Files.createDirectories(target.getParent());
        Files.writeString(target, text);
    }
}
