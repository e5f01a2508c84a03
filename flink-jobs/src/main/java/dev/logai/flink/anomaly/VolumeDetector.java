package dev.logai.flink.anomaly;

import dev.logai.common.contract.Metric;
import dev.logai.flink.window.WindowMetrics;
import java.util.List;
import java.util.Locale;

/**
 * Lines per window of the source against its {@link SeriesDetector} (its level, or its usual
 * volume at this time of day or week when it has such a shape, and its drifts): a spike or a drop,
 * reported in the first window of an excursion only (the windows after it that are still past the
 * threshold on the same side, with at most {@value #EXCURSION_END_WINDOWS}−1 calmer ones between,
 * are the same anomaly). Windows the source was silent in count as zero lines, so a
 * source that stops and comes back has its pause in the baseline.
 */
final class VolumeDetector implements WindowDetector {
    /** Effect size below which nothing is flagged, whatever the statistics say (lines). */
    static final double MIN_VOLUME_CHANGE = 20;
    /** Windows in a row not past the threshold that end a volume excursion. */
    static final int EXCURSION_END_WINDOWS = 3;
    /** Silent windows between two windows are counted as zero volume, up to this many. */
    static final int MAX_GAP_WINDOWS = 60;

    @Override
    public List<Anomaly> judge(WindowMetrics m, Baselines baselines) {
        SourceBaselines b = baselines.source;
        DetectorSettings s = baselines.settings;
        long size = Math.max(1, m.windowEnd - m.windowStart);
        if (baselines.previousWindowStart != Long.MIN_VALUE) {
            long gap = Math.min(MAX_GAP_WINDOWS, (m.windowStart - baselines.previousWindowStart) / size - 1);
            if (gap >= EXCURSION_END_WINDOWS) {
                // a silence of its own (the silence detector's); what comes after is new
                endExcursion(b);
            }
            for (long i = 1; i <= gap; i++) {
                b.volumeSeries.update(0, baselines.previousWindowStart + i * size, s);
            }
        }
        double volume = m.counts.lines;
        double onset = b.volumeSeries.update(volume, m.windowStart, s);
        double score = b.volumeSeries.rawScore;
        double usual = b.volumeSeries.baseline;
        boolean spike = volume > usual;
        String label = spike ? "spike" : "drop";
        // An excursion: windows whose statistics are past the threshold on one side, until
        // EXCURSION_END_WINDOWS in a row are not (one calmer window, or a silent minute, inside an
        // outage does not end it). It is reported once, in its first window with an effect: a new
        // onset (the score above its recent peak), or any later window of an excursion not yet
        // reported — a ramp's statistics cross the threshold windows before it doubles, and it
        // climbs window after window above each last peak.
        boolean inExcursion = score >= 0.5;
        boolean sameExcursion = inExcursion && label.equals(b.volumeExcursion);
        boolean reportable = onset > 0 || (sameExcursion && !b.volumeExcursionReported);
        if (sameExcursion) {
            b.volumeCalmWindows = 0;
        } else if (inExcursion) {
            b.volumeExcursion = label;
            b.volumeExcursionReported = false;
            b.volumeCalmWindows = 0;
        } else if (b.volumeExcursion != null && ++b.volumeCalmWindows >= EXCURSION_END_WINDOWS) {
            endExcursion(b);
        }
        // Statistics alone would page on 3 lines instead of 1: the change must also double or halve,
        // against every expectation that explains the series — the minute's habit too, so a
        // half-hourly export landing on a daily peak's ramp is not twice the level "and so" a spike;
        // and this time of day as it was yesterday and usually is (the less excusing of the two:
        // one incident at this time yesterday, or a day long ago, excuses nothing on its own), so a
        // daily peak is not a spike from its second day on, long before the daily profile may
        // judge (two days) or if it never does.
        double effectUsual = usual;
        double habit = b.volumeSeries.habitExpected;
        if (!Double.isNaN(habit)) {
            effectUsual = spike ? Math.max(effectUsual, habit) : Math.min(effectUsual, habit);
        }
        double yesterday = b.volumeSeries.yesterdayExpected;
        double daily = b.volumeSeries.dailyUsualExpected;
        if (!Double.isNaN(yesterday) && !Double.isNaN(daily)) {
            effectUsual = spike
                    ? Math.max(effectUsual, Math.min(yesterday, daily))
                    : Math.min(effectUsual, Math.max(yesterday, daily));
        }
        boolean flagged = inExcursion
                && reportable
                && !b.volumeExcursionReported
                && Math.abs(volume - effectUsual) >= MIN_VOLUME_CHANGE
                && (spike ? volume >= 2 * effectUsual : volume <= effectUsual / 2);
        // The window where the data stopped (a file's last minute, a source gone quiet mid-minute)
        // holds only the lines before the end: not a drop. Silence is the absence rule's to judge.
        if (!flagged || (!spike && m.endOfData)) {
            return List.of();
        }
        b.volumeExcursionReported = true;
        return List.of(Anomaly.of(
                m,
                Metric.VOLUME,
                "",
                "",
                volume,
                usual,
                b.volumeSeries.z,
                score,
                label,
                baselines.why.of(
                        spike ? Explanations.Focus.EXCESS : Explanations.Focus.LINES,
                        String.format(Locale.ROOT, "%.0f lines vs usually %.0f", volume, usual)
                                + context(b.volumeSeries.view))));
    }

    /** No volume excursion in progress. */
    private static void endExcursion(SourceBaselines b) {
        b.volumeExcursion = null;
        b.volumeExcursionReported = false;
        b.volumeCalmWindows = 0;
    }

    /** What "usually" meant: the view of the {@link SeriesDetector} that fired. */
    static String context(SeriesDetector.View view) {
        return switch (view) {
            case LEVEL -> "";
            case DAILY -> " at this time of day";
            case WEEKLY -> " at this hour of the week";
            case DRIFT -> ", a lasting shift";
            case HOURLY -> " at this minute of the hour";
        };
    }
}
