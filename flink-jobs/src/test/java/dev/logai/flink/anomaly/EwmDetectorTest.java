package dev.logai.flink.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class EwmDetectorTest {
    static final DetectorSettings MEDIUM = DetectorSettings.MEDIUM;

    @Test
    void aSurprisesBucketIsTheLastWhoseFloorItReaches() {
        Random random = new Random(3);
        for (int i = 0; i < 200_000; i++) {
            double s = Math.exp(random.nextDouble() * 30 - 4);
            assertThat(EwmDetector.bucketOf(s)).as("bucket of %s", s).isEqualTo(bucketByDefinition(s));
        }
        for (int b = 1; b < EwmDetector.BUCKETS; b++) {
            double floor = EwmDetector.FIRST_BUCKET * Math.pow(EwmDetector.BUCKET_RATIO, b - 1);
            for (double s : new double[] {floor, Math.nextDown(floor), Math.nextUp(floor)}) {
                assertThat(EwmDetector.bucketOf(s)).as("bucket of %s", s).isEqualTo(bucketByDefinition(s));
            }
        }
        assertThat(EwmDetector.bucketOf(0)).isZero();
        assertThat(EwmDetector.bucketOf(EwmDetector.FIRST_BUCKET)).isZero();
        assertThat(EwmDetector.bucketOf(1e9)).isEqualTo(EwmDetector.BUCKETS - 1);
        assertThat(EwmDetector.bucketOf(Double.MAX_VALUE)).isEqualTo(EwmDetector.BUCKETS - 1);
    }

    @Test
    void theKeptTailJudgesAsAFreshSumOfTheHistoryDoes() {
        // The tail of the surprise histogram is kept up to date point by point; a detector restored
        // from state sums it afresh. Both must judge the next point alike, however the history moved.
        Random random = new Random(8);
        EwmDetector kept = new EwmDetector();
        for (int i = 0; i < 600_000; i++) {
            double x = 100
                    + random.nextGaussian() * (i % 50_000 < 25_000 ? 1 : 20)
                    + (random.nextInt(30) == 0 ? 500 * random.nextDouble() : 0); // a heavy tail: 1% of |z| beyond 4
            kept.update(x, MEDIUM);
            if (i % 9_973 == 0) {
                EwmDetector restored = copyOfState(kept);
                double probe = 100 + 40 * random.nextDouble();
                double usual = usualSurpriseByDefinition(kept);
                // the surprise's score before the onset rule, which would hide most of them
                double restoredScore = restored.surprise(Math.abs(restored.learn(probe, MEDIUM)), MEDIUM);
                double keptZ = Math.abs(kept.learn(probe, MEDIUM));
                double keptScore = kept.surprise(keptZ, MEDIUM);
                assertThat(restoredScore).as("point %d", i).isEqualTo(keptScore);
                double e = keptZ / Math.max(MEDIUM.threshold(), usual);
                assertThat(keptScore).as("point %d, by definition", i).isCloseTo(e * e / (e * e + 1), within(1e-12));
            }
        }
    }

    /**
     * The surprise only 1% of the history exceeded, by its definition, scanning from the top: the
     * top of the highest bucket i ≥ 1 whose weight and the weight above it exceed 1% of the total.
     */
    private static double usualSurpriseByDefinition(EwmDetector d) {
        double above = 0;
        for (int i = EwmDetector.BUCKETS - 1; i >= 1; i--) {
            above += d.surprises[i];
            if (above > EwmDetector.TAIL * d.surpriseTotal) {
                return EwmDetector.FIRST_BUCKET * Math.pow(EwmDetector.BUCKET_RATIO, i);
            }
        }
        return EwmDetector.FIRST_BUCKET;
    }

    /** A detector with {@code d}'s state and none of its transient fields, as Flink restores one. */
    private static EwmDetector copyOfState(EwmDetector d) {
        EwmDetector copy = new EwmDetector();
        copy.n = d.n;
        copy.mean = d.mean;
        copy.var = d.var;
        copy.longRunVar = d.longRunVar;
        copy.peak = d.peak;
        copy.surprises = d.surprises.clone();
        copy.surpriseTotal = d.surpriseTotal;
        copy.surpriseWeight = d.surpriseWeight;
        return copy;
    }

    /** The bucket by its definition, a linear scan: 0 up to the first floor, then the last floor reached. */
    private static int bucketByDefinition(double s) {
        if (s <= EwmDetector.FIRST_BUCKET) {
            return 0;
        }
        int b = 1;
        while (b < EwmDetector.BUCKETS - 1 && s >= EwmDetector.FIRST_BUCKET * Math.pow(EwmDetector.BUCKET_RATIO, b)) {
            b++;
        }
        return b;
    }

    @Test
    void noiseIsNotFlaggedAndASpikeIsFlaggedOnce() {
        Random random = new Random(1);
        EwmDetector d = new EwmDetector();
        int flags = 0;
        for (int i = 0; i < 2_000; i++) {
            if (d.update(100 + random.nextGaussian() * 5, MEDIUM) >= 0.5) flags++;
        }
        assertThat(flags).as("flags on Gaussian noise").isLessThanOrEqualTo(2);
        double score = d.update(200, MEDIUM);
        assertThat(score).isGreaterThanOrEqualTo(0.5).isLessThan(1.0);
        assertThat(d.z).isGreaterThan(10);
        assertThat(d.baseline).isBetween(95.0, 105.0);
    }

    @Test
    void anIncidentDoesNotPoisonItsOwnBaselineAndIsFlaggedAtItsOnsetOnly() {
        Random random = new Random(2);
        EwmDetector d = new EwmDetector();
        for (int i = 0; i < 500; i++) d.update(10 + random.nextGaussian(), MEDIUM);
        int flags = 0;
        for (int i = 0; i < 10; i++) {
            if (d.update(60, MEDIUM) >= 0.5) flags++;
        }
        assertThat(flags).as("one flag per onset, not one per point").isEqualTo(1);
        // The Huber step moved the baseline only a little towards 60 in ten points.
        assertThat(d.mean).isLessThan(20);
    }

    @Test
    void nothingIsFlaggedDuringWarmUpAndScoresStayInRange() {
        EwmDetector d = new EwmDetector();
        for (int i = 0; i < MEDIUM.warmup(); i++) {
            assertThat(d.update(i % 2 == 0 ? 0 : 1_000, MEDIUM)).isZero();
        }
        Random random = new Random(3);
        for (int i = 0; i < 10_000; i++) {
            double x = random.nextInt(100) == 0 ? random.nextDouble() * 1e9 : random.nextGaussian();
            assertThat(d.update(x, MEDIUM)).isBetween(0.0, 1.0);
        }
        assertThat(d.update(Double.NaN, MEDIUM)).isZero();
    }

    @Test
    void aFlatLineThatMovesIsSurprisingButItsScaleComesFromItsLevel() {
        EwmDetector d = new EwmDetector();
        for (int i = 0; i < 200; i++) d.update(1_000, MEDIUM);
        assertThat(d.update(1_000.5, MEDIUM)).as("0.05% of the level").isLessThan(0.5);
        assertThat(d.update(1_100, MEDIUM)).as("10% of the level").isGreaterThanOrEqualTo(0.5);
    }

    @Test
    void higherSensitivityFlagsWhatMediumDoesNot() {
        double medium = scoreOfStep(DetectorSettings.forSensitivity("medium"));
        double high = scoreOfStep(DetectorSettings.forSensitivity("high"));
        double low = scoreOfStep(DetectorSettings.forSensitivity("low"));
        assertThat(high).isGreaterThan(medium);
        assertThat(medium).isGreaterThan(low);
    }

    private static double scoreOfStep(DetectorSettings s) {
        Random random = new Random(4);
        EwmDetector d = new EwmDetector();
        for (int i = 0; i < 1_000; i++) d.update(random.nextGaussian(), s);
        return d.update(5, s);
    }

    @Test
    void templateRatesDecayOverAbsentWindowsWithoutVisitingThem() {
        TemplateRate r = TemplateRate.startingAt(0);
        for (long w = 0; w < 100; w++) r.update(w, 10);
        assertThat(r.expected(100)).isBetween(9.0, 10.5);
        assertThat(r.expected(150)).isLessThan(1.0);
        r.update(150, 1_000);
        assertThat(r.expected(151)).as("one burst is clipped").isLessThan(5);
    }

    @Test
    void anIntermittentTemplateIsJudgedAgainstItsUsualBurstNotItsDilutedAverage() {
        // a batch job's template: 100 lines in one window every 30, nothing in between
        TemplateRate r = TemplateRate.startingAt(0);
        for (long w = 0; w < 300; w += 30) {
            assertThat(r.usual(w)).as("usual before the burst at window %d", w).isLessThan(w >= 90 ? 130 : 101);
            r.update(w, 100);
        }
        assertThat(r.expected(300)).as("the diluted average").isLessThan(30);
        assertThat(r.usual(300)).as("its usual burst").isBetween(90.0, 110.0);
        // a steady template's usual stays its average
        TemplateRate steady = TemplateRate.startingAt(0);
        for (long w = 0; w < 200; w++) steady.update(w, 10);
        assertThat(steady.usual(200)).isBetween(9.0, 10.5);
    }

    @Test
    void sensitivityOverridesPreferTheSourceThenTheOrg() {
        AnomalySettings s =
                new AnomalySettings("medium", AnomalySettings.parseOverrides("org_a=high, org_a/src_q=low"));
        assertThat(s.forSource("org_a", "src_q").threshold()).isEqualTo(6.0);
        assertThat(s.forSource("org_a", "src_r").threshold()).isEqualTo(3.0);
        assertThat(s.forSource("org_b", "src_r").threshold()).isEqualTo(4.0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AnomalySettings("loud", java.util.Map.of()))
                .hasMessageContaining("low, medium or high");
    }
}
