package dev.logai.flink.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.function.IntToDoubleFunction;
import java.util.function.IntToLongFunction;
import java.util.function.IntUnaryOperator;
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
        int[] sizes = new int[rates.length];
        java.util.Arrays.fill(sizes, lines);
        return flagged(rates, sizes, seed);
    }

    /** As above, with each window's own number of lines. */
    private static List<Integer> flagged(double[] rates, int[] sizes, long seed) {
        Random random = new Random(seed);
        return flagged(rates.length, w -> sizes[w], w -> errors(random, sizes[w], rates[w]));
    }

    /** Windows flagged among {@code windows} windows of {@code lines(w)} lines, {@code errors(w)} of them errors. */
    private static List<Integer> flagged(int windows, IntUnaryOperator lines, IntToLongFunction errors) {
        EwmDetector d = new EwmDetector();
        List<Integer> out = new ArrayList<>();
        for (int w = 0; w < windows; w++) {
            int n = lines.applyAsInt(w);
            long e = errors.applyAsLong(w);
            d.update((double) e / n, S);
            // as ErrorRateDetector.lastingRise: counts pooled from the start, a CUSUM after three warm-ups
            if (d.n <= 3L * S.warmup()) {
                ErrorRateDetector.shiftOf(d).observe(e, n);
            } else if (ErrorRateDetector.shiftOf(d).update(e, n, d.baseline, S)) {
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
            assertThat(flags.get(0)).as("seed %d", seed).isBetween(300, 315);
        }
    }

    @Test
    void aSlowRiseInASmallServiceIsFoundThoughItsRunOutlivesThePooledMemory() {
        // 20 lines a window, 0.5% → 2% errors: about 90 windows of evidence, often more
        double[] rates = new double[700];
        for (int w = 0; w < rates.length; w++) rates[w] = w < 300 ? 0.005 : 0.02;
        int found = 0;
        for (long seed = 1; seed <= 40; seed++) {
            List<Integer> flags = flagged(rates, 20, seed);
            if (!flags.isEmpty() && flags.get(0) >= 300) found++;
        }
        assertThat(found).as("rises found of 40").isGreaterThanOrEqualTo(36);
    }

    @Test
    void aFiveFoldStepOfASmallServiceIsFoundSoonerThanADoublingWouldBe() {
        // 10 lines a window, 1% → 5% errors: about 0.25 nats a window for "doubled" (~64 windows
        // to e¹⁶), 0.4 for "four times" (~39). Doubled alone: median 61 windows in these seeds; with
        // the second CUSUM, 44.
        double[] rates = new double[3_400];
        for (int w = 0; w < rates.length; w++) rates[w] = w < 3_000 ? 0.01 : 0.05;
        List<Integer> delays = new ArrayList<>();
        for (long seed = 1; seed <= 21; seed++) {
            List<Integer> flags = flagged(rates, 10, seed);
            assertThat(flags).as("seed %d: %s", seed, flags).hasSize(1);
            delays.add(flags.get(0) - 3_000);
        }
        java.util.Collections.sort(delays);
        assertThat(delays.get(0)).as("no flag before the step: %s", delays).isNotNegative();
        assertThat(delays.get(delays.size() / 2))
                .as("median delay, windows: %s", delays)
                .isLessThanOrEqualTo(45);
    }

    @Test
    void aLargeRiseIsDatedFromItsOwnStartNotFromANoiseClusterBeforeIt() {
        // 10 lines a window at 1% errors; 50 windows before a step to 6%, one window with 5 errors:
        // the doubled chart, draining ~0.03 nats a window, is still above 0 when the step comes.
        long minute = 60_000;
        int dated = 0;
        for (long seed = 1; seed <= 10; seed++) {
            Random random = new Random(seed);
            EwmDetector d = new EwmDetector();
            RateShift shift = ErrorRateDetector.shiftOf(d);
            for (int w = 0; w < 3_400; w++) {
                long e = w == 2_950 ? 5 : errors(random, 10, w < 3_000 ? 0.01 : 0.06);
                d.update(e / 10.0, S);
                if (d.n <= 3L * S.warmup()) {
                    shift.observe(e, 10);
                } else if (shift.update(e, 10, d.baseline, S, w * minute)) {
                    if (w >= 3_000 && shift.evidenceStart >= 2_990 * minute) dated++;
                    break;
                }
            }
        }
        // Dated from the run's start instead, 6 of 10 (the other 4 at the cluster's window, ~50 early).
        assertThat(dated)
                .as("rises dated no earlier than 10 windows before the step, of 10")
                .isGreaterThanOrEqualTo(9);
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
    void aSparseSteadyRateIsNeverALastingRise() {
        // a small service: 7 lines a window at 3.8% errors, 36 at 0.5%: mostly no error, now and
        // then one, which the clipped per-window baseline underestimates by half or more
        double[] rates = new double[5_000];
        for (double rate : new double[] {0.038, 0.005}) {
            java.util.Arrays.fill(rates, rate);
            for (long seed = 1; seed <= 5; seed++) {
                assertThat(flagged(rates, rate > 0.01 ? 7 : 36, seed))
                        .as("rate %s, seed %d", rate, seed)
                        .isEmpty();
            }
        }
    }

    @Test
    void anHourOfCleanExtraTrafficDoesNotMakeTheUsualRateALastingRise() {
        // 20 lines a window at 1.2% errors; for an hour, 60 lines at 0.4% (the extra requests are
        // clean): the pooled usual rate dips, and a run begun then must not add up against it
        double[] rates = new double[3_000];
        int[] sizes = new int[rates.length];
        for (int w = 0; w < rates.length; w++) {
            boolean surge = w % 1_000 >= 400 && w % 1_000 < 460;
            rates[w] = surge ? 0.004 : 0.012;
            sizes[w] = surge ? 60 : 20;
        }
        for (long seed = 1; seed <= 5; seed++) {
            assertThat(flagged(rates, sizes, seed)).as("seed %d", seed).isEmpty();
        }
    }

    /**
     * Windows whose lasting rise is reported when each window goes through the spike test first, as
     * {@link ErrorRateDetector} runs it (a spiked window marks the run reported). {@code window(w)}
     * gives {@code {errors, lines}}; windows without lines are skipped, as a service absent from them.
     */
    private static List<Integer> lastingRisesAsTheDetectorJudges(int windows, IntFunction<long[]> window) {
        EwmDetector d = new EwmDetector();
        RateShift shift = ErrorRateDetector.shiftOf(d);
        List<Integer> out = new ArrayList<>();
        for (int w = 0; w < windows; w++) {
            long[] counts = window.apply(w);
            long errors = counts[0];
            long lines = counts[1];
            if (lines == 0) continue;
            double rate = (double) errors / lines;
            double score = d.update(rate, S);
            if (ErrorRateDetector.flagged(
                    score, d, errors, lines, rate, ServiceErrorRateDetector.MIN_SERVICE_ERROR_RATE_RISE, S)) {
                ErrorRateDetector.spiked(d, errors, lines, S);
            } else if (d.n <= 3L * S.warmup()) {
                shift.observe(errors, lines);
            } else if (shift.update(errors, lines, d.baseline, S)) {
                out.add(w);
            }
        }
        return out;
    }

    @Test
    void aStepOfClusteredErrorsIsOneReportThoughCleanWindowsComeBetweenItsClusters() {
        // About 5 lines a window (Poisson), each failure logging 4 error lines: 5% → 20% of the
        // lines at window 1500, for good; spikes reported as ErrorRateDetector does. A review found
        // the test that a rise is over, divided by the dispersion's lower bound, took the clean
        // windows between clusters for the end: reported again (3 extra reports in 10 seeds).
        int again = 0;
        for (long seed = 1; seed <= 10; seed++) {
            Random random = new Random(seed);
            long after = lastingRisesAsTheDetectorJudges(2_500, w -> {
                        double p = w < 1_500 ? 0.05 : 0.2;
                        long errors = 4L * poisson(random, 5 * p / 4);
                        return new long[] {errors, poisson(random, 5 * (1 - p)) + errors};
                    })
                    .stream()
                    .filter(w -> w >= 1_500)
                    .count();
            again += (int) Math.max(0, after - 1);
        }
        assertThat(again).as("reports of the step after its first").isLessThanOrEqualTo(1);
    }

    @Test
    void sparseErrorsInClustersAtASteadyRateAreNoLastingRise() {
        // About 5 lines a window, 5% of them errors, each failure logging 5 to 10 error lines; spikes
        // reported as ErrorRateDetector does. The Pearson statistic's mean, of about the last 100
        // windows and at most 100 a window, sees one or two failures and puts the dispersion near 1
        // where it is about 8: 45 false rises in these 60,000 windows before the lines per failure
        // were learned from the failures themselves (ErrorClusters).
        int rises = 0;
        for (long seed = 1; seed <= 2; seed++) {
            Random random = new Random(seed);
            rises += lastingRisesAsTheDetectorJudges(30_000, w -> sparseClusteredWindow(random, 0.05))
                    .size();
        }
        assertThat(rises).as("false rises in 60,000 windows").isLessThanOrEqualTo(1);
    }

    @Test
    void aLastingRiseOfSparseClusteredErrorsIsFoundThoughItAddsUpSlowly() {
        // 5 lines a window, failures of 5–10 lines, 5% → 20% of the lines for good at window 3,000:
        // divided by φ ≈ 8, the evidence adds up in about 180 windows, longer than a run was allowed
        // (150) — a review found 6 of 10 seeds never reported. A run may now last 150·φ (up to ×4).
        int found = 0;
        for (long seed = 1; seed <= 10; seed++) {
            Random random = new Random(seed);
            List<Integer> rises =
                    lastingRisesAsTheDetectorJudges(4_500, w -> sparseClusteredWindow(random, w < 3_000 ? 0.05 : 0.2));
            if (rises.stream().anyMatch(w -> w >= 3_000)) found++;
        }
        assertThat(found).as("seeds whose step was reported").isGreaterThanOrEqualTo(8);
    }

    @Test
    void aSurgeOfCleanLinesDoesNotMakeTheUsualRateALastingRise() {
        // 25 lines a window at 4.7% errors; now and then a warning surge adds 100 clean lines a
        // window for 14 windows. Pooled by lines, the surge diluted the usual rate to about 3%,
        // and the usual 4.7% after it was a "lasting rise" (a week of the incident evaluation; there
        // before, hidden while runs stayed reported).
        int rises = 0;
        for (long seed = 1; seed <= 10; seed++) {
            double[] rates = new double[3_000];
            int[] sizes = new int[rates.length];
            for (int w = 0; w < rates.length; w++) {
                boolean surge = w % 700 >= 500 && w % 700 < 514;
                sizes[w] = surge ? 125 : 25;
                rates[w] = 0.047 * 25 / sizes[w];
            }
            rises += flagged(rates, sizes, seed).size();
        }
        assertThat(rises).as("false rises in 10 runs of 4 surges").isZero();
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

    /**
     * A service of {@code lines} lines a window at 1% errors with two slow leaks: errors climbing
     * by 8 points over 90 windows from window {@code first} and again from {@code second}, back to
     * 1% after each (a restart).
     */
    private static double[] twoLeaks(int windows, int first, int second) {
        double[] rates = new double[windows];
        for (int w = 0; w < windows; w++) {
            int into = w >= second ? w - second : w >= first ? w - first : -1;
            rates[w] = into >= 0 && into < 90 ? 0.01 + 0.08 * into / 90.0 : 0.01;
        }
        return rates;
    }

    @Test
    void aLeakHoursAfterAnotherOfTheSameServiceIsReportedToo() {
        // A service of 30 lines a window leaking again 7 hours after its restart. Before a reported
        // run could end otherwise than by its CUSUM draining to 0 (about 0.1 nats a window against
        // the leak's 100 or so), the second leak was no new run: reported, so silent (found in
        // 2 of 10 seeds). A week of the incident evaluation missed two such leaks.
        int second = 0;
        for (long seed = 1; seed <= 10; seed++) {
            List<Integer> flags = flagged(twoLeaks(1_600, 600, 1_100), 30, seed);
            assertThat(flags).as("seed %d: %s", seed, flags).isNotEmpty().hasSizeLessThanOrEqualTo(2);
            assertThat(flags.get(0)).as("seed %d", seed).isBetween(600, 690);
            if (flags.size() == 2 && flags.get(1) >= 1_100 && flags.get(1) < 1_190) second++;
        }
        assertThat(second).as("second leaks found of 10").isGreaterThanOrEqualTo(9);
    }

    @Test
    void aRiseAfterASpikeWasReportedIsReportedOnceTheRateCameBack() {
        RateShift shift = new RateShift();
        Random random = new Random(7);
        for (int w = 0; w < 300; w++) shift.observe(errors(random, 20, 0.01), 20);
        // a new error template's ten minutes, reported as spikes
        for (int w = 0; w < 10; w++) shift.spiked(errors(random, 20, 0.4), 20, 0.01, S);
        int found = -1;
        // back to usual for three hours (the spikes' 50 nats would take the doubled chart about 15
        // to drain), then a lasting rise
        for (int w = 0; w < 500 && found < 0; w++) {
            double rate = w < 200 ? 0.01 : 0.05;
            if (shift.update(errors(random, 20, rate), 20, 0.01, S)) found = w;
        }
        assertThat(found).as("window of the rise's report").isBetween(200, 300);
    }

    @Test
    void aRiseOnTopOfAStepThatBecameTheNormIsReported() {
        // 1% → 5% for good at window 1000 (reported once); at window 2200, 15% for two hours
        double[] rates = new double[2_600];
        for (int w = 0; w < rates.length; w++) {
            rates[w] = w < 1_000 ? 0.01 : w >= 2_200 && w < 2_320 ? 0.15 : 0.05;
        }
        for (long seed = 1; seed <= 5; seed++) {
            List<Integer> flags = flagged(rates, 30, seed);
            assertThat(flags).as("seed %d: %s", seed, flags).hasSize(2);
            assertThat(flags.get(0)).as("seed %d", seed).isBetween(1_000, 1_060);
            assertThat(flags.get(1)).as("seed %d", seed).isBetween(2_200, 2_260);
        }
    }

    @Test
    void aStepThatStaysForADayIsReportedOnce() {
        // the rule that ends a reported run once the usual has learned its level must not make the
        // same step a new rise against that usual: no second report in the 600 windows after the
        // first, and later at most the steady rate's own rare false rise (about one in 50,000
        // windows at 20 lines and 3%; these runs hold about 100,000 after their steps)
        int later = 0;
        for (int lines : new int[] {10, 20, 60, 300}) {
            for (double factor : new double[] {3, 5}) {
                double[] rates = new double[2_500];
                for (int w = 0; w < rates.length; w++) rates[w] = w < 1_000 ? 0.01 : 0.01 * factor;
                for (long seed = 1; seed <= 3; seed++) {
                    List<Integer> flags = flagged(rates, lines, seed);
                    // a rise to 3% of 10 or 20 lines a window is not always certain
                    assertThat(flags)
                            .as("%d lines, x%.0f, seed %d: %s", lines, factor, seed, flags)
                            .hasSizeGreaterThanOrEqualTo(lines * factor < 100 ? 0 : 1)
                            .allMatch(w -> w >= 1_000);
                    if (flags.size() > 1) {
                        assertThat(flags.get(1) - flags.get(0))
                                .as("%d lines, x%.0f, seed %d: %s", lines, factor, seed, flags)
                                .isGreaterThan(600);
                        later += flags.size() - 1;
                    }
                }
            }
        }
        assertThat(later).as("later reports of the same steps").isLessThanOrEqualTo(2);
    }

    /**
     * One window of about 5 lines, {@code share} of them errors logged by failures of 5–10 lines
     * each: {error lines, lines}.
     */
    private static long[] sparseClusteredWindow(Random random, double share) {
        long errors = 0;
        for (int f = poisson(random, 5 * share / 7.5); f > 0; f--) {
            errors += 5 + random.nextInt(6);
        }
        return new long[] {errors, poisson(random, 5 * (1 - share)) + errors};
    }

    /** Poisson draws with mean {@code mean} (Knuth's method); shared with {@link ErrorClustersTest}. */
    static int poisson(Random random, double mean) {
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int n = 0;
        while (product > limit) {
            n++;
            product *= random.nextDouble();
        }
        return n;
    }

    /**
     * Windows flagged for a source of 200 lines a window whose failures each log {@code cluster}
     * error lines (an error, its retries, a summary), {@code failures(w)} failures a window on
     * average.
     */
    private static List<Integer> flaggedClustered(int cluster, IntToDoubleFunction failures, int windows, long seed) {
        Random random = new Random(seed);
        return flagged(
                windows, w -> 200, w -> Math.min(200, (long) cluster * poisson(random, failures.applyAsDouble(w))));
    }

    @Test
    void aRunRemembersItsFirstWindowThoughTheServiceLogsOnlyNowAndThen() {
        // 60 lines every third minute, 1% → 6% errors at minute 3000: the run's start is its first
        // window, three times further back than its count of windows with lines says.
        long minute = 60_000;
        for (long seed = 1; seed <= 5; seed++) {
            Random random = new Random(seed);
            EwmDetector d = new EwmDetector();
            RateShift shift = ErrorRateDetector.shiftOf(d);
            for (int w = 0; w < 4000; w += 3) {
                long e = errors(random, 60, w < 3000 ? 0.01 : 0.06);
                d.update(e / 60.0, S);
                if (d.n <= 3L * S.warmup()) {
                    shift.observe(e, 60);
                } else if (shift.update(e, 60, d.baseline, S, w * minute)) {
                    long counted = w * minute - (shift.runWindows - 1) * minute;
                    assertThat(shift.evidenceStart)
                            .as("seed %d: reported at minute %d after %d windows", seed, w, shift.runWindows)
                            .isBetween(2900 * minute, w * minute)
                            .isLessThan(counted);
                    break;
                }
            }
            assertThat(shift.reported).as("seed %d", seed).isTrue();
        }
    }

    @Test
    void errorsInClustersAtASteadyRateAreNoLastingRise() {
        // Before the dispersion: 4 to 415 false rises per setting in these five source-weeks (108
        // for one failure a window logging 5 lines: about three a day), 745 in all.
        int all = 0;
        for (int cluster : new int[] {3, 5, 10}) {
            for (double failures : new double[] {0.2, 1.0, 4.0}) {
                int total = 0;
                for (long seed = 1; seed <= 5; seed++) {
                    total += flaggedClustered(cluster, w -> failures, 7 * 1440, seed)
                            .size();
                }
                assertThat(total)
                        .as("false rises in 5 source-weeks, clusters of %d, %.1f failures a window", cluster, failures)
                        .isLessThanOrEqualTo(5);
                all += total;
            }
        }
        assertThat(all).as("false rises in all settings").isLessThanOrEqualTo(10);
    }

    @Test
    void aLastingRiseOfClusteredErrorsIsStillFlaggedOnce() {
        // One failure every 2–3 windows, 5 lines each, then two a window: 1% → 5% of the lines.
        for (long seed = 1; seed <= 5; seed++) {
            List<Integer> flags = flaggedClustered(5, w -> w < 3000 ? 0.4 : 2.0, 3300, seed);
            assertThat(flags).as("seed %d: %s", seed, flags).hasSize(1);
            assertThat(flags.get(0) - 3000).as("seed %d", seed).isBetween(0, 25);
        }
    }
}
