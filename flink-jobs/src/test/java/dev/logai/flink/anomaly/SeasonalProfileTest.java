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
}
