package dev.logai.flink.anomaly;

import dev.logai.common.contract.Metric;
import dev.logai.flink.window.LatencySketch;
import dev.logai.flink.window.WindowMetrics;
import java.util.List;
import java.util.Locale;

/**
 * The p95 latency (ms) of the window's durations against its {@link EwmDetector} baseline, for
 * windows with at least {@value #MIN_LATENCY_SAMPLES} durations (a p95 of fewer is one request);
 * only a slowdown of at least {@value #MIN_LATENCY_RATIO}× is reported, and only when more requests
 * than the usual {@value #TAIL_SHARE} are above the usual p95 by at least the threshold in binomial
 * deviations ({@link ErrorRateDetector#binomialZ}). A slowdown usual for its
 * minute of the hour ({@link HourlyProfile}, e.g. during a half-hourly export) is judged against
 * that habit instead, when the habit finds it less surprising.
 *
 * <p>A tail that creeps up over an hour (GC pressure, a slow dependency behind one request in ten)
 * is trailed by the p95's baseline within the 1.5× of a spike, and the typical request barely
 * moves. So the slowest {@value #TAIL_JUDGED} of each window's requests ({@link
 * LatencySketch#slowest}) are also judged as a {@link ServiceLatency} judges a service: their
 * typical latency against the usual one held at the run's start, by Page's CUSUM, reported once per
 * lasting rise of at least {@value ServiceLatency#MIN_RATIO}× and again as it keeps climbing. When
 * a spike is reported, it and the {@value #SPIKE_SETTLE_WINDOWS} windows after it are the spike's:
 * the tail's run then starts over. The minutes of the hour the p95's habit says are usually
 * {@value ServiceLatency#MIN_RATIO}× slower than the hour's typical minute ({@link
 * HourlyProfile#relativeToTypicalMinute}: a half-hourly export's) are left out of the tail's test.
 */
final class LatencyDetector implements WindowDetector {
    static final long MIN_LATENCY_SAMPLES = 20;
    static final double MIN_LATENCY_RATIO = 1.5;
    /** The share of requests usually above the p95. */
    static final double TAIL_SHARE = 0.05;
    /** Windows after a reported p95 spike whose tail judgements belong to that spike. */
    static final long SPIKE_SETTLE_WINDOWS = 5;

    /** The share of each window's requests, the slowest, judged for a lasting rise of the tail. */
    static final double TAIL_JUDGED = 0.1;

    @Override
    public List<Anomaly> judge(WindowMetrics m, Baselines baselines) {
        if (m.latency == null || m.latency.count < MIN_LATENCY_SAMPLES) {
            return List.of();
        }
        EwmDetector d = baselines.source.latencyP95;
        double p95 = m.latency.quantile(0.95);
        if (!Double.isFinite(p95)) {
            return List.of();
        }
        DetectorSettings s = baselines.settings;
        if (baselines.source.latencyTail == null) {
            baselines.source.latencyTail = new ServiceLatency(); // state written before it
        }
        ServiceLatency tail = baselines.source.latencyTail;
        // The minutes of the hour usually slower than the hour's typical minute are not the
        // tail's to judge: an export's requests are the slowest tenth for its two minutes every
        // half hour, and with many requests a window (a busy source) each such minute alone made
        // the tail's CUSUM certain. Whatever this minute's p95 or whether the habit excuses it
        // (once the others are left out, an export minute judged was the tail's largest
        // surprise). A creep raises every minute alike: none stands out from the others. Read
        // before this window teaches the habit, so a one-off slow minute cannot excuse itself.
        boolean habitualSlowMinute =
                baselines.source.latencyHourly.relativeToTypicalMinute(m.windowStart) >= ServiceLatency.MIN_RATIO;
        double z = d.learn(p95, s);
        // A slowdown usual for this minute of the hour (a half-hourly export's) is excused by it.
        double hourlyZ = baselines.source.latencyHourly.judge(
                p95, m.windowStart, d.n == 1 ? p95 : d.baseline, SeasonalProfile.levelFarOff(z));
        boolean byHabit = !Double.isNaN(hourlyZ) && Math.abs(hourlyZ) < Math.abs(z);
        boolean tailRise =
                !habitualSlowMinute && tail.update(m.latency.slowest(TAIL_JUDGED), baselines.window, s, true);
        List<Anomaly> spike = spike(m, baselines, d, p95, s, z, byHabit ? hourlyZ : Double.NaN);
        if (!spike.isEmpty()) {
            baselines.source.latencySpikeWindow = baselines.window;
        }
        if (baselines.window - baselines.source.latencySpikeWindow <= SPIKE_SETTLE_WINDOWS) {
            // A reported spike and the windows right after it are that excursion's (a slowdown of a
            // few windows, or a step): the tail's run holding them is dropped, not reported, so it
            // keeps neither the spike as its reference nor as its reported level, and a creep
            // going on beside it is judged afresh once the spike has passed.
            tail.abandonRun();
            return spike;
        }
        return tailRise ? List.of(tailRise(m, baselines, tail)) : List.of();
    }

