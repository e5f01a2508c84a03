package dev.logai.flink.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class SeasonalProfileTest {
    static final long MINUTE = 60_000L;

    @Test
    void theFirstDaysQuarterHourIsTheAverageOfItsMinutes() {
        SeasonalProfile p = new SeasonalProfile();
        // a ramp through the first quarter hour: 40, 44, …, 96 lines a minute
        for (int m = 0; m < 15; m++) p.judge(40 + 4 * m, m * MINUTE, 0, 3);
        assertThat(p.daily[0]).as("mean of the quarter hour's minutes").isCloseTo(68, offset(1e-9));
        assertThat(p.weekly[(int) Math.floorMod(72, SeasonalProfile.WEEK_PHASES)])
                .as("its hour of the week so far")
                .isCloseTo(68, offset(1e-9));
    }

    @Test
    void aSeriesThatBeganInsideAPhaseKeepsThatPhasesFirstDay() {
        SeasonalProfile p = new SeasonalProfile();
        // from 00:07 to the next day's 00:00: the 00:00 quarter hour had 8 minutes of 100 lines
        for (int m = 7; m < 1440; m++) p.judge(100, m * MINUTE, 0, 3);
        p.judge(200, 1440 * MINUTE, 0, 3);
        assertThat(p.daily[0]).as("moved by the day's usual rate, not replaced").isLessThan(150);
    }

    @Test
    void afterTheFirstDayEachDayMovesAPhaseByAQuarter() {
        SeasonalProfile p = new SeasonalProfile();
        for (int m = 0; m < 1440; m++) p.judge(100, m * MINUTE, 0, 3);
        for (int m = 1440; m < 1455; m++) p.judge(200, m * MINUTE, 0, 3);
        assertThat(p.daily[0]).isCloseTo(125, offset(0.5));
    }

    /** A flat series at 10 with a spike of {@code spike} at each of the given minutes from the start. */
    private static SeasonalProfile withSpikes(int minutes, double spike, int... at) {
        SeasonalProfile p = new SeasonalProfile();
        for (int m = 0; m < minutes; m++) {
            final int minute = m;
            boolean spiking = java.util.Arrays.stream(at).anyMatch(a -> a == minute);
            p.judge(spiking ? spike : 10, m * MINUTE, 0, 3);
        }
        return p;
    }

    @Test
    void aPeakIsAHabitOnlyWhenEachOfTheLastTwoDaysHadOneNearThisTime() {
        int day = 1440;
        // spikes of 100 at 3:00 on the first day and 3:40 on the second; judged at 3:20 on the third
        SeasonalProfile p = withSpikes(2 * day + 200, 100, 180, day + 220);
        assertThat(p.habitualPeak(100, (2 * day + 200) * MINUTE, 10))
                .as("within both peaks")
                .isEqualTo(0);
        assertThat(p.usualPeak).isEqualTo(100);
        assertThat(p.habitualPeak(300, (2 * day + 200) * MINUTE, 10))
                .as("three times as high: more than twice the excess")
                .isNaN();
        assertThat(p.habitualPeak(120, (2 * day + 200) * MINUTE, 10))
                .as("20 above the peaks, whose spread is at least 10% of 90")
                .isCloseTo(20 / 9.0, offset(1e-4));
        assertThat(p.habitualPeak(100, (2 * day + 300) * MINUTE, 10))
                .as("at 5:00, over an hour from either")
                .isNaN();
        SeasonalProfile once = withSpikes(2 * day + 200, 100, day + 190);
        assertThat(once.habitualPeak(100, (2 * day + 200) * MINUTE, 10))
                .as("only yesterday: an incident may repeat once")
                .isNaN();
    }

    @Test
    void burstsAllDayLongAreNoHabitOfThisTimeOfDay() {
        int day = 1440;
        SeasonalProfile p = new SeasonalProfile();
        // a batch job: 100 lines in the first minute of every 10, 10 otherwise, for two days and a bit
        for (int m = 0; m < 2 * day + 200; m++) p.judge(m % 10 == 0 ? 100 : 10, m * MINUTE, 0, 3);
        assertThat(p.habitualPeak(100, (2 * day + 203) * MINUTE, 10))
                .as("a burst at :03, between the job's: the level's and the hourly habit's to judge")
                .isNaN();
    }

    @Test
    void stateRestoredWithoutThePeaksStartsThemOver() {
        SeasonalProfile p = withSpikes(1440, 100, 180);
        // what Flink's POJO schema evolution restores for fields a checkpoint did not have
        p.peakToday = null;
        p.peakYesterday = null;
        p.peakDayBefore = null;
        assertThat(p.habitualPeak(100, 1440 * MINUTE, 10)).isNaN();
        for (int m = 1440; m < 4 * 1440; m++) p.judge(m % 1440 == 200 ? 100 : 10, m * MINUTE, 0, 3);
        assertThat(p.habitualPeak(100, (4 * 1440 + 200) * MINUTE, 10))
                .as("two days of peaks learned since")
                .isEqualTo(0);
    }

    @Test
    void unlikePeaksAreNoHabit() {
        int day = 1440;
        // 100 on the first night, 140 on the second: growing, not a habit (they differ by more than a quarter of 130)
        SeasonalProfile growing = new SeasonalProfile();
        for (int m = 0; m < 2 * day + 200; m++) {
            growing.judge(m == 180 ? 100 : m == day + 180 ? 140 : 10, m * MINUTE, 0, 3);
        }
        assertThat(growing.habitualPeak(170, (2 * day + 180) * MINUTE, 10)).isNaN();
    }
}
