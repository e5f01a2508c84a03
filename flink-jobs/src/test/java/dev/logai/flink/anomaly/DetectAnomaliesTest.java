package dev.logai.flink.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.common.contract.Metric;
import dev.logai.flink.window.MetricsKey;
import dev.logai.flink.window.WindowMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The detect operator on Flink's keyed test harness: what it emits for complete windows only, that
 * it keeps three state entries per source (four with durations) and no timers, that per-service and per-template
 * baselines of a source are forgotten once they went quiet, and that a restore from a snapshot
 * continues with exactly the anomalies an uninterrupted run reports.
 */
class DetectAnomaliesTest {
    static final String KEY = "org_a/src_1";

    static KeyedOneInputStreamOperatorTestHarness<String, WindowMetrics, Anomaly> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DetectAnomalies(AnomalySettings.DEFAULTS)),
                new MetricsKey(),
                Types.STRING);
    }

    /** One complete minute of {@code lines} lines, {@code errors} of them errors, of template t1 and service api. */
    static WindowMetrics window(int minute, long lines, long errors) {
        WindowMetrics m = WindowMetrics.empty(
                "org_a",
                "src_1",
                WindowSeries.T0 + minute * WindowSeries.MINUTE,
                WindowSeries.T0 + (minute + 1) * WindowSeries.MINUTE);
        m.complete = true;
        WindowSeries.add(m, "t1", "request <*> done", lines, errors, false);
        m.services.put("api", WindowSeries.service(lines, errors));
        return m;
    }

    @Test
    void aVolumeExcursionIsOneAnomalyHoweverLongItClimbs() throws Exception {
        try (var h = harness()) {
            h.open();
            int minute = 0;
            for (; minute < 120; minute++) h.processElement(new StreamRecord<>(window(minute, 100 + minute % 7, 1)));
            // traffic tripling over ten minutes and staying there twenty: every window scores
            // higher than the last until the plateau
            for (int i = 1; i <= 30; i++, minute++) {
                h.processElement(new StreamRecord<>(window(minute, 100 + 20L * Math.min(i, 10), 1)));
            }
            List<Anomaly> climb = volume(h.extractOutputValues());
            assertThat(climb).as("the climb and its plateau").hasSize(1);
            assertThat(climb.get(0).label).isEqualTo("spike");
            for (int i = 0; i < 240; i++, minute++) {
                h.processElement(new StreamRecord<>(window(minute, 100 + minute % 7, 1)));
            }
            int before = volume(h.extractOutputValues()).size();
            h.processElement(new StreamRecord<>(window(minute, 1_000, 10)));
            assertThat(volume(h.extractOutputValues()))
                    .as("after normal windows, a new spike is a new anomaly: " + h.extractOutputValues())
                    .hasSize(before + 1);
        }
    }

    @Test
    void aHalfHourlyExportOnADoubledBackgroundIsNotTwiceWhatIsUsualAtThatMinute() throws Exception {
        try (var h = harness()) {
            h.open();
            // twelve hours of 30 ± 5 lines a minute and an export of 150 more in the first two
            // minutes of every half hour: the hourly habit learns it
            java.util.Random random = new java.util.Random(7);
            int start = 12 * 60 + 15;
            java.util.function.IntToLongFunction export = m -> m % 30 < 2 ? 150 : 0;
            feed(h, 0, start, m -> 30 + Math.round(5 * random.nextGaussian()) + export.applyAsLong(m), 0);
            int before = volume(h.extractOutputValues()).size();
            // the background doubles over fifteen minutes (a daily peak's ramp) up to an export
            feed(
                    h,
                    start,
                    start + 17,
                    m -> 30
                            + 2L * Math.min(m - start + 1, 15)
                            + Math.round(5 * random.nextGaussian())
                            + export.applyAsLong(m),
                    0);
            assertThat(volume(h.extractOutputValues()))
                    .as("about 210 lines where the habit expects about 180: %s", volume(h.extractOutputValues()))
                    .hasSize(before);
        }
    }

    /**
     * A quiet source (20 lines a minute) with a half-hourly export of 150 more lines in the first two
     * minutes of every half hour, for a day and a half: the exports are its habit, and must not make every other minute
     * tolerate anything. Tripled lines for eight minutes between two exports are a spike, reported
     * at most two windows after they start (seeds 1–5).
     */
    @Test
    void aSpikeBetweenAHalfHourlyExportsBurstsIsFound() throws Exception {
        for (long seed = 1; seed <= 5; seed++) {
            try (var h = harness()) {
                h.open();
                java.util.Random random = new java.util.Random(seed);
                java.util.function.IntToLongFunction export = m -> m % 30 < 2 ? 150 : 0;
                // minute 0 is 00:00 UTC: exports at :00 and :30; the spike at 12:17 on day 2, in a
                // quarter hour without an export (yesterday's mean of a quarter hour with one is doubled)
                int start = 36 * 60 + 17;
                feed(h, 0, start, m -> 20 + Math.round(4.5 * random.nextGaussian()) + export.applyAsLong(m), 0);
                int before = volume(h.extractOutputValues()).size();
                feed(h, start, start + 8, m -> 60 + Math.round(8 * random.nextGaussian()), 0);
                List<Anomaly> found = volume(h.extractOutputValues());
                assertThat(found.subList(before, found.size()))
                        .as("seed %d: %s", seed, found)
                        .singleElement()
                        .satisfies(a -> {
                            assertThat(a.label).isEqualTo("spike");
                            assertThat(a.windowStart)
                                    .isLessThanOrEqualTo(WindowSeries.T0 + (start + 2) * WindowSeries.MINUTE);
                        });
            }
        }
    }

    @Test
    void anOutageWithSilentMinutesIsOneDrop() throws Exception {
        try (var h = harness()) {
            h.open();
            java.util.Random random = new java.util.Random(3);
            int minute = feed(h, 0, 180, m -> 100 + Math.round(10 * random.nextGaussian()), 1);
            int before = volume(h.extractOutputValues()).size();
            // twenty minutes at 5 lines a minute, every fifth minute without a line (no window)
            for (int i = 0; i < 20; i++, minute++) {
                if (i % 5 != 4) h.processElement(new StreamRecord<>(window(minute, 5, 0)));
            }
            assertThat(volume(h.extractOutputValues())
                            .subList(before, volume(h.extractOutputValues()).size()))
                    .extracting(a -> a.label)
                    .containsExactly("drop");
        }
    }

    /**
     * One service's errors step from 1% to 6% and stay there, the other's do not: the source's
     * error rate rises too (1% → 2%), but that is the same incident: the service's alerts (a
     * lasting rise, or a window's spike), not a second alert for the source later on.
     */
    @Test
    void aServicesLastingErrorRiseIsNotReportedAgainForTheSource() throws Exception {
        for (long seed = 1; seed <= 5; seed++) {
            List<Anomaly> errors = errorRateAnomalies(seed, 600, 0, (random, minute) ->
                    new long[] {binomial(random, 60, minute < 200 ? 0.01 : 0.06), binomial(random, 240, 0.01), 0});
            assertThat(errors)
                    .as("seed %d: %s", seed, errors)
                    .isNotEmpty()
                    .allSatisfy(a -> assertThat(a.service).isEqualTo("api"));
        }
    }

    /**
     * A source whose lines all come from one service: the service's error rate and the source's
     * are the same series, so their lasting rises (1% → 3%, staying) become certain in the same
     * window. One incident, one report of a lasting rise: the service's, which says where.
     */
    @Test
    void aLastingRiseCertainForTheServiceAndTheSourceInOneWindowIsReportedOnce() throws Exception {
        for (long seed = 1; seed <= 5; seed++) {
            java.util.Random random = new java.util.Random(seed);
            try (var h = harness()) {
                h.open();
                for (int minute = 0; minute < 500; minute++) {
                    long errors = binomial(random, 300, minute < 250 ? 0.01 : 0.03);
                    WindowMetrics m = window(minute, 300, errors);
                    m.services.put("api", WindowSeries.service(300, errors));
                    h.processElement(new StreamRecord<>(m));
                }
                List<Anomaly> rises = h.extractOutputValues().stream()
                        .filter(a -> a.is(Metric.ERROR_RATE) && a.explanation.contains("a lasting rise"))
                        .toList();
                assertThat(rises)
                        .as("seed %d: %s", seed, rises)
                        .hasSize(1)
                        .allSatisfy(a -> assertThat(a.service).isEqualTo("api"));
                // The rise is certain windows after it began: its onset is its
                // CUSUM run's first window (Page's estimate of the change point).
                Anomaly rise = rises.get(0);
                assertThat(rise.onset)
                        .as("seed %d: onset %s, reported %s", seed, rise.onset, rise.windowStart)
                        .isLessThan(rise.windowStart)
                        .isBetween(
                                WindowSeries.T0 + 240 * WindowSeries.MINUTE,
                                WindowSeries.T0 + 260 * WindowSeries.MINUTE);
            }
        }
    }

    /**
     * A service's one-window error spike, reported, leaves its error-rate run going for an hour or
     * more; a rise of the lines of no service half an hour later (1% → 8%, staying) is another
     * incident, not explained by it: reported for the source.
     */
    @Test
    void aServicesOldSpikeDoesNotExplainANewRiseElsewhere() throws Exception {
        for (long seed = 1; seed <= 5; seed++) {
            List<Anomaly> errors = errorRateAnomalies(seed, 400, 100, (random, minute) -> new long[] {
                minute == 200 ? 30 : binomial(random, 60, 0.01),
                binomial(random, 240, 0.01),
                binomial(random, 100, minute < 230 ? 0.01 : 0.08)
            });
            assertThat(errors)
                    .as("seed %d: %s", seed, errors)
                    .anyMatch(a ->
                            a.service.equals("api") && a.windowStart == WindowSeries.T0 + 200 * WindowSeries.MINUTE)
                    .anyMatch(a -> a.service.isEmpty() && a.windowStart >= WindowSeries.T0 + 230 * WindowSeries.MINUTE);
        }
    }

    /** Each minute's error lines of services api and db and of the lines of no service. */
    private interface ErrorLines {
        long[] of(java.util.Random random, int minute);
    }

    /**
     * The error-rate anomalies of {@code minutes} windows of a source with services api (60 lines a
     * window) and db (240) and {@code otherLines} lines of no service.
     */
    private static List<Anomaly> errorRateAnomalies(long seed, int minutes, long otherLines, ErrorLines errors)
            throws Exception {
        java.util.Random random = new java.util.Random(seed);
        try (var h = harness()) {
            h.open();
            for (int minute = 0; minute < minutes; minute++) {
                long[] e = errors.of(random, minute);
                WindowMetrics m = window(minute, 300 + otherLines, e[0] + e[1] + e[2]);
                m.services.put("api", WindowSeries.service(60, e[0]));
                m.services.put("db", WindowSeries.service(240, e[1]));
                h.processElement(new StreamRecord<>(m));
            }
            return h.extractOutputValues().stream()
                    .filter(a -> a.is(Metric.ERROR_RATE))
                    .toList();
        }
    }

    private static long binomial(java.util.Random random, int n, double p) {
        long k = 0;
        for (int i = 0; i < n; i++) if (random.nextDouble() < p) k++;
        return k;
    }

    /**
     * A source's own daily peak (×2.2 for an hour with 15-minute ramps, at 08:15 every day) is
     * what it does at that time from the second day on, though the daily profile does not judge
     * the series yet (two days) or ever (a peak that is a small share of the day does not make the
     * profile explain the series better than the level): no volume anomaly in it. A spike of its
     * own in the afternoon still is one, on day 1 and again on day 3 (day 1's still weighs in the
     * profile's usual value then, but day 2 was calm at that time).
     */
    @Test
    void aDailyPeakSeenYesterdayIsNotASpikeToday() throws Exception {
        for (long seed = 1; seed <= 5; seed++) {
            java.util.Random random = new java.util.Random(seed);
            // the same afternoon spike on days 1 and 3: day 1's is not "usual" on day 3
            int spikeStart = 14 * 60;
            java.util.function.IntToDoubleFunction peak = m -> {
                int t = m % 1440 - (8 * 60 + 15);
                double up = Math.min(1, Math.max(0, t / 15.0)) - Math.min(1, Math.max(0, (t - 75) / 15.0));
                return 1 + 1.2 * up;
            };
            try (var h = harness()) {
                h.open();
                feed(
                        h,
                        0,
                        3 * 1440,
                        m -> poisson(
                                random,
                                40
                                        * (1 + 0.3 * Math.sin(2 * Math.PI * (m - 540) / 1440.0))
                                        * peak.applyAsDouble(m)
                                        * (m % 1440 >= spikeStart && m % 1440 < spikeStart + 10 && m / 1440 != 1
                                                ? 4
                                                : 1)),
                        0);
                List<Anomaly> volume = volume(h.extractOutputValues());
                assertThat(volume)
                        .as("seed %d, peaks of days 2 and 3: %s", seed, volume)
                        .noneMatch(a -> {
                            long minute = (a.windowStart - WindowSeries.T0) / WindowSeries.MINUTE;
                            return minute >= 1440 && peak.applyAsDouble((int) minute) > 1;
                        });
                for (int day : new int[] {0, 2}) {
                    long start = WindowSeries.T0 + (day * 1440 + spikeStart) * WindowSeries.MINUTE;
                    assertThat(volume)
                            .as("seed %d, the afternoon spike of day %d: %s", seed, day + 1, volume)
                            .anyMatch(a -> a.label.equals("spike")
                                    && a.windowStart >= start
                                    && a.windowStart <= start + 2 * WindowSeries.MINUTE);
                }
            }
        }
    }

    /**
     * About 110 lines a minute with a daily peak (×1.9 from 18:45 to 20:15, 15-minute ramps), and
     * on day 2 at 20:55, forty minutes after the peak, the volume drops to ×0.45 and stays there:
     * the peak's ramps have widened the level's deviation for hours (a halving was z ≈ −2), yet
     * the drop is reported within five windows, once — and day 3's peak at the new volume, with
     * its ramp-down to half, is no drop (seeds 1–5).
     */
    @Test
    void aLastingDropSoonAfterADailyPeakIsFoundOnce() throws Exception {
        int dropStart = 1440 + 20 * 60 + 55;
        java.util.function.IntToDoubleFunction peak = m -> {
            int t = m % 1440 - (18 * 60 + 45);
            double up = Math.min(1, Math.max(0, t / 15.0)) - Math.min(1, Math.max(0, (t - 75) / 15.0));
            return 1 + 0.9 * up;
        };
        for (long seed = 1; seed <= 5; seed++) {
            java.util.Random random = new java.util.Random(seed);
            try (var h = harness()) {
                h.open();
                feed(
                        h,
                        0,
                        2 * 1440 + 21 * 60 + 30,
                        m -> poisson(
                                random,
                                110
                                        * (1 + 0.3 * Math.sin(2 * Math.PI * (m - 720) / 1440.0))
                                        * peak.applyAsDouble(m)
                                        * (m >= dropStart ? 0.45 : 1)),
                        0);
                List<Anomaly> drops = volume(h.extractOutputValues()).stream()
                        .filter(a -> a.windowStart >= WindowSeries.T0 + 1440 * WindowSeries.MINUTE)
                        .toList();
                long start = WindowSeries.T0 + dropStart * WindowSeries.MINUTE;
                assertThat(drops).as("seed %d: %s", seed, drops).singleElement().satisfies(a -> {
                    assertThat(a.label).isEqualTo("drop");
                    assertThat(a.windowStart).isBetween(start, start + 5 * WindowSeries.MINUTE);
                });
            }
        }
    }

    /** A Poisson draw by Knuth's multiplication method (exact; for the small means of quiet sources). */
    private static long knuthPoisson(java.util.Random random, double mean) {
        double limit = Math.exp(-mean);
        long k = 0;
        for (double p = random.nextDouble(); p > limit; p *= random.nextDouble()) {
            k++;
        }
        return k;
    }

    private static long poisson(java.util.Random random, double mean) {
        return Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
    }

    /** Feeds complete windows for minutes [from, to) with {@code lines(minute)} lines; returns {@code to}. */
    private static int feed(
            KeyedOneInputStreamOperatorTestHarness<String, WindowMetrics, Anomaly> h,
            int from,
            int to,
            java.util.function.IntToLongFunction lines,
            long errors)
            throws Exception {
        for (int m = from; m < to; m++) h.processElement(new StreamRecord<>(window(m, lines.applyAsLong(m), errors)));
        return to;
    }

    private static List<Anomaly> volume(List<Anomaly> anomalies) {
        return anomalies.stream().filter(a -> a.is(Metric.VOLUME)).toList();
    }

    /**
     * The anomalies, after a day's warm-up, of three days of a service of about 20 requests a
     * minute whose failures — one every 20 minutes, or {@code outageMinute} (−1: none) and the 4
     * minutes after it, when every request fails — each log an error and its retries: 5 to 10 lines
     * of one known template.
     */
    private List<Anomaly> clusteredFailures(long seed, int outageMinute) throws Exception {
        return clusteredFailures(seed, outageMinute, 1.0, 5);
    }

    /** As above, with {@code share} of the requests failing for {@code minutes}, one error line each. */
    private List<Anomaly> clusteredFailures(long seed, int outageMinute, double share, int minutes) throws Exception {
        java.util.Random random = new java.util.Random(seed);
        return failuresAfterADay(minute -> {
            boolean outage = outageMinute >= 0 && minute >= outageMinute && minute < outageMinute + minutes;
            long requests = 15 + random.nextInt(11);
            long errors = 0;
            if (outage) {
                errors = Math.round(requests * share);
            } else if (random.nextInt(20) == 0) {
                errors = 5 + random.nextInt(6);
            }
            return new long[] {requests - (outage ? errors : 0), errors};
        });
    }

    /**
     * The anomalies, after a day's warm-up, of four days of minutes of the service {@code api}:
     * {@code minute} gives each minute's clean lines and error lines (one known template, "call to
     * ledger failed, retrying"), in that order.
     */
    private List<Anomaly> failuresAfterADay(java.util.function.IntFunction<long[]> minute) throws Exception {
        int day = 1440;
        try (var h = harness()) {
            h.open();
            for (int m = 0; m < 4 * day; m++) {
                long[] counts = minute.apply(m);
                long errors = counts[1];
                WindowMetrics w = window(m, counts[0], 0);
                if (errors > 0) {
                    WindowSeries.add(w, "t2", "call to ledger failed, retrying <*>", errors, errors, false);
                    w.services.get("api").lines += errors;
                    w.services.get("api").errors += errors;
                }
                h.processElement(new StreamRecord<>(w));
            }
            return h.extractOutputValues().stream()
                    .filter(a -> a.windowStart >= WindowSeries.T0 + day * WindowSeries.MINUTE)
                    .toList();
        }
    }

    /**
     * A failure that logs several error lines is one failure: once the source's usual lines per
     * failure are known ({@link ErrorClusters}), a window with one or two of them is no error-rate
     * spike: nothing in these three days of about 216 failures, on three seeds. Before, 13 spikes of
     * the source's and its service's error rate on seed 1. An outage where every request fails is
     * still found at once, its errors only a few failures' worth but its successful requests gone.
     */
    @Test
    void aFailureThatLogsSeveralErrorLinesIsNoSpikeOnceItsSizeIsKnown() throws Exception {
        for (long seed = 1; seed <= 3; seed++) {
            List<Anomaly> steady = clusteredFailures(seed, -1);
            assertThat(steady)
                    .as(
                            "seed %d: %s",
                            seed,
                            steady.stream().map(a -> a.metric + "/" + a.service).toList())
                    .hasSizeLessThanOrEqualTo(1);
            assertOutageFoundInItsFirstMinute(clusteredFailures(seed, OUTAGE_MINUTE), seed);
        }
    }

    /** The minute of the tests' outages: on the third day, at 10:00. */
    private static final int OUTAGE_MINUTE = 2 * 1440 + 600;

    private static void assertOutageFoundInItsFirstMinute(List<Anomaly> anomalies, long seed) {
        long onset = WindowSeries.T0 + OUTAGE_MINUTE * WindowSeries.MINUTE;
        assertThat(anomalies).as("seed %d: the outage", seed).anySatisfy(a -> {
            assertThat(a.is(Metric.ERROR_RATE)).isTrue();
            assertThat(a.windowStart).isBetween(onset, onset + WindowSeries.MINUTE);
        });
    }

    /**
     * A quiet service — 12 to 22 requests a minute, 0.75% of them failing, each failure logged by
     * its error line and 1 to 5 retries — over 30 days (10 seeds of three days after a day's
     * warm-up). The per-window baseline of such a rate, mostly 0 and now and then a failure's few
     * lines that its clipping cuts, is under half the rate, and a window of a few failures read as
     * far off it: 5 windows with error-rate anomalies in these 30 days. Judged against the pooled
     * rate of the last ~100 windows when that is higher, 2 (four failures in a minute, about
     * 10⁻⁵ of this service's minutes). An outage where every request fails is still found in its
     * first minute.
     */
    @Test
    void aQuietServiceWhoseFailuresAreRetriedIsNoSpikeForAFewFailuresInOneWindow() throws Exception {
        java.util.Set<String> spiked = new java.util.TreeSet<>(); // windows: a source's and its service's are one
        for (long seed = 1; seed <= 10; seed++) {
            for (Anomaly a : retriedFailures(seed, -1)) {
                if (a.is(Metric.ERROR_RATE)) spiked.add("seed " + seed + " at " + a.windowStart);
            }
            assertOutageFoundInItsFirstMinute(retriedFailures(seed, OUTAGE_MINUTE), seed);
        }
        assertThat(spiked)
                .as("windows with error-rate anomalies in 30 days of routine failures")
                .hasSizeLessThanOrEqualTo(2);
    }

    /**
     * The anomalies, after a day's warm-up, of three days of a service of 12–22 requests a minute
     * whose requests fail independently (0.75%), each failure logging 2–6 error lines of one
     * template (its error and its retries); from {@code outageMinute} (−1: none) and for 5
     * minutes, every request fails, once.
     */
    private List<Anomaly> retriedFailures(long seed, int outageMinute) throws Exception {
        java.util.Random random = new java.util.Random(seed);
        return failuresAfterADay(minute -> {
            boolean outage = outageMinute >= 0 && minute >= outageMinute && minute < outageMinute + 5;
            long requests = 12 + random.nextInt(11);
            long failures = 0;
            long errors = 0;
            for (long r = 0; r < requests; r++) {
                if (outage || random.nextDouble() < 0.0075) {
                    failures++;
                    errors += outage ? 1 : 2 + random.nextInt(5);
                }
            }
            return new long[] {requests - failures, errors};
        });
    }

    /**
     * A service of about 100 lines a minute at 1% errors has a 5-minute outage (every line an
     * error) and, an hour later, 5 minutes at 15% errors: the second incident is a spike in its
     * first window about as often as with no outage before it. Judged against the pooled rate of
     * all windows, the outage's were in it, the usual rate read about 3.7% an hour later, and the
     * second incident was a spike in its first window on 2 of 20 seeds (9 against the clipped
     * baseline alone, as now); the spike test's pooled rate is of routine windows only.
     */
    /**
     * Three quiet services whose failures are logged 2–6 times (4.5 lines per failure on average):
     * 12–23 requests a minute at 1.2% failing, 30–59 at 0.75% and at 1.2%, each over 30 days (10
     * seeds of three days). A window's error lines are counted in failures of the size the source
     * has learned (`ErrorClusters`' estimate), not its lower bound: a spike is one window's
     * evidence, and with the lower bound (about 3.3–4.1 here) three or four failures in a minute
     * counted as five — 8 windows with error-rate anomalies in these 90 days, 3 with the estimate.
     */
    @Test
    void aFewRetriedFailuresInAMinuteAreCountedAtTheirLearnedSize() throws Exception {
        java.util.Set<String> spiked = new java.util.TreeSet<>();
        double[][] services = {{12, 0.012}, {30, 0.0075}, {30, 0.012}};
        for (double[] service : services) {
            for (long seed = 1; seed <= 10; seed++) {
                java.util.Random random = new java.util.Random(seed);
                int base = (int) service[0];
                double failing = service[1];
                List<Anomaly> anomalies = failuresAfterADay(minute -> {
                    long requests = base + random.nextInt(base);
                    long failures = 0;
                    long errors = 0;
                    for (long r = 0; r < requests; r++) {
                        if (random.nextDouble() < failing) {
                            failures++;
                            errors += 2 + random.nextInt(5);
                        }
                    }
                    return new long[] {requests - failures, errors};
                });
                for (Anomaly a : anomalies) {
                    if (a.is(Metric.ERROR_RATE))
                        spiked.add(base + "/" + failing + ", seed " + seed + " at " + a.windowStart);
                }
            }
        }
        assertThat(spiked)
                .as("windows with error-rate anomalies in 90 days of routine failures")
                .hasSizeLessThanOrEqualTo(4);
    }

    @Test
    void anIncidentAnHourAfterAnOutageIsStillASpikeInItsFirstWindow() throws Exception {
        int second = 1440 + 600 + 5 + 60;
        long onset = WindowSeries.T0 + second * WindowSeries.MINUTE;
        int found = 0;
        for (long seed = 1; seed <= 20; seed++) {
            java.util.Random random = new java.util.Random(seed);
            try (var h = harness()) {
                h.open();
                for (int minute = 0; minute < second + 10; minute++) {
                    long lines = 95 + random.nextInt(11);
                    double share = minute >= 1440 + 600 && minute < 1440 + 605
                            ? 1.0
                            : minute >= second && minute < second + 5 ? 0.15 : 0.01;
                    long errors = 0;
                    for (long l = 0; l < lines; l++) {
                        if (random.nextDouble() < share) errors++;
                    }
                    h.processElement(new StreamRecord<>(window(minute, lines, errors)));
                }
                if (h.extractOutputValues().stream().anyMatch(a -> a.is(Metric.ERROR_RATE) && a.windowStart == onset)) {
                    found++;
                }
            }
        }
        assertThat(found)
                .as("seeds whose second incident is a spike in its first window")
                .isGreaterThanOrEqualTo(8);
    }

    /**
     * A partial outage on the same service: 60% of its requests fail for half an hour, one error
     * line each — 1.6 failures' worth a minute of its usual 5–10-line failures, with its successful
     * requests down to 8 from about 20. Judged in failures, one such minute is about 4 deviations,
     * at the threshold, and is not a spike; the lasting-rise test finds it within minutes. (A
     * 5-minute one is missed: the limit of judging in failures, docs/anomalies.md.)
     */
    @Test
    void aLongPartialOutageOfAServiceWithClusteredFailuresIsFoundWithinMinutes() throws Exception {
        int outageMinute = 2 * 1440 + 600;
        long onset = WindowSeries.T0 + outageMinute * WindowSeries.MINUTE;
        for (long seed = 1; seed <= 5; seed++) {
            assertThat(clusteredFailures(seed, outageMinute, 0.6, 30))
                    .as("seed %d", seed)
                    .anySatisfy(a -> {
                        assertThat(a.is(Metric.ERROR_RATE)).isTrue();
                        assertThat(a.windowStart).isBetween(onset, onset + 10 * WindowSeries.MINUTE);
                    });
        }
    }

    @Test
    void reportsAnErrorSpikeOnceWarmAndNothingForEarlyOrLateWindows() throws Exception {
        try (var h = harness()) {
            h.open();
            for (int minute = 0; minute < 60; minute++) {
                h.processElement(new StreamRecord<>(window(minute, 1_000, 10 + minute % 3)));
            }
            assertThat(h.extractOutputValues()).as("a steady source").isEmpty();
            assertThat(h.getSideOutput(DetectAnomalies.FINDINGS))
                    .as("every complete window is judged")
                    .hasSize(60);

            WindowMetrics early = window(60, 1_000, 300).emitted(false);
            h.processElement(new StreamRecord<>(early));
            assertThat(h.getSideOutput(DetectAnomalies.FINDINGS))
                    .as("an early firing is not judged")
                    .hasSize(60);

            h.processElement(new StreamRecord<>(window(60, 1_000, 300)));
            assertThat(h.extractOutputValues())
                    .extracting(a -> a.metric, a -> a.service, a -> a.label)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(Metric.ERROR_RATE.wireName(), "api", "spike"),
                            org.assertj.core.groups.Tuple.tuple(Metric.ERROR_RATE.wireName(), "", "spike"));
            Anomaly source = h.extractOutputValues().get(1);
            assertThat(source.observed).isEqualTo(0.3);
            assertThat(source.score).isGreaterThanOrEqualTo(0.5);
            assertThat(source.explanation).contains("error rate 30.0% (300 error lines)");

            h.processElement(new StreamRecord<>(window(60, 1_000, 900)));
            assertThat(h.extractOutputValues())
                    .as("a late update of a judged window")
                    .hasSize(2);

            assertThat(h.numKeyedStateEntries())
                    .as("baselines, service and template maps of one source")
                    .isEqualTo(3);
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    /**
     * One service's requests get slower and stay so, while another's do not: reported once, as that
     * service's typical latency, and its baseline is kept as a fourth state entry.
     */
    @Test
    void aServiceWhoseLatencyStepsUpIsReportedOnceByName() throws Exception {
        java.util.Random random = new java.util.Random(7);
        try (var h = harness()) {
            h.open();
            for (int minute = 0; minute < 140; minute++) {
                WindowMetrics m = window(minute, 100, 1);
                m.services.put("db", WindowSeries.service(40, 0));
                for (int i = 0; i < 40; i++) {
                    m.services.get("api").addDuration(50 * Math.exp(0.5 * random.nextGaussian()));
                    m.services.get("db").addDuration((minute < 100 ? 20 : 60) * Math.exp(0.5 * random.nextGaussian()));
                }
                h.processElement(new StreamRecord<>(m));
            }
            assertThat(h.extractOutputValues())
                    .filteredOn(a -> a.metric.equals(Metric.LATENCY_GEOMEAN.wireName()))
                    .singleElement()
                    .satisfies(a -> {
                        assertThat(a.service).isEqualTo("db");
                        assertThat(a.windowStart)
                                .isBetween(
                                        WindowSeries.T0 + 100 * WindowSeries.MINUTE,
                                        WindowSeries.T0 + 102 * WindowSeries.MINUTE);
                        assertThat(a.observed / a.baseline).isBetween(2.0, 4.5);
                        assertThat(a.explanation).contains("service db: typical latency");
                    });
            assertThat(h.numKeyedStateEntries())
                    .as("baselines, service error rates and latencies, template rates")
                    .isEqualTo(4);
        }
    }

    /**
     * An access log names no service: its requests' typical latency is judged as one, so a slow
     * leak (×3 over an hour) is reported with the slowest request as its example, well before the
     * hour is out, and again as it keeps climbing; the same source with a steady latency raises
     * nothing.
     */
    @Test
    void aSourceWithoutServicesHasItsSlowLeakReportedToo() throws Exception {
        for (boolean leak : new boolean[] {true, false}) {
            java.util.Random random = new java.util.Random(11);
            try (var h = harness()) {
                h.open();
                for (int minute = 0; minute < 200; minute++) {
                    WindowMetrics m = window(minute, 100, 1);
                    m.services.clear();
                    double factor = leak && minute >= 140 ? 1 + 2.0 * Math.min(1, (minute - 140) / 60.0) : 1;
                    for (int i = 0; i < 40; i++) {
                        dev.logai.flink.parse.LogRecord r = new dev.logai.flink.parse.LogRecord();
                        r.level = dev.logai.flink.parse.Level.INFO;
                        r.templateId = "GET";
                        long ms = Math.round(50 * factor * Math.exp(0.5 * random.nextGaussian()));
                        r.raw = "10.0.0.1 - - \"GET /a HTTP/1.1\" 200 12 " + ms;
                        r.attributes.put("duration_ms", Long.toString(ms));
                        WindowMetrics one = WindowMetrics.empty(m.orgId, m.sourceId, m.windowStart, m.windowEnd);
                        one.add(r);
                        m.withoutService = m.withoutService == null
                                ? one.withoutService
                                : m.withoutService.merge(one.withoutService);
                    }
                    h.processElement(new StreamRecord<>(m));
                }
                List<Anomaly> rises = h.extractOutputValues().stream()
                        .filter(a -> a.metric.equals(Metric.LATENCY_GEOMEAN.wireName()))
                        .toList();
                if (!leak) {
                    assertThat(rises).as("a steady latency").isEmpty();
                    continue;
                }
                assertThat(rises).hasSizeBetween(2, 3).allSatisfy(a -> {
                    assertThat(a.service).isEmpty();
                    assertThat(a.windowStart)
                            .isBetween(
                                    WindowSeries.T0 + 141 * WindowSeries.MINUTE,
                                    WindowSeries.T0 + 200 * WindowSeries.MINUTE);
                    assertThat(a.onset).isLessThan(a.windowStart);
                    assertThat(a.explanation)
                            .contains("\"reason\":\"typical latency")
                            .contains("10.0.0.1 - - ");
                });
                assertThat(rises.get(0).windowStart).isLessThan(WindowSeries.T0 + 160 * WindowSeries.MINUTE);
                assertThat(rises.get(1).explanation)
                        .as("quotes what the first report said")
                        .contains(String.format(
                                java.util.Locale.ROOT,
                                "still rising (%.0f ms when reported before)",
                                rises.get(0).observed));
                assertThat(rises.get(1).observed).isGreaterThan(1.49 * rises.get(0).observed);
            }
        }
    }

    /**
     * The {@code latency_p95} anomalies of 260 one-minute windows of 60 requests, one in ten on a
     * slow path of about 300 ms and the rest about 40 ms (log-normal, σ = 0.3); with {@code creep},
     * the slow path gets slower from minute 140 (×4 by minute 220); at minute {@code spikeMinute}
     * (−1: none) every request is ×8.
     */
    private List<Anomaly> tailAnomalies(long seed, boolean creep, int spikeMinute) throws Exception {
        java.util.Random random = new java.util.Random(seed);
        return latencyAnomalies(260, minute -> 100, 1, minute -> {
            double factor = creep && minute >= 140 ? 1 + 3.0 * Math.min(1, (minute - 140) / 80.0) : 1;
            double[] durations = new double[60];
            for (int i = 0; i < durations.length; i++) {
                boolean slowPath = random.nextInt(10) == 0;
                double ms = (slowPath ? 300 * factor : 40) * Math.exp(0.3 * random.nextGaussian());
                durations[i] = minute == spikeMinute ? ms * 8 : ms;
            }
            return durations;
        });
    }

    /**
     * The latency anomalies of a source of {@code lines(minute)} lines a minute ({@code errors} of
     * them errors, service {@code api}) whose requests take {@code durations(minute)} ms, minutes
     * 0 to {@code minutes} − 1 from 00:00 UTC.
     */
    private List<Anomaly> latencyAnomalies(
            int minutes,
            java.util.function.IntToLongFunction lines,
            long errors,
            java.util.function.IntFunction<double[]> durations)
            throws Exception {
        try (var h = harness()) {
            h.open();
            for (int minute = 0; minute < minutes; minute++) {
                WindowMetrics m = window(minute, lines.applyAsLong(minute), errors);
                m.latency = new dev.logai.flink.window.LatencySketch();
                for (double ms : durations.apply(minute)) {
                    m.latency.add(ms);
                    m.services.get("api").addDuration(ms);
                }
                h.processElement(new StreamRecord<>(m));
            }
            return h.extractOutputValues().stream()
                    .filter(a -> a.metric.equals(Metric.LATENCY_P95.wireName()))
                    .toList();
        }
    }

    /**
     * One request in ten goes to a dependency that gets slower (×4 over 80 minutes) while the other
     * nine do not: the typical request moves by about 15%, and the p95's baseline trails the creep
     * within 1.5×, so neither reports it. The slowest tenth's typical latency does, as the p95's
     * metric (17–43 windows after the start on these ten seeds, median 25; the bound here is 50);
     * the same source with a steady tail raises nothing.
     */
    @Test
    void aTailThatCreepsUpIsReportedAsTheP95() throws Exception {
        for (int seed = 0; seed < 10; seed++) {
            assertThat(tailAnomalies(seed, false, -1))
                    .as("seed %d: a steady tail", seed)
                    .isEmpty();
            List<Anomaly> p95 = tailAnomalies(seed, true, -1);
            assertThat(p95).as("seed %d", seed).isNotEmpty();
            Anomaly first = p95.get(0);
            assertThat(first.windowStart)
                    .as("seed %d: within 50 windows of the start", seed)
                    .isBetween(
                            WindowSeries.T0 + 141 * WindowSeries.MINUTE, WindowSeries.T0 + 190 * WindowSeries.MINUTE);
            assertThat(first.explanation).contains("slowest 10% of requests: typically");
            assertThat(first.onset).isLessThan(first.windowStart);
        }
    }

    /**
     * A one-minute slowdown of every request (×8) ten minutes into the tail's creep is reported as
     * a p95 spike, and the creep is still reported as its own lasting rise afterwards (a review's
     * case: the spike's window left the tail's run holding the spike, and the creep went unreported
     * on 9 seeds of 10).
     */
    @Test
    void aSpikeDuringATailCreepDoesNotHideTheCreep() throws Exception {
        for (int seed = 0; seed < 5; seed++) {
            List<Anomaly> p95 = tailAnomalies(seed, true, 150);
            assertThat(p95)
                    .as("seed %d: the spike", seed)
                    .anyMatch(a -> a.windowStart == WindowSeries.T0 + 150 * WindowSeries.MINUTE);
            assertThat(p95)
                    .as("seed %d: the creep, after the spike", seed)
                    .anyMatch(a -> a.windowStart > WindowSeries.T0 + 155 * WindowSeries.MINUTE
                            && a.explanation.contains("slowest 10% of requests"));
        }
    }

    /**
     * The latency anomalies of a busy source (250 requests a minute around 40 ms) whose half-hourly
     * export adds 750 requests around 360 ms in the first two minutes of every half hour, for 30
     * hours from 00:00 UTC; from {@code creepFrom} (a minute, or −1) one request in ten gets slower,
     * ×4 over 80 minutes, and stays so.
     */
    private List<Anomaly> busyExportAnomalies(long seed, int creepFrom) throws Exception {
        java.util.Random random = new java.util.Random(seed);
        return latencyAnomalies(30 * 60, minute -> minute % 30 < 2 ? 1_000 : 250, 2, minute -> {
            double factor =
                    creepFrom >= 0 && minute >= creepFrom ? 1 + 3.0 * Math.min(1, (minute - creepFrom) / 80.0) : 1;
            double[] durations = new double[minute % 30 < 2 ? 1_000 : 250];
            for (int i = 0; i < durations.length; i++) {
                boolean exported = i >= 250;
                boolean slowPath = !exported && random.nextInt(10) == 0;
                durations[i] = (exported ? 360 : slowPath ? 120 * factor : 40) * Math.exp(0.5 * random.nextGaussian());
            }
            return durations;
        });
    }

    /**
     * A busy source's half-hourly export, whose slow requests are the slowest tenth for its two
     * minutes, is its habit, not a tail rising every half hour: with many requests a window, each
     * export alone made the tail's lasting-rise test certain (the incident evaluation at five times
     * its volume: 75 false alarms in three days on its batch source). Once the hourly habit
     * judges (after six hours), nothing is reported; a creep of the slow path on the same source
     * is still reported.
     */
    @Test
    void aBusySourcesHalfHourlyExportIsNoTailRiseButACreepBesideItIs() throws Exception {
        for (int seed = 0; seed < 2; seed++) {
            assertThat(busyExportAnomalies(seed, -1))
                    .as("seed %d: after the habit's six hours", seed)
                    .filteredOn(a -> a.windowStart >= WindowSeries.T0 + 7 * 60 * WindowSeries.MINUTE)
                    .isEmpty();
            int creepFrom = 20 * 60 + 5;
            assertThat(busyExportAnomalies(seed, creepFrom))
                    .as("seed %d: a creep from 20:05, by the tail's test", seed)
                    .anyMatch(a -> a.explanation.contains("slowest 10% of requests")
                            && a.windowStart > WindowSeries.T0 + creepFrom * WindowSeries.MINUTE
                            && a.windowStart <= WindowSeries.T0 + (creepFrom + 60) * WindowSeries.MINUTE);
        }
    }

    /** A file's last minute (or a source gone quiet mid-minute) holds few lines: not a volume drop. */
    @Test
    void theWindowWhereTheDataStoppedIsNotAVolumeDrop() throws Exception {
        for (boolean endOfData : new boolean[] {false, true}) {
            try (var h = harness()) {
                h.open();
                for (int minute = 0; minute < 60; minute++) {
                    h.processElement(new StreamRecord<>(window(minute, 1_000, 10)));
                }
                WindowMetrics last = window(60, 3, 0);
                last.endOfData = endOfData;
                h.processElement(new StreamRecord<>(last));
                boolean drop = h.extractOutputValues().stream()
                        .anyMatch(x -> x.metric.equals(Metric.VOLUME.wireName()) && x.label.equals("drop"));
                assertThat(drop)
                        .as("3 lines after 1,000 a minute, end of data: " + endOfData)
                        .isEqualTo(!endOfData);
            }
        }
    }

    /**
     * The anomalies of a quiet source: {@code perMinute} lines a minute (Poisson) for eight hours,
     * with a warning template logged once in about 30 minutes and another in bursts of three
     * minutes every two hours; from minute 480 for 12 minutes, every line ×{@code spike} and the
     * first warning at {@code warnings} a minute — and when that is more than 0, from minute 300 a
     * new warning at 2 a minute.
     */
    private List<Anomaly> quietSourceAnomalies(long seed, double perMinute, double spike, double warnings)
            throws Exception {
        java.util.Random random = new java.util.Random(seed);
        try (var h = harness()) {
            h.open();
            for (int minute = 0; minute < 500; minute++) {
                boolean incident = minute >= 480 && minute < 492;
                long lines = knuthPoisson(random, perMinute * (incident ? spike : 1));
                WindowMetrics m = window(minute, lines, 0);
                long warns = incident ? knuthPoisson(random, warnings) : random.nextInt(30) == 0 ? 1 : 0;
                if (warns > 0) {
                    WindowSeries.add(m, "t-warn", "job <*> is running late by <*> s", warns, 0, false);
                    m.templates.get("t-warn").warnings = warns;
                }
                // routine: a cache warning in bursts of three minutes about every two hours, and
                // from minute 300 a new warning at 2 a minute (the new-templates detector's)
                long burst = minute % 120 >= 40 && minute % 120 < 43 ? 1 + knuthPoisson(random, 2) : 0;
                if (burst > 0) {
                    WindowSeries.add(m, "t-cache", "cache <*> evicted <*> keys under pressure", burst, 0, false);
                    m.templates.get("t-cache").warnings = burst;
                }
                long deprecated = warnings > 0 && minute >= 300 ? knuthPoisson(random, 2) : 0;
                if (deprecated > 0) {
                    WindowSeries.add(m, "t-new", "config key <*> is deprecated", deprecated, 0, minute == 300);
                    m.templates.get("t-new").warnings = deprecated;
                }
                h.processElement(new StreamRecord<>(m));
            }
            return h.extractOutputValues();
        }
    }

    /**
     * A quiet source's incidents never have 20 lines in one window: a warning at 7 a minute where
     * it usually comes once in half an hour, and every line ×4 on 5 lines a minute. Judged over
     * the windows in a row that have them, both are reported within a few windows (the incident
     * evaluation at a fifth of its volume missed both); the eight quiet hours before raise
     * nothing.
     */
    @Test
    void aQuietSourcesSurgeIsFoundOverItsFirstFewWindows() throws Exception {
        long incident = WindowSeries.T0 + 480 * WindowSeries.MINUTE;
        // before the incident, nothing but the new warning's appearance (in the warning's run)
        java.util.function.Predicate<Anomaly> expected = a -> a.windowStart >= incident
                || (a.metric.equals(Metric.NEW_TEMPLATES.wireName())
                        && a.windowStart == WindowSeries.T0 + 300 * WindowSeries.MINUTE);
        for (int seed = 0; seed < 5; seed++) {
            List<Anomaly> warning = quietSourceAnomalies(seed, 15, 1, 7);
            assertThat(warning).as("seed %d: nothing before the surge", seed).allMatch(expected);
            assertFoundWithin(
                    warning,
                    "seed " + seed + ": the warning's surge",
                    Metric.TEMPLATE_RATE,
                    incident,
                    5,
                    a -> a.templateId.equals("t-warn"));
            assertThat(warning)
                    .as("seed %d: no template but the surging one", seed)
                    .filteredOn(a -> a.metric.equals(Metric.TEMPLATE_RATE.wireName()))
                    .allMatch(a -> a.templateId.equals("t-warn"));
            List<Anomaly> volume = quietSourceAnomalies(seed, 5, 4, 0);
            assertThat(volume).as("seed %d: nothing before the spike", seed).allMatch(expected);
            assertFoundWithin(
                    volume,
                    "seed " + seed + ": every line x4",
                    Metric.VOLUME,
                    incident,
                    4,
                    a -> a.label.equals("spike"));
        }
    }

    /** An anomaly of {@code metric} that {@code also} holds for, in the {@code windows} windows from {@code from}. */
    private static void assertFoundWithin(
            List<Anomaly> anomalies,
            String description,
            Metric metric,
            long from,
            int windows,
            java.util.function.Predicate<Anomaly> also) {
        assertThat(anomalies)
                .as(description)
                .anyMatch(a -> a.metric.equals(metric.wireName())
                        && a.windowStart < from + windows * WindowSeries.MINUTE
                        && also.test(a));
    }

    /** Fault kind: a surge of a new WARN-level template with no error-rate change raised nothing. */
    @Test
    void aNewWarningTemplateSurgingIsASpikeButANewInfoTemplateIsNot() throws Exception {
        try (var h = harness()) {
            h.open();
            for (int minute = 0; minute < 60; minute++) {
                h.processElement(new StreamRecord<>(window(minute, 1_000, 10)));
            }
            WindowMetrics deploy = window(60, 1_000, 10);
            WindowSeries.add(deploy, "t-info", "GET /v2/orders/<*> served from cache", 60, 0, true);
            h.processElement(new StreamRecord<>(deploy));
            assertThat(h.extractOutputValues())
                    .as("a new INFO template, however busy")
                    .isEmpty();

            WindowMetrics retrying = window(61, 1_000, 10);
            WindowSeries.add(retrying, "t-info", "GET /v2/orders/<*> served from cache", 60, 0, false);
            WindowSeries.add(retrying, "t-warn", "retrying connection to <*> (attempt <*>)", 45, 0, true);
            retrying.templates.get("t-warn").warnings = 45;
            h.processElement(new StreamRecord<>(retrying));
            assertThat(h.extractOutputValues())
                    .extracting(x -> x.metric, x -> x.templateId, x -> x.label)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(Metric.TEMPLATE_RATE.wireName(), "t-warn", "spike"));
            assertThat(h.extractOutputValues().get(0).explanation)
                    .contains("new template t-warn, mostly WARN or worse: 45 lines");

            WindowMetrics steady = window(62, 1_000, 10);
            WindowSeries.add(steady, "t-warn", "retrying connection to <*> (attempt <*>)", 45, 0, false);
            steady.templates.get("t-warn").warnings = 45;
            h.processElement(new StreamRecord<>(steady));
            assertThat(h.extractOutputValues())
                    .as("flagged at its onset, not every window")
                    .hasSize(1);
        }
    }

    @Test
    void forgetsServicesAndTemplatesThatWentQuiet() throws Exception {
        try (var h = harness()) {
            h.open();
            WindowMetrics first = window(0, 100, 1);
            WindowSeries.add(first, "t-once", "migration <*> applied", 5, 0, true);
            first.services.put("migrate", WindowSeries.service(5, 0));
            h.processElement(new StreamRecord<>(first));
            int minute = 1;
            for (; minute <= DetectAnomalies.FORGET_AFTER_WINDOWS; minute++) {
                h.processElement(new StreamRecord<>(window(minute, 100, 1)));
            }
            assertThat(keys(h, "template-rates", TemplateRate.class))
                    .as("within the bound")
                    .containsExactly("t-once", "t1");
            assertThat(keys(h, "service-error-rates", EwmDetector.class)).containsExactly("api", "migrate");

            for (; minute <= DetectAnomalies.FORGET_AFTER_WINDOWS + DetectAnomalies.PRUNE_EVERY_WINDOWS; minute++) {
                h.processElement(new StreamRecord<>(window(minute, 100, 1)));
            }
            assertThat(keys(h, "template-rates", TemplateRate.class))
                    .as("past the bound, at the next sweep")
                    .containsExactly("t1");
            assertThat(keys(h, "service-error-rates", EwmDetector.class)).containsExactly("api");
            assertThat(h.numKeyedStateEntries()).isEqualTo(3);
        }
    }

    @Test
    void aRestoredOperatorContinuesWithTheSameAnomalies() throws Exception {
        List<WindowMetrics> series = WindowSeries.of("org_a", "src_1", 1, 400);
        List<String> uninterrupted = new ArrayList<>();
        try (var h = harness()) {
            h.open();
            for (WindowMetrics m : series) {
                h.processElement(new StreamRecord<>(m));
            }
            h.extractOutputValues().forEach(a -> uninterrupted.add(WindowSeries.describe(a)));
        }

        int cut = series.size() / 2;
        List<String> resumed = new ArrayList<>();
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            for (WindowMetrics m : series.subList(0, cut)) {
                h.processElement(new StreamRecord<>(m));
            }
            h.extractOutputValues().forEach(a -> resumed.add(WindowSeries.describe(a)));
            snapshot = h.snapshot(1, 1);
        }
        int beforeCut = resumed.size();
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            for (WindowMetrics m : series.subList(cut, series.size())) {
                h.processElement(new StreamRecord<>(m));
            }
            h.extractOutputValues().forEach(a -> resumed.add(WindowSeries.describe(a)));
            assertThat(h.numKeyedStateEntries()).as("the restored baselines").isEqualTo(3);
        }
        assertThat(beforeCut)
                .as("anomalies on both sides of the cut")
                .isPositive()
                .isLessThan(uninterrupted.size());
        assertThat(resumed).containsExactlyElementsOf(uninterrupted);
    }

    /** The map keys of one of the source's map states. */
    static <V> Set<String> keys(
            KeyedOneInputStreamOperatorTestHarness<String, WindowMetrics, Anomaly> h, String name, Class<V> valueClass)
            throws Exception {
        h.getOperator().setCurrentKey(KEY);
        MapState<String, V> state = h.getOperator()
                .getKeyedStateStore()
                .getMapState(new MapStateDescriptor<>(name, String.class, valueClass));
        Set<String> keys = new TreeSet<>();
        state.keys().forEach(keys::add);
        return keys;
    }
}
