package dev.logai.flink.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ErrorClustersTest {
    /**
     * Learns {@code windows} windows of 30 clean lines (Poisson) and {@code failures} failures a
     * window (Poisson), each logging {@code lines} error lines, against the true usual rate.
     */
    private static ErrorClusters learned(int lines, double failures, int windows, long seed) {
        Random random = new Random(seed);
        ErrorClusters clusters = new ErrorClusters();
        double usualRate = lines * failures / (30 + lines * failures);
        for (int w = 0; w < windows; w++) {
            long errors = (long) lines * RateShiftTest.poisson(random, failures);
            clusters.learn(errors, RateShiftTest.poisson(random, 30) + errors, usualRate);
        }
        return clusters;
    }

    @Test
    void learnsHowManyLinesAFailureLogs() {
        for (long seed = 1; seed <= 5; seed++) {
            // one failure in 20 windows, or two a window; 1, 3 or 6 lines each
            for (double failures : new double[] {0.05, 2}) {
                for (int lines : new int[] {3, 6}) {
                    ErrorClusters c = learned(lines, failures, 20_000, seed);
                    assertThat(c.dispersion())
                            .as("seed %d, %d lines per failure, %.2f failures a window", seed, lines, failures)
                            .isCloseTo(lines, within(0.25 * lines));
                    assertThat(c.dispersionLower()).isBetween(0.5 * lines, c.dispersion());
                }
                ErrorClusters single = learned(1, failures, 20_000, seed);
                assertThat(single.dispersion()).as("independent error lines").isLessThan(1.25);
                assertThat(single.dispersionLower())
                        .as("independent error lines")
                        .isEqualTo(1.0);
            }
        }
    }

    @Test
    void oneIncidentWindowMovesItByABoundedStep() {
        for (long seed = 1; seed <= 5; seed++) {
            ErrorClusters c = learned(1, 0.6, 5_000, seed);
            double before = c.dispersion();
            c.learn(40, 60, 0.02); // an incident's window: 40 error lines where about 0.6 are usual
            assertThat(c.dispersion()).as("seed %d", seed).isLessThan(before + 0.25);
        }
    }

    @Test
    void oneFailureIsNoHabitButAFewAre() {
        ErrorClusters c = new ErrorClusters();
        c.learn(8, 38, 0.01);
        assertThat(c.dispersion()).as("after one failure of 8 lines").isLessThan(3);
        for (int i = 0; i < 10; i++) {
            c.learn(8, 38, 0.01);
        }
        assertThat(c.dispersion()).as("after eleven").isGreaterThan(5);
    }

    @Test
    void aRunsWindowsCountWhenItEndsAsNoiseAndNeverWhenItWasAChange() {
        for (boolean noise : new boolean[] {true, false}) {
            ErrorClusters c = learned(1, 0.6, 5_000, 1);
            double before = c.dispersion();
            for (int w = 0; w < 20; w++) {
                c.hold(6, 36, 0.02); // a run's windows: clusters of 6 where single lines are usual
            }
            assertThat(c.dispersion()).as("held back while the run goes on").isEqualTo(before);
            c.endRun(noise);
            if (noise) {
                assertThat(c.dispersion()).as("a run that was noise").isGreaterThan(before + 0.5);
            } else {
                assertThat(c.dispersion()).as("a change").isEqualTo(before);
            }
            assertThat(c.heldWindows).isZero();
        }
    }

    @Test
    void aBusySourceLearnsItsClustersToo() {
        // 1,000 lines a window at 5% errors, in failures of 5 lines: capping each window's weight by
        // the size alone averaged e − n·p (about 0), not its variance (1.0 instead of 5)
        Random random = new Random(3);
        ErrorClusters c = new ErrorClusters();
        for (int w = 0; w < 5_000; w++) {
            long errors = 5L * RateShiftTest.poisson(random, 10);
            c.learn(errors, 950 + errors, 0.05);
        }
        assertThat(c.dispersion()).isBetween(3.5, 7.5);
    }

    @Test
    void aLongRunThatWasNoiseDecaysTheHistoryAsItsWindowsWouldHave() {
        // 250 windows of 2 error lines each: one by one they keep e^-2.5 of the history; a decay
        // summed linearly and clipped at 1 wiped it (a review)
        ErrorClusters c = learned(6, 0.05, 20_000, 1);
        double history = c.errors; // about 600 error lines: 100 windows' failures of 6
        for (int w = 0; w < 250; w++) {
            c.hold(2, 32, 0.06);
        }
        c.endRun(true);
        assertThat(c.errors - 500).as("the history kept").isCloseTo(history * Math.exp(-2.5), within(1.0));
    }
}
