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
                // yy/MM/dd or MM/dd/yy: the reading nearer the reference (2024-06-15) wins
                "03/04/24 10:00:00|2024-03-04T10:00:00Z",
                "24/03/04 10:00:00|2024-03-04T10:00:00Z",
                // month names of the major languages, abbreviated and full, with and without a dot
                "15-Mär-2019 18:54:42.585|2019-03-15T18:54:42.585Z",
                "15-Mrz-2019 18:54:42.585|2019-03-15T18:54:42.585Z",
                "15 févr. 2019 18:54:42|2019-02-15T18:54:42Z",
                "15 juil. 2019 18:54:42|2019-07-15T18:54:42Z",
                "15 juin 2019 18:54:42|2019-06-15T18:54:42Z",
                "15-dic-2019 18:54:42|2019-12-15T18:54:42Z",
                "15-ene-2019 18:54:42|2019-01-15T18:54:42Z",
                "15-gen-2019 18:54:42|2019-01-15T18:54:42Z",
                "15-out-2019 18:54:42|2019-10-15T18:54:42Z",
                "15-mrt-2019 18:54:42|2019-03-15T18:54:42Z",
                "15-paź-2019 18:54:42|2019-10-15T18:54:42Z",
                "15 октября 2019 18:54:42|2019-10-15T18:54:42Z",
                "15-maj-2019 18:54:42|2019-05-15T18:54:42Z",
                "15-Ağu-2019 18:54:42|2019-08-15T18:54:42Z",
                "Sept 15 18:54:42|2023-09-15T18:54:42Z",
                // zone abbreviations (daylight and standard forms), WebSphere, CJK numeric dates
                "Sun Dec 04 04:47:44 CET 2005|2005-12-04T03:47:44Z",
                "Sat Jun 15 04:47:44 CEST 2024|2024-06-15T02:47:44Z",
                "3/15/19 18:54:42:585 EDT|2019-03-15T22:54:42.585Z",
                "2019年3月15日 18:54:42|2019-03-15T18:54:42Z",
                "2019년 3월 15일 18:54:42|2019-03-15T18:54:42Z",
            })
    void commonFormsParseToTheirInstant(String text, String expected) {
        TimestampLayouts.Match match = new TimestampLayouts.Match();
        assertThat(TimestampLayouts.matchAny(text, 0, REFERENCE, match)).isTrue();
        assertThat(match.end).isEqualTo(text.length());
        assertThat(Instant.ofEpochMilli(match.epochMillis)).isEqualTo(Instant.parse(expected));
    }

    /**
     * Random instants written by Java's own CLDR month names of each language (abbreviated and
     * full, as {@code dd-MMM-yyyy} and {@code dd MMMM yyyy} headers print them) read back exactly.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {"en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "sv", "tr"})
    void monthNamesOfEachLanguageRoundTrip(String language) {
        java.util.Random random = new java.util.Random(language.hashCode());
        java.util.Locale locale = java.util.Locale.forLanguageTag(language);
        TimestampLayouts.Match match = new TimestampLayouts.Match();
        for (String pattern : new String[] {"dd-MMM-yyyy HH:mm:ss.SSS", "dd MMMM yyyy HH:mm:ss.SSS"}) {
            java.time.format.DateTimeFormatter format = java.time.format.DateTimeFormatter.ofPattern(pattern, locale)
                    .withZone(java.time.ZoneOffset.UTC);
            for (int month = 0; month < 12; month++) {
                Instant at = java.time.LocalDateTime.of(
                                2019,
                                month + 1,
                                1 + random.nextInt(28),
                                random.nextInt(24),
                                random.nextInt(60),
                                random.nextInt(60),
                                random.nextInt(1000) * 1_000_000)
                        .toInstant(java.time.ZoneOffset.UTC);
                assertReadsBack(format.format(at), at, match);
            }
        }
    }

    private static void assertReadsBack(String text, Instant at, TimestampLayouts.Match match) {
        assertThat(TimestampLayouts.matchAny(text, 0, REFERENCE, match))
                .as(text)
                .isTrue();
        assertThat(match.end).as(text).isEqualTo(text.length());
        assertThat(Instant.ofEpochMilli(match.epochMillis)).as(text).isEqualTo(at);
    }

    /** Random instants written with the zone abbreviation in force there (standard or daylight) read back exactly. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {
                "Europe/Berlin",
                "America/New_York",
                "America/Los_Angeles",
                "America/Chicago",
                "Asia/Tokyo",
                "Australia/Sydney",
                "Europe/London",
                "Europe/Moscow"
            })
    void zoneAbbreviationsRoundTrip(String zone) {
        java.util.Random random = new java.util.Random(zone.hashCode());
        java.time.format.DateTimeFormatter format = java.time.format.DateTimeFormatter.ofPattern(
                        "EEE MMM dd HH:mm:ss z yyyy", java.util.Locale.US)
                .withZone(java.time.ZoneId.of(zone));
        TimestampLayouts.Match match = new TimestampLayouts.Match();
        for (int i = 0; i < 50; i++) {
            Instant at = Instant.ofEpochSecond(1_546_300_800L + random.nextInt(5 * 365 * 86_400));
            assertReadsBack(format.format(at), at, match);
        }
    }

    @org.junit.jupiter.api.Test
    void aDayAboveTwelveSettlesASourceAsDayFirst() {
        java.util.List<String> usLines = java.util.List.of("03/04/2019 10:00:00 a", "03/05/2019 10:00:00 b");
        java.util.List<String> euLines = java.util.List.of("03/04/2019 10:00:00 a", "15/04/2019 10:00:00 b");
        HeaderShape us = HeaderLearner.learn(usLines, REFERENCE);
        HeaderShape eu = HeaderLearner.learn(euLines, REFERENCE);
        HeaderShape.Result result = new HeaderShape.Result();
        us.apply("03/04/2019 10:00:00 a", REFERENCE, result);
        assertThat(Instant.ofEpochMilli(result.ts)).isEqualTo(Instant.parse("2019-03-04T10:00:00Z"));
        eu.apply("03/04/2019 10:00:00 a", REFERENCE, result);
        assertThat(Instant.ofEpochMilli(result.ts)).isEqualTo(Instant.parse("2019-04-03T10:00:00Z"));
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
