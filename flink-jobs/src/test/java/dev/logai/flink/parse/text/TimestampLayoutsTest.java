package dev.logai.flink.parse.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimestampLayoutsTest {
    /** 2024-06-15T12:00:00Z: year-less and date-less forms take the reference's year and day. */
    private static final long REFERENCE = Instant.parse("2024-06-15T12:00:00Z").toEpochMilli();

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "2024-06-14T15:16:01Z|2024-06-14T15:16:01Z",
                "2024-06-14T15:16:01.123456+02:00|2024-06-14T13:16:01.123Z",
                "2024-06-14 15:16:01,978|2024-06-14T15:16:01.978Z",
                "2024-06-14T15:16:01+0530|2024-06-14T09:46:01Z",
                "1718378161|2024-06-14T15:16:01Z",
                "1718378161123|2024-06-14T15:16:01.123Z",
                "1718378161.5|2024-06-14T15:16:01.500Z",
                "Jun 14 15:16:01|2024-06-14T15:16:01Z",
                "Jun  4 15:16:01|2024-06-04T15:16:01Z",
                "Jun 14 15:16:01 2023|2023-06-14T15:16:01Z",
                "Sun Dec 04 04:47:44 2005|2005-12-04T04:47:44Z",
                "081109 203615|2008-11-09T20:36:15Z",
                "17/06/09 20:10:40|2017-06-09T20:10:40Z",
                "06-14 15:16:01.811|2024-06-14T15:16:01.811Z",
                "2005-06-03-15.42.50.675872|2005-06-03T15:42:50.675Z",
                "20171223-22:15:29:606|2017-12-23T22:15:29.606Z",
                "20171224-2:3:9:6|2017-12-24T02:03:09.600Z",
                "10/Oct/2000:13:55:36 -0700|2000-10-10T20:55:36Z",
                "06.14 15:16:01|2024-06-14T15:16:01Z",
                "14-Jun-2024 15:16:01.123|2024-06-14T15:16:01.123Z",
                "2024/06/14 15:16:01|2024-06-14T15:16:01Z",
                "11:16:01.250|2024-06-15T11:16:01.250Z",
                "23:59:00|2024-06-14T23:59:00Z",
            })
    void commonFormsParseToTheirInstant(String text, String expected) {
        TimestampLayouts.Match match = new TimestampLayouts.Match();
        assertThat(TimestampLayouts.matchAny(text, 0, REFERENCE, match)).isTrue();
        assertThat(match.end).isEqualTo(text.length());
        assertThat(Instant.ofEpochMilli(match.epochMillis)).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"2024-13-01 10:00:00", "Foo 14 15:16:01", "12345", "25:61:00", "node-246", "1077804742x"})
    void nonTimestampsAreRejected(String text) {
        TimestampLayouts.Match match = new TimestampLayouts.Match();
        boolean matched = TimestampLayouts.matchAny(text, 0, REFERENCE, match);
        assertThat(matched && match.end == text.length()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"2000,1,1", "1970,1,1", "2024,2,29", "2100,12,31", "1999,12,31"})
    void civilDaysRoundTrip(int y, int m, int d) {
        long days = TimestampLayouts.daysFromCivil(y, m, d);
        assertThat(days).isEqualTo(java.time.LocalDate.of(y, m, d).toEpochDay());
        assertThat(TimestampLayouts.civilYear(days)).isEqualTo(y);
    }
}
