package dev.logai.flink.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SeriesDetectorTest {
    static final long MINUTE = 60_000L;
    static final DetectorSettings S = DetectorSettings.MEDIUM;

    /** Minutes (from the start) whose score reached the label threshold. */
    private static List<Integer> flagged(double[] series) {
        SeriesDetector d = new SeriesDetector();
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < series.length; i++) {
            if (d.update(series[i], i * MINUTE, S) >= 0.5) {
                out.add(i);
            }
        }
        return out;
    }

    @Test
    void aNightlyBurstIsFlaggedTheFirstNightsThenLearnedAsUsualAtThatHour() {
        Random random = new Random(7);
        int days = 8;
        double[] lines = new double[days * 1440];
        for (int i = 0; i < lines.length; i++) {
            int minuteOfDay = i % 1440;
            lines[i] = 100 + 10 * random.nextGaussian() + (minuteOfDay >= 180 && minuteOfDay < 190 ? 900 : 0);
        }
        List<Integer> flags = flagged(lines);
        assertThat(flags).as("the first night's burst").anyMatch(i -> i >= 180 && i < 190);
        assertThat(flags).as("nothing in the last four nights: %s", flags).noneMatch(i -> i >= 4 * 1440);
        SeriesDetector d = new SeriesDetector();
        for (int i = 0; i < lines.length; i++) d.update(lines[i], i * MINUTE, S);
        d.update(1_000, (long) (days * 1440 + 182) * MINUTE, S);
        assertThat(d.profile.model).isEqualTo(SeasonalProfile.Model.DAILY);
        assertThat(d.profile.expected).as("expected at 3:02").isGreaterThan(600);
    }

    @Test
    void aLastingShiftAfterTheDailyProfileJudgesIsNotJudgedAgainstTheOldLevelForLong() {
        Random random = new Random(18);
        int days = 5;
        int shift = 3 * 1440 + 600; // day 4, 10:00: five times the traffic from now on (a new customer)
        SeriesDetector d = new SeriesDetector();
        List<Integer> stale = new ArrayList<>();
        for (int i = 0; i < days * 1440; i++) {
            int minuteOfDay = i % 1440;
            double x = (i >= shift ? 5 : 1) * (100 + (minuteOfDay >= 180 && minuteOfDay < 190 ? 900 : 0))
                    + 10 * random.nextGaussian();
            d.update(x, i * MINUTE, S);
            boolean againstOldLevel = d.profile.model != SeasonalProfile.Model.LEVEL && d.profile.expected < 0.7 * x;
            if (i >= shift + 180 && againstOldLevel) stale.add(i);
        }
        assertThat(stale)
                .as("judged against the old level 3 hours after the shift")
                .isEmpty();
    }

    @Test
    void aBurstAtAnUnusualHourIsStillFlaggedOnAPeriodicSeries() {
        Random random = new Random(8);
        double[] lines = new double[8 * 1440];
        for (int i = 0; i < lines.length; i++) {
            int minuteOfDay = i % 1440;
            lines[i] = 100 + 10 * random.nextGaussian() + (minuteOfDay >= 180 && minuteOfDay < 190 ? 900 : 0);
        }
        int unusual = 7 * 1440 + 720;
        lines[unusual] = 1_000;
        assertThat(flagged(lines)).contains(unusual);
    }

    @Test
    void aLevelShiftIsFlaggedOnceSoonAfterItStarts() {
        Random random = new Random(9);
        double[] rate = new double[600];
        for (int i = 0; i < rate.length; i++) {
            // An error rate stepping from 0.5% to 2% and staying there.
            rate[i] = (i < 400 ? 0.005 : 0.02) + 0.002 * random.nextGaussian();
        }
        List<Integer> flags = flagged(rate);
        assertThat(flags).as("flagged within two windows").anyMatch(i -> i >= 400 && i <= 401);
        assertThat(flags.stream().filter(i -> i > 420))
                .as("then it is the new level")
                .isEmpty();
        assertThat(flags.stream().filter(i -> i < 400)).as("nothing before").isEmpty();
    }

    @Test
    void aSlowLeakIsFlaggedWithinFifteenMinutesWhereEachStepIsWithinTheNoise() {
        Random random = new Random(10);
        double[] latency = new double[460];
        for (int i = 0; i < latency.length; i++) {
            // p95 latency doubling over an hour from minute 400 (+3.3 ms a minute, a noise of 10 ms).
            latency[i] = 200 + Math.max(0, i - 400) * 200.0 / 60 + 10 * random.nextGaussian();
        }
        List<Integer> flags = flagged(latency);
        assertThat(flags.stream().filter(i -> i < 400)).isEmpty();
        assertThat(flags).as("within 15 minutes of the start: %s", flags).anyMatch(i -> i >= 400 && i <= 415);
    }

    /**
     * A CPU series sampled every 5 minutes with a one-sample spike each night, its time drifting
     * between 3:00 and 3:40; night {@code tallNight}'s spike reaches {@code tallSpike} instead of
     * about 1.4.
     */
    private static double[] nightlySpikes(int days, int tallNight, double tallSpike, Random random) {
        int perDay = 288;
        double[] cpu = new double[days * perDay];
        for (int i = 0; i < cpu.length; i++) cpu[i] = 0.13 + 0.005 * random.nextGaussian();
        for (int day = 0; day < days; day++) {
            int minute = 180 + 5 * random.nextInt(9); // 3:00 … 3:40
            cpu[day * perDay + minute / 5] = day == tallNight ? tallSpike : 1.4 + 0.1 * random.nextGaussian();
        }
        return cpu;
    }

    private static List<Integer> flaggedEvery5Minutes(double[] series) {
        SeriesDetector d = new SeriesDetector();
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < series.length; i++) {
            if (d.update(series[i], i * 5 * MINUTE, S) >= 0.5) out.add(i);
        }
        return out;
    }

    @Test
    void aNightlySpikeWhoseTimeDriftsIsLearnedAfterTwoNights() {
        for (int seed = 0; seed < 5; seed++) {
            double[] cpu = nightlySpikes(10, -1, 0, new Random(seed));
            List<Integer> flags = flaggedEvery5Minutes(cpu);
            assertThat(flags)
                    .as("seed %d: the second night's spike is news", seed)
                    .anyMatch(i -> i / 288 == 1);
            assertThat(flags.stream().filter(i -> i >= 3 * 288))
                    .as("seed %d: from the fourth night on, the usual spike", seed)
                    .isEmpty();
        }
    }

    @Test
    void aNightlySpikeTwiceAsHighAsUsualOrOneAtNoonIsStillFlagged() {
        Random random = new Random(3);
        double[] cpu = nightlySpikes(10, 8, 2.8, random);
        int noon = 9 * 288 + 144;
        cpu[noon] = 1.4;
        List<Integer> flags = flaggedEvery5Minutes(cpu);
        assertThat(flags).as("the ninth night's double spike").anyMatch(i -> i / 288 == 8 && i % 288 < 48);
        assertThat(flags).as("the tenth day's noon spike").contains(noon);
    }

    @Test
    void aNightlySpikeThatGrowsEveryNightIsFlaggedEveryNight() {
        Random random = new Random(5);
        int perDay = 288;
        double[] cpu = new double[10 * perDay];
        for (int i = 0; i < cpu.length; i++) cpu[i] = 0.13 + 0.005 * random.nextGaussian();
        for (int day = 0; day < 10; day++) {
            int minute = 180 + 5 * random.nextInt(9);
            cpu[day * perDay + minute / 5] = 0.13 + 0.2 * Math.pow(1.4, day); // the excess ×1.4 a night
        }
        List<Integer> flags = flaggedEvery5Minutes(cpu);
        for (int night = 3; night < 10; night++) {
            final int n = night;
            assertThat(flags).as("night %d: %s", night, flags).anyMatch(i -> i / perDay == n);
        }
    }

    @Test
    void stateStaysTheSameSizeHoweverLongTheSeries() {
        SeriesDetector d = new SeriesDetector();
        for (int i = 0; i < 100_000; i++) d.update(i % 7, i * MINUTE, S);
        assertThat(d.profile.daily).hasSize(96);
        assertThat(d.profile.weekly).hasSize(168);
        assertThat(d.level.surprises).hasSize(EwmDetector.BUCKETS);
    }
}
