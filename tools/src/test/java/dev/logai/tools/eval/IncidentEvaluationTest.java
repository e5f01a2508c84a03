package dev.logai.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.logai.tools.eval.IncidentCorpus.Kind;
import dev.logai.tools.eval.IncidentCorpus.Label;
import dev.logai.tools.eval.IncidentScorer.Flag;
import dev.logai.tools.eval.IncidentScorer.Scores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The incident corpus is the same for the same seed, and the scorer counts as its docstring says. */
class IncidentEvaluationTest {
    static final long MIN = 60_000;
    static final long T0 = IncidentCorpus.START;

    @Test
    void theSameSeedWritesTheSameLogsAndLabels(@TempDir Path dir) throws Exception {
        IncidentCorpus.Corpus a = IncidentCorpus.write(7, 12, dir.resolve("a"));
        IncidentCorpus.Corpus b = IncidentCorpus.write(7, 12, dir.resolve("b"));
        assertThat(a.labels()).isEqualTo(b.labels()).isNotEqualTo(IncidentCorpus.plan(8, 12));
        assertThat(a.lines()).isEqualTo(b.lines()).isGreaterThan(100_000);
        for (String source : a.files().keySet()) {
            assertThat(Files.mismatch(a.files().get(source), b.files().get(source)))
                    .as(source)
                    .isEqualTo(-1L);
        }
    }

