package dev.logai.flink.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RateShiftTest {
    static final DetectorSettings S = DetectorSettings.MEDIUM;

    /** Binomial draws: the error lines of a window of {@code lines} at {@code rate}. */
    private static long errors(Random random, int lines, double rate) {
        long e = 0;
        for (int i = 0; i < lines; i++) if (random.nextDouble() < rate) e++;
        return e;
    }

    /** Windows (numbered from 0) where the source's error-rate detector and its shift flag. */
    private static List<Integer> flagged(double[] rates, int lines, long seed) {
        Random random = new Random(seed);
        EwmDetector d = new EwmDetector();
        List<Integer> out = new ArrayList<>();
        for (int w = 0; w < rates.length; w++) {
            long e = errors(random, lines, rates[w]);
            d.update((double) e / lines, S);
            if (d.n > 3L * S.warmup() && ErrorRateDetector.shiftOf(d).update(e, lines, d.baseline, S)) {
                out.add(w);
            }
        }
        return out;
    }

    @Test
    void anErrorRateSteppingFromHalfAPercentToTwoIsFlaggedOnceWithinAFewWindows() {
        double[] rates = new double[600];
        for (int w = 0; w < rates.length; w++) rates[w] = w < 300 ? 0.005 : 0.02;
        for (long seed = 1; seed <= 5; seed++) {
            List<Integer> flags = flagged(rates, 300, seed);
            assertThat(flags).as("seed %d: %s", seed, flags).hasSize(1);
            assertThat(flags.get(0)).as("seed %d", seed).isBetween(300, 312);
        }
    }

    @Test
    void aSteadyRateIsNeverALastingRise() {
        double[] rates = new double[5_000];
        java.util.Arrays.fill(rates, 0.02);
        for (long seed = 1; seed <= 3; seed++) {
            assertThat(flagged(rates, 60, seed)).as("seed %d", seed).isEmpty();
        }
    }

    @Test
    void aRunThatBeganWithAReportedSpikeIsNotReportedAgain() {
        RateShift shift = new RateShift();
        shift.spiked(30, 100, 0.01, S);
        for (int w = 0; w < 20; w++) {
            assertThat(shift.update(5, 100, 0.01, S)).isFalse();
        }
        // the rate back at its usual drains the run; a new rise is a new report
        for (int w = 0; w < 1_000; w++) shift.update(1, 100, 0.01, S);
        assertThat(shift.cusum).isZero();
        boolean reported = false;
        for (int w = 0; w < 20; w++) reported |= shift.update(5, 100, 0.01, S);
        assertThat(reported).isTrue();
    }
}
