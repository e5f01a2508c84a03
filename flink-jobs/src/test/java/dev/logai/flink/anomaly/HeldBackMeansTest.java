package dev.logai.flink.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class HeldBackMeansTest {
    @Test
    void heldValuesCountAsIfOneByOneWhenTheRunEndsUnreportedAndNotAtAllWhenReported() {
        HeldBackMeans oneByOne = new HeldBackMeans(1, 2);
        HeldBackMeans held = new HeldBackMeans(1, 2);
        for (int i = 0; i < 5; i++) {
            oneByOne.add(3, 4, 0.01);
            held.hold(3, 4);
        }
        assertThat(held.x).as("nothing counted while the run goes on").isEqualTo(1);
        held.endRun(true, 0.01);
        assertThat(held.x).isCloseTo(oneByOne.x, within(1e-12));
        assertThat(held.y).isCloseTo(oneByOne.y, within(1e-12));
        assertThat(held.held).isZero();

        HeldBackMeans reported = new HeldBackMeans(1, 2);
        reported.hold(100, 100);
        reported.endRun(false, 0.01);
        assertThat(reported.x).isEqualTo(1);
        assertThat(reported.y).isEqualTo(2);
        reported.endRun(true, 0.01);
        assertThat(reported.x).as("what was dropped is gone for good").isEqualTo(1);
    }
}