    @Test
    void retriedErrorsAreTheSameLabelsWithEachErrorLineLoggedAgainByItsRetries(@TempDir Path dir) throws Exception {
        IncidentCorpus.Corpus plain = IncidentCorpus.write(7, 12, dir.resolve("plain"));
        IncidentCorpus.Corpus retried = IncidentCorpus.write(7, 12, dir.resolve("retried"), true);
        assertThat(retried.labels()).isEqualTo(plain.labels());
        assertThat(retried.lines()).isGreaterThan(plain.lines());
        for (String source : List.of("checkout", "auth", "billing-worker", "search")) {
            List<String> lines = Files.readAllLines(retried.files().get(source)).stream()
                    .map(l -> l.replaceFirst("\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z", "TIME")
                            .replaceFirst("\"trace_id\":\"[0-9a-f]+\"", "TRACE"))
                    .toList();
            long errors = lines.stream().filter(IncidentEvaluationTest::isError).count();
            // a retry: an error line whose text (but for its time and trace id) came within the last
            // 2 seconds' lines of a busy source
            long retries = 0;
            Map<String, Integer> lastAt = new java.util.HashMap<>();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (!isError(line)) continue;
                Integer before = lastAt.put(line, i);
                if (before != null && i - before <= 50) retries++;
            }
            long plainErrors = Files.readAllLines(plain.files().get(source)).stream()
                    .filter(IncidentEvaluationTest::isError)
                    .count();
            assertThat(errors).as(source).isGreaterThan(2 * plainErrors);
            assertThat(retries)
                    .as("%s: retries of %d error lines", source, errors)
                    .isGreaterThan(errors / 2);
        }
    }

    @Test
    void aSmallerVolumeIsTheSameIncidentsAtTheSameTimesInAFifthOfTheLines(@TempDir Path dir) throws Exception {
        IncidentCorpus.Corpus full = IncidentCorpus.write(7, 12, dir.resolve("full"));
        IncidentCorpus.Corpus small = IncidentCorpus.write(7, 12, dir.resolve("small"), false, 0.2);
        assertThat(small.labels()).hasSameSizeAs(full.labels());
        for (int i = 0; i < full.labels().size(); i++) {
            Label f = full.labels().get(i);
            Label s = small.labels().get(i);
            assertThat(List.of(s.source(), s.kind(), s.start(), s.end(), s.service()))
                    .isEqualTo(List.of(f.source(), f.kind(), f.start(), f.end(), f.service()));
            if (f.detail().contains("lines/min")) {
                int fullRate = Integer.parseInt(f.detail().replaceAll("^\\D*(\\d+) lines/min.*$", "$1"));
                int smallRate = Integer.parseInt(s.detail().replaceAll("^\\D*(\\d+) lines/min.*$", "$1"));
                assertThat(smallRate).as(f.detail()).isEqualTo((int) Math.max(1, Math.round(fullRate * 0.2)));
            } else {
                assertThat(s.detail()).isEqualTo(f.detail());
            }
        }
        assertThat((double) small.lines() / full.lines()).isCloseTo(0.2, within(0.02));
        for (String source : full.files().keySet()) {
            double ratio =
                    (double) Files.readAllLines(small.files().get(source)).size()
                            / Files.readAllLines(full.files().get(source)).size();
            assertThat(ratio).as(source).isCloseTo(0.2, within(0.04));
        }
    }

    @Test
    void aVolumeOutsideItsRangeIsRefused(@TempDir Path dir) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> IncidentCorpus.write(7, 12, dir, false, 0.01))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--volume");
    }

    /** An error line of the application-log formats (JSON, text, logfmt, ECS JSON). */
    private static boolean isError(String line) {
        return line.contains("ERROR") || line.contains("level=error") || line.contains("\"log.level\":\"error\"");
    }

    @Test
    void everyKindIsLabelledAndNoIncidentIsInTheWarmup() {
        List<Label> labels = IncidentCorpus.plan(1, 24);
        assertThat(labels.stream().map(Label::kind).collect(Collectors.toSet()))
                .as("every kind of incident and of normal activity")
                .containsAll(Arrays.asList(Kind.values()));
        assertThat(labels)
                .filteredOn(l -> l.kind().incident())
                .allMatch(l -> l.start() >= T0 + IncidentCorpus.WARMUP, "no incident in the warm-up");
    }

    @Test
    void incidentsOfOneSourceLeaveCleanStretchesBetweenThem() {
        List<Label> labels = IncidentCorpus.plan(3, 96);
        Map<String, List<Label>> bySource =
                labels.stream().filter(l -> l.kind().incident()).collect(Collectors.groupingBy(Label::source));
        for (List<Label> own : bySource.values()) {
            for (int i = 1; i < own.size(); i++) {
                assertThat(own.get(i).start() - own.get(i - 1).end())
                        .as("%s after %s", own.get(i), own.get(i - 1))
                        .isGreaterThanOrEqualTo(IncidentCorpus.CLEAR);
            }
        }
        assertThat(labels).filteredOn(l -> l.kind() == Kind.SPIKE).hasSize(5);
        for (Label silence : labels) {
            if (silence.kind() == Kind.SILENCE) {
                assertThat(labels)
                        .as("normal activity that a silence swallowed is no label")
                        .noneMatch(l -> !l.kind().incident()
                                && l.source().equals(silence.source())
                                && l.start() < silence.end()
                                && silence.start() < l.end());
            }
        }
    }

    @Test
    void findsAnIncidentByTheFirstAnomalyInItsSpanAndCountsTheRestAsFalseAlarmsPerWindow() {
        Label spike = new Label("api", Kind.SPIKE, T0 + 300 * MIN + 20_000, T0 + 310 * MIN, "", "x4");
        Label silence = new Label("api", Kind.SILENCE, T0 + 600 * MIN, T0 + 620 * MIN, "", "no lines");
        Label batch = new Label("api", Kind.BATCH_BURST, T0 + 400 * MIN, T0 + 402 * MIN, "batch", "");
        Label batchInSilence = new Label("api", Kind.BATCH_BURST, T0 + 605 * MIN, T0 + 607 * MIN, "batch", "");
        List<Flag> flags = List.of(
                flag(10, "volume"), // warm-up: not counted
                flag(301, "volume"), // the spike, one window late
                flag(300 + 9 + IncidentScorer.TOLERANCE_WINDOWS, "volume"), // still its recovery
                flag(300 + 10 + IncidentScorer.TOLERANCE_WINDOWS, "volume"), // past it: a false alarm
                flag(401, "template_rate"), // during the batch burst
                flag(401, "volume"), // the same window: one false alarm
                flag(500, "error_rate"),
                flag(606, "template_rate")); // the burst's, not the silence's: finds nothing
        Scores s = IncidentScorer.score(
                List.of(spike, silence, batch, batchInSilence),
                flags,
                T0,
                T0 + 24 * 60 * MIN,
                2 * 60 * MIN,
                MIN,
                List.of("api", "db"));

        assertThat(s.incidents()).hasSize(2);
        assertThat(s.incidents().get(0).found()).isTrue();
        assertThat(s.incidents().get(0).delayWindows()).isEqualTo(1);
        assertThat(s.incidents().get(1).found()).isFalse();
        assertThat(s.recall()).isEqualTo(0.5);
        assertThat(s.medianDelay()).isEqualTo(1.0);
        assertThat(s.inWarmup()).isEqualTo(1);
        assertThat(s.falseAlarms()).extracting(f -> f.windowStart()).hasSize(3);
        assertThat(s.normalActivity().get(Kind.BATCH_BURST)).containsExactly(2, 1, 1);

        IncidentScorer.SourceFigures api = s.sources().get(0);
        assertThat(api.falseAlarms()).isEqualTo(3);
        assertThat(api.byActivity()).isEqualTo(Map.of("clean", 2, "batch_burst", 1));
        // 22 hours after the warm-up, less the two incidents' spans (10 + 5 and 20 + 5 windows)
        assertThat(api.cleanHours()).isCloseTo(22 - 40 / 60.0, within(1e-9));
        assertThat(s.sources().get(1).cleanHours()).isCloseTo(22, within(1e-9));
        assertThat(s.falseAlarmsPerCleanHour()).isCloseTo(3 / (44 - 40 / 60.0), within(1e-9));
        assertThat(Set.copyOf(s.falseAlarms().stream().map(Flag::metric).toList()))
                .containsExactlyInAnyOrder("volume", "template_rate", "error_rate");
    }

    @Test
    void anotherServicesAnomalyDuringABatchBurstIsNotTheBursts() {
        Label leak = new Label("api", Kind.SLOW_LEAK, T0 + 300 * MIN, T0 + 360 * MIN, "billing", "x5");
        Label batch = new Label("api", Kind.BATCH_BURST, T0 + 310 * MIN, T0 + 312 * MIN, "batch", "");
        Label batchLater = new Label("api", Kind.BATCH_BURST, T0 + 500 * MIN, T0 + 502 * MIN, "batch", "");
        List<Flag> flags = List.of(
                new Flag("api", T0 + 310 * MIN, "volume", "", "spike", ""), // the burst's
                new Flag("api", T0 + 311 * MIN, "latency_geomean", "billing", "spike", ""), // the leak's
                new Flag("api", T0 + 500 * MIN, "template_rate", "batch", "spike", ""), // the burst's own
                new Flag("api", T0 + 501 * MIN, "error_rate", "db", "spike", "")); // db's: a false alarm
        Scores s = IncidentScorer.score(
                List.of(leak, batch, batchLater), flags, T0, T0 + 24 * 60 * MIN, 2 * 60 * MIN, MIN, List.of("api"));

        assertThat(s.incidents()).singleElement().satisfies(o -> {
            assertThat(o.delayWindows()).isEqualTo(11);
            assertThat(o.first().metric()).isEqualTo("latency_geomean");
        });
        assertThat(s.sources().get(0).byActivity()).isEqualTo(Map.of("clean", 1, "batch_burst", 1));
    }

    @Test
    void aLevelShiftIsLabelledForItsFirstHourAndItsNewLevelIsNormalAfterwards() {
        List<Label> labels = IncidentCorpus.plan(11, 120);
        assertThat(labels)
                .filteredOn(l -> l.kind() == Kind.LEVEL_SHIFT)
                .isNotEmpty()
                .allMatch(l -> l.end() - l.start() == 60 * MIN);
        assertThat(IncidentScorer.median(new int[] {0, 1, 5, 9})).isEqualTo(3.0);
        assertThat(IncidentScorer.median(new int[] {})).isNaN();
    }

    private static Flag flag(long minute, String metric) {
        return new Flag("api", T0 + minute * MIN, metric, "", "spike", "");
    }
}