    /**
     * The p95 judged against its baseline: a slowdown of this window, or nothing. {@code z}: the
     * baseline's z-score of {@code p95}; {@code hourlyZ}: the hourly habit's, when it excuses the
     * window (NaN otherwise).
     */
    private static List<Anomaly> spike(
            WindowMetrics m,
            Baselines baselines,
            EwmDetector d,
            double p95,
            DetectorSettings s,
            double z,
            double hourlyZ) {
        double usual = d.baseline;
        String context = "";
        if (!Double.isNaN(hourlyZ)) {
            z = hourlyZ;
            usual = baselines.source.latencyHourly.expected;
            context = " at this minute of the hour";
        }
        // A p95 of fewer durations than usual is noisier than the baseline's variance says (a
        // quantile's standard error goes as 1/√n): its z is scaled down by √(n / usual n), so a quiet
        // night's few requests do not read as a slowdown. More durations than usual change nothing.
        LatencySamples samples = baselines.source.latencySamples;
        double usualCount = samples.usual(m.latency.count);
        if (m.latency.count < usualCount) {
            z *= Math.sqrt(m.latency.count / usualCount);
        }
        double score = d.n <= s.warmup() ? 0 : d.onset(d.surprise(Math.abs(z), s));
        if (!(score >= 0.5 && p95 >= MIN_LATENCY_RATIO * usual)) {
            return List.of();
        }
        // A p95 is one order statistic: a few slow requests among few move it. A slowdown is also
        // many more requests than the usual 5% above the usual p95 — a binomial count, sure at the
        // threshold whatever the window's size. (A slow climb in one service is ServiceLatency's.)
        long above = m.latency.countAbove(usual);
        if (ErrorRateDetector.binomialZ(above, m.latency.count, TAIL_SHARE) < s.threshold()) {
            return List.of();
        }
        return List.of(Anomaly.of(
                m,
                Metric.LATENCY_P95,
                "",
                "",
                p95,
                usual,
                z,
                score,
                "spike",
                baselines.why.of(
                        Explanations.Focus.LINES,
                        String.format(Locale.ROOT, "p95 latency %.0f ms vs usually %.0f ms", p95, usual) + context)));
    }

    /** The lasting rise of the slowest requests' typical latency that {@code tail} has just become certain of. */
    private static Anomaly tailRise(WindowMetrics m, Baselines baselines, ServiceLatency tail) {
        double h = ServiceLatency.decisionInterval(baselines.settings);
        long windows = baselines.window - tail.runFrom + 1;
        String reason = String.format(
                        Locale.ROOT,
                        "slowest %.0f%% of requests: typically %.0f ms vs usually %.0f ms, rising over the last %d windows",
                        100 * TAIL_JUDGED,
                        tail.typicalMs,
                        tail.usualMs,
                        windows)
                + (tail.again
                        ? String.format(Locale.ROOT, ", still rising (%.0f ms when reported before)", tail.previousMs)
                        : "");
        return Anomaly.of(
                        m,
                        Metric.LATENCY_P95,
                        "",
                        "",
                        tail.typicalMs,
                        tail.usualMs,
                        tail.z,
                        tail.cusum / (tail.cusum + h),
                        "spike",
                        baselines.why.of(Explanations.Focus.LINES, reason))
                .lastingFor(windows);
    }
}
