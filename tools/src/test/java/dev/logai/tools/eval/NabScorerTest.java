package dev.logai.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class NabScorerTest {
    /** 1,000 points (probation 150), one window [500, 599]. */
    static final List<int[]> WINDOW = List.<int[]>of(new int[] {500, 599});

    static double[] flagsAt(int... indices) {
        double[] scores = new double[1_000];
        for (int i : indices) scores[i] = 1.0;
        return scores;
    }

    @Test
    void scaledSigmoidMatchesNabsDocumentedValues() {
        assertThat(NabScorer.scaledSigmoid(-1.0)).isCloseTo(0.98661, within(1e-5));
        assertThat(NabScorer.scaledSigmoid(-0.5)).isCloseTo(0.84828, within(1e-5));
        assertThat(NabScorer.scaledSigmoid(0.0)).isCloseTo(0.0, within(1e-9));
        assertThat(NabScorer.scaledSigmoid(3.5)).isEqualTo(-1.0);
        assertThat(NabScorer.probationaryLength(1_000)).isEqualTo(150);
        assertThat(NabScorer.probationaryLength(100_000)).isEqualTo(750);
    }

    @Test
    void earliestDetectionIsPerfectNothingIsNullAndOnlyTheFirstDetectionInAWindowCounts() {
        List<NabScorer.Point> perfect = NabScorer.points("s", flagsAt(500, 550, 599), WINDOW);
        assertThat(NabScorer.normalised(NabScorer.rawScore(perfect, 0.5), 1)).isCloseTo(100, within(1e-6));
        List<NabScorer.Point> none = NabScorer.points("s", flagsAt(), WINDOW);
        assertThat(NabScorer.normalised(NabScorer.rawScore(none, 0.5), 1)).isCloseTo(0, within(1e-9));
        List<NabScorer.Point> late = NabScorer.points("s", flagsAt(590), WINDOW);
        assertThat(NabScorer.rawScore(late, 0.5)).isBetween(0.0, 0.5);
    }

    @Test
    void falsePositivesCostLessRightAfterAWindowAndNothingInProbation() {
        double before = NabScorer.rawScore(NabScorer.points("s", flagsAt(300), WINDOW), 0.5);
        double justAfter = NabScorer.rawScore(NabScorer.points("s", flagsAt(601), WINDOW), 0.5);
        double probation = NabScorer.rawScore(NabScorer.points("s", flagsAt(100), WINDOW), 0.5);
        assertThat(before).isCloseTo(-1 - 0.11, within(1e-9));
        assertThat(justAfter).isGreaterThan(before).isLessThan(-1.0);
        assertThat(probation).isCloseTo(-1.0, within(1e-9));
    }

    @Test
    void theOptimiserFindsTheThresholdThatSeparatesDetectionsFromNoise() {
        double[] scores = new double[1_000];
        scores[300] = 0.4; // a false positive below the true detection's score
        scores[520] = 0.7;
        double[] best = NabScorer.bestThreshold(NabScorer.points("s", scores, WINDOW));
        assertThat(best[0]).isEqualTo(0.7);
        assertThat(best[1]).isGreaterThan(0.9);
    }

    @Test
    void theOtherProfilesWeighFalsePositivesAndMissesAsNabConfiguresThem() {
        // A false positive before the window and no detection: -fp - fn under each profile.
        double[] fpOnly = flagsAt(300);
        assertThat(NabScorer.rawScore(NabScorer.points("s", fpOnly, WINDOW, NabScorer.LOW_FP), 0.5, NabScorer.LOW_FP))
                .isCloseTo(-0.22 - 1.0, within(1e-9));
        assertThat(NabScorer.rawScore(NabScorer.points("s", fpOnly, WINDOW, NabScorer.LOW_FN), 0.5, NabScorer.LOW_FN))
                .isCloseTo(-0.11 - 2.0, within(1e-9));
        // Normalised against each profile's own null detector: finding nothing is 0.
        assertThat(NabScorer.normalised(-2.0, 1, NabScorer.LOW_FN)).isCloseTo(0, within(1e-9));
        assertThat(NabScorer.normalised(1.0, 1, NabScorer.LOW_FN)).isCloseTo(100, within(1e-9));
    }
}
