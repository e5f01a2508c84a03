package dev.logai.flink.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A job every 30 minutes becomes usual at its minutes; the same burst at another minute does not. */
class HourlyProfileTest {
    static final long MINUTE = 60_000L;
    static final DetectorSettings S = DetectorSettings.MEDIUM;

    /** 100 ± 10 lines a minute, +150 (an export) in the first two minutes of every half hour; level ×2 from {@code shiftAt}. */
    static double[] halfHourlyExport(int minutes, int seed, int shiftAt) {
        Random random = new Random(seed);
        double[] lines = new double[minutes];
        for (int i = 0; i < minutes; i++) {
            double base = i >= shiftAt ? 200 : 100;
            lines[i] = base + 10 * random.nextGaussian() + (i % 30 < 2 ? 150 : 0);
        }
        return lines;
    }

    static List<Integer> flagged(SeriesDetector d, double[] series) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < series.length; i++) {
            if (d.update(series[i], i * MINUTE, S) >= 0.5) out.add(i);
        }
        return out;
    }

    @Test
    void aHalfHourlyExportIsFlaggedAtFirstThenExcusedByItsMinutes() {
        double[] lines = halfHourlyExport(24 * 60, 11, Integer.MAX_VALUE);
        int unusual = 20 * 60 + 17; // the same burst at minute 17
        lines[unusual] += 150;
        SeriesDetector d = new SeriesDetector();
        List<Integer> flags = flagged(d, lines);
        assertThat(flags).as("exports before the habit is learned").anyMatch(i -> i < 6 * 60 && i % 30 < 2);
        assertThat(flags)
                .as("no export after the six-hour horizon: %s", flags)
                .noneMatch(i -> i >= 7 * 60 && i % 30 < 2);
        assertThat(flags).as("the burst at an unusual minute").contains(unusual);
    }

    /**
     * A p95 of about 290 ms with a half-hourly export's +500 ms, judged against a level that was far
     * off (600 ms, the night's traffic mix) for the first six hours: those hours' errors, shared by
     * the level and the habit, keep the habit from explaining the whole series better for hours
     * after, but the export minutes' offset is plain, so they are excused five hours on (seed 8's
     * {@code billing-worker}: its p95 flagged at 8 export minutes on day 2). The previous rule,
     * the whole-series comparison alone, excused none of them.
     */
    @Test
    void anExportsMinutesAreExcusedWhileALevelFarOffEarlierStillWeighsOnTheWholeSeries() {
        Random random = new Random(5);
        HourlyProfile h = new HourlyProfile();
        int excused = 0;
        int exports = 0;
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 13 * 60; i++) {
            boolean export = i % 30 < 2;
            double x = 290 + 40 * random.nextGaussian() + (export ? 500 : 0);
            double level = i < 6 * 60 ? 600 : 290;
            double z = h.judge(x, i * MINUTE, level, false);
            if (i >= 11 * 60 && export) {
                exports++;
                if (Math.abs(z) < 3) excused++;
                seen.add(i + "=" + z);
            }
        }
        assertThat(h.difference.error)
                .as("the habit does not explain the whole series")
                .isGreaterThan(SeasonalProfile.BETTER_BY * h.difference.levelError);
        // (one minute may still be NaN: five hours after the level was far off, a phase's own
        // variance still carries the step its residual made then)
        assertThat(excused)
                .as("export minutes excused of %d: %s", exports, seen)
                .isGreaterThanOrEqualTo(exports - 1);
    }

    @Test
    void theHabitKeepsExcusingTheExportWhenTheLevelDoubles() {
        double[] lines = halfHourlyExport(24 * 60, 12, 14 * 60);
        SeriesDetector d = new SeriesDetector();
        List<Integer> flags = flagged(d, lines);
        assertThat(flags)
                .as("exports an hour after the level doubled: %s", flags)
                .noneMatch(i -> i >= 15 * 60 && i % 30 < 2);
    }

    @Test
    void anIncidentDoesNotBlindTheHabitNorBecomeOne() {
        double[] lines = halfHourlyExport(24 * 60, 15, Integer.MAX_VALUE);
        int incident = 12 * 60 + 5; // 13 minutes of 20× the lines, at minutes :05–:17
        for (int i = incident; i < incident + 13; i++) lines[i] += 2_000;
        HourlyProfile p = new HourlyProfile();
        List<Integer> notExcused = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            double z = p.judge(lines[i], i * MINUTE, 100, Math.abs(lines[i] - 100) > 60); // level deviation ≈ 10
            boolean export = i % 30 < 2;
            if (i >= incident + 60 && export && !(Math.abs(z) < 3)) notExcused.add(i);
            if (i >= incident + 60 && i % 60 == 10) {
                assertThat(Math.abs(z))
                        .as("minute :10 an hour after the incident (%d): not expected again", i)
                        .isLessThan(3);
            }
        }
        assertThat(notExcused).as("exports from an hour after the incident").isEmpty();
    }

    @Test
    void anExportThatStartsLaterBecomesAHabitWithinHours() {
        Random random = new Random(16);
        double[] lines = new double[24 * 60];
        int starts = 8 * 60; // no export in the first eight hours
        for (int i = 0; i < lines.length; i++) {
            lines[i] = 100 + 10 * random.nextGaussian() + (i >= starts && i % 30 < 2 ? 150 : 0);
        }
        List<Integer> flags = flagged(new SeriesDetector(), lines);
        assertThat(flags).as("the new export's first bursts").anyMatch(i -> i >= starts && i < starts + 60);
        assertThat(flags)
                .as("exports six hours after they started: %s", flags)
                .noneMatch(i -> i >= starts + 6 * 60 && i % 30 < 2);
    }

    @Test
    void aSeriesWithoutAnHourlyHabitIsNeverJudgedByOne() {
        Random random = new Random(13);
        HourlyProfile p = new HourlyProfile();
        int judged = 0;
        for (int i = 0; i < 24 * 60; i++) {
            double x = 100 + 10 * random.nextGaussian();
            if (!Double.isNaN(p.judge(x, i * MINUTE, 100, false))) judged++;
        }
        assertThat(judged).isZero();
    }

    @Test
    void itsLogarithmIsWithinATenBillionthOfTheLibrarys() {
        Random random = new Random(14);
        for (int i = 0; i < 100_000; i++) {
            double v = Math.exp(random.nextDouble() * 60 - 30);
            assertThat(HourlyProfile.ln(v)).isCloseTo(Math.log(v), org.assertj.core.data.Offset.offset(1e-10));
        }
        // each table cell's edges, where the series is longest or shortest
        for (int k = 0; k <= 128; k++) {
            double c = 1 + k / 128.0;
            for (double v : new double[] {c, Math.nextDown(c), c * 0.75, c * 3e5}) {
                assertThat(HourlyProfile.ln(v)).isCloseTo(Math.log(v), org.assertj.core.data.Offset.offset(1e-10));
            }
        }
        assertThat(HourlyProfile.ln(1)).isZero();
        assertThat(HourlyProfile.ln(1 + 1e-12))
                .isCloseTo(Math.log(1 + 1e-12), org.assertj.core.data.Offset.offset(1e-20));
    }
}
