package dev.logai.flink.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VolumeShiftTest {
    static final DetectorSettings S = DetectorSettings.MEDIUM;

    /** A Poisson draw with mean {@code mean} (Knuth's method for small means, normal above 200). */
    static long poisson(Random random, double mean) {
        if (mean > 200) {
            return Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
        }
        double limit = Math.exp(-mean);
        double p = random.nextDouble();
        long k = 0;
        while (p > limit) {
            p *= random.nextDouble();
            k++;
        }
        return k;
    }

    /**
     * Windows (numbered from 0) where the test reports, over Poisson volumes of the given means,
     * with the usual volume given as the truth before the change ({@code usual[w]}) — the level
     * baseline's job, not this test's.
     */
    static List<Integer> flagged(double[] means, double[] usual, long seed) {
        Random random = new Random(seed);
        VolumeShift shift = new VolumeShift();
        List<Integer> out = new ArrayList<>();
        for (int w = 0; w < means.length; w++) {
            if (shift.update(poisson(random, means[w]), usual[w], Double.NaN, w >= S.warmup(), S)) {
                out.add(w);
                shift.markReported(); // as the caller, VolumeDetector, does when it reports
            }
        }
        return out;
    }

    static double[] constant(int n, double value) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, value);
        return a;
    }

    @Test
    void aSteadySourceIsNeverALastingDrop() {
        for (long seed = 1; seed <= 20; seed++) {
            double[] means = constant(3_000, 110);
            assertThat(flagged(means, means, seed)).as("seed %d", seed).isEmpty();
        }
    }

    @Test
    void aHalvingIsFoundWithinThreeWindows() {
        double[] means = constant(600, 110);
        double[] usual = constant(600, 110);
        for (int w = 400; w < means.length; w++) means[w] = 45;
        for (long seed = 1; seed <= 20; seed++) {
            List<Integer> flags = flagged(means, usual, seed);
            // (the usual held at 110 for ever: the run is judged again each MAX_RUN_WINDOWS)
            assertThat(flags).as("seed %d", seed).isNotEmpty();
            assertThat(flags.get(0)).as("seed %d", seed).isBetween(400, 402);
        }
    }

    @Test
    void aOneWindowDipIsNotALastingDrop() {
        double[] means = constant(600, 110);
        double[] usual = constant(600, 110);
        for (int w = 100; w < means.length; w += 50) means[w] = 0;
        for (long seed = 1; seed <= 20; seed++) {
            assertThat(flagged(means, usual, seed)).as("seed %d", seed).isEmpty();
        }
    }

    @Test
    void aLongDropIsReportedOnceAndItsNewLevelJudgedAfterARunsLength() {
        double[] means = constant(600, 110);
        double[] usual = constant(600, 110);
        for (int w = 300; w < means.length; w++) {
            means[w] = 45;
            usual[w] = w < 330 ? 110 : 45; // the level baseline follows within half an hour
        }
        for (long seed = 1; seed <= 10; seed++) {
            assertThat(flagged(means, usual, seed)).as("seed %d", seed).hasSize(1);
        }
    }

    @Test
    void aDeepDropIsReportedOnceWhileTheUsualLearnsItSlowly() {
        // 1,000 → 50 lines and staying: the usual falls by 2% of the gap a window (an EWM), so
        // for a long while a fresh run would find 50 "halved" against it
        for (long seed = 1; seed <= 5; seed++) {
            double[] means = constant(1_200, 1_000);
            double[] usual = constant(1_200, 1_000);
            for (int w = 600; w < means.length; w++) {
                means[w] = 50;
                usual[w] = 50 + 950 * Math.pow(0.98, w - 600);
            }
            assertThat(flagged(means, usual, seed)).as("seed %d", seed).hasSize(1);
        }
    }

    @Test
    void aRecoveredDropEndsItsRunSoASecondDropIsReported() {
        double[] means = constant(900, 110);
        double[] usual = constant(900, 110);
        for (int w = 300; w < 400; w++) means[w] = 40; // the usual, as under a daily profile, stays
        for (int w = 420; w < 450; w++) means[w] = 40;
        for (long seed = 1; seed <= 5; seed++) {
            List<Integer> flags = flagged(means, usual, seed);
            assertThat(flags).as("seed %d: %s", seed, flags).hasSize(2);
            assertThat(flags.get(1)).as("seed %d", seed).isBetween(420, 423);
        }
    }

    @Test
    void aQuietStartOfIdenticalWindowsDoesNotHoldTheNoiseAtZero() {
        Random random = new Random(3);
        VolumeShift shift = new VolumeShift();
        for (int w = 0; w < 40; w++) shift.update(60, 60, Double.NaN, false, S);
        for (int w = 0; w < 3_000; w++) {
            shift.update(Math.max(0, 200 + 60 * random.nextGaussian()), 200, Double.NaN, true, S);
        }
        // (60² = 3,600: the differences' half-square of a series with a deviation of 60)
        assertThat(shift.noiseVar).isGreaterThan(2_000);
    }

    @Test
    void theNoiseIsTheWindowToWindowSpreadNotABurstsEdges() {
        // a steady 110 with a ten-fold burst of 5 windows every two hours: the level's spread of
        // residuals is wide; the differences' clipped spread stays near the Poisson noise
        Random random = new Random(7);
        VolumeShift shift = new VolumeShift();
        for (int w = 0; w < 2_000; w++) {
            double mean = w % 120 < 5 ? 1_100 : 110;
            shift.update(poisson(random, mean), 110, Double.NaN, w >= S.warmup(), S);
        }
        assertThat(shift.noiseVar).isLessThan(4 * 110);
    }

    @Test
    void aRunsUsualFollowsYesterdaysDailyShape() {
        VolumeShift shift = new VolumeShift();
        for (int w = 0; w < 3; w++) shift.update(110, 110, Double.NaN, false, S);
        // the run begins where yesterday's quarter hour had 150 lines a window
        shift.update(50, 110, 150, true, S);
        assertThat(shift.cusum).isPositive();
        assertThat(shift.shapedUsual(105)).isCloseTo(110 * 105 / 150.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(shift.shapedUsual(Double.NaN)).isEqualTo(110);
    }

    @Test
    void onAFirstDayAPeaksLiftCountsOnlyAsItLasts() {
        VolumeShift shift = new VolumeShift();
        // 110 for hours, a peak: the usual climbs to 200 over 90 minutes
        for (int w = 0; w < 300; w++) shift.update(110, 110, Double.NaN, false, S);
        for (int w = 0; w < 90; w++) shift.update(200, 110 + 90 * Math.min(1, w / 30.0), Double.NaN, true, S);
        assertThat(shift.slowRiseUsual).isBetween(120.0, 150.0);
        // its end, back to 105: the run's usual (200) is held to the slowly rising one
        shift.update(105, 200, Double.NaN, true, S);
        assertThat(shift.shapedUsual(Double.NaN)).isEqualTo(shift.slowRiseUsual);
        assertThat(105 <= shift.shapedUsual(Double.NaN) / 2).as("halved").isFalse();
        // a fall of the usual is followed at once
        shift.update(50, 60, Double.NaN, true, S);
        assertThat(shift.slowRiseUsual).isEqualTo(60);
    }

    @Test
    void aGapIsNotADifference() {
        VolumeShift shift = new VolumeShift();
        shift.update(100, 100, Double.NaN, false, S);
        shift.gap();
        shift.update(0, 100, Double.NaN, false, S);
        assertThat(shift.differences).isZero();
        assertThat(shift.noiseVar).isZero();
    }
}
