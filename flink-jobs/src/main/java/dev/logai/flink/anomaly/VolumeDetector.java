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
        if (b.volumeShift == null) {
            b.volumeShift = new VolumeShift(); // state written before it existed
        }
        VolumeShift shift = b.volumeShift;
        long size = Math.max(1, m.windowEnd - m.windowStart);
        if (baselines.previousWindowStart != Long.MIN_VALUE) {
            long gap = Math.min(MAX_GAP_WINDOWS, (m.windowStart - baselines.previousWindowStart) / size - 1);
            if (gap >= EXCURSION_END_WINDOWS) {
                // a silence of its own (the silence detector's); what comes after is new
                endExcursion(b);
                shift.reset();
            }
            if (gap > 0) {
                // the lasting-drop test learns its noise from consecutive windows only
                shift.gap();
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
        // The lasting-drop test's reference: what judged the point (the level, or the time of
        // day's or week's usual when a profile does), not a drift's or a habit's view of it.
        SeriesDetector series = b.volumeSeries;
        double reference =
                series.profile.model == SeasonalProfile.Model.LEVEL ? series.level.baseline : series.profile.expected;
        double dayShape = dayShape(series);
        boolean lastingDrop = shift.update(volume, reference, dayShape, series.level.n > s.warmup(), s);
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
            b.volumeExcursionExcess = 0;
        } else if (b.volumeExcursion != null && ++b.volumeCalmWindows >= EXCURSION_END_WINDOWS) {
            endExcursion(b);
        }
        // Statistics alone would page on 3 lines instead of 1: the change must also double or
        // halve, against every expectation that explains the series (effectUsual), by
        // MIN_VOLUME_CHANGE lines — in this window, or in the excursion's doubled windows in a row
        // up to this one (a quiet source's ×4 surge, 5 lines a minute to 20, never adds 20 in one
        // window).
        double effectUsual = effectUsual(series, usual, spike);
        if (inExcursion && spike && volume >= 2 * effectUsual) {
            b.volumeExcursionExcess += volume - effectUsual;
        } else {
            b.volumeExcursionExcess = 0; // doubled windows in a row: a flapping quiet source adds nothing up
        }
        boolean flagged = inExcursion
                && reportable
                && !b.volumeExcursionReported
                && hasEffect(volume, effectUsual, spike, spike ? b.volumeExcursionExcess : 0);
        // A lasting drop the level's widened deviation does not see (a peak's ramps widen it for
        // hours): certain by the CUSUM, and halved over its last few windows against the level now,
        // the run's usual as yesterday's daily shape would have moved it, the minute's habit and
        // this time of day — reported unless this drop already was.
        boolean dropAlreadyReported = "drop".equals(b.volumeExcursion) && b.volumeExcursionReported;
        double shiftUsual =
                lastingDrop ? effectUsual(series, Math.min(usual, shift.shapedUsual(dayShape)), false) : usual;
        boolean shiftFlagged =
                !flagged && lastingDrop && !dropAlreadyReported && hasEffect(shift.recentVolume, shiftUsual, false);
        if (shiftFlagged && !m.endOfData) { // (not the window where the data stopped, as below)
            b.volumeExcursion = "drop";
            b.volumeExcursionReported = true;
            b.volumeCalmWindows = 0;
            shift.markReported();
            return List.of(Anomaly.of(
                            m,
                            Metric.VOLUME,
                            "",
                            "",
                            volume,
                            shiftUsual,
                            shift.z(shiftUsual),
                            shift.score(s),
                            "drop",
                            baselines.why.of(
                                    Explanations.Focus.LINES,
                                    String.format(
                                            Locale.ROOT,
                                            "%.0f lines vs usually %.0f, a lasting drop (%.0f a window lately)",
                                            volume,
                                            shiftUsual,
                                            shift.recentVolume)))
                    .lastingFor(shift.windows));
        }
        // The window where the data stopped (a file's last minute, a source gone quiet mid-minute)
        // holds only the lines before the end: not a drop. Silence is the absence rule's to judge.
        if (!flagged || (!spike && m.endOfData)) {
            return List.of();
        }
        b.volumeExcursionReported = true;
        if (!spike) {
            shift.markReported(); // the same drop, seen by the level first
        }
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

    /**
     * What a change must double or halve: {@code usual}, widened by every expectation that
     * explains the series — the minute's habit (a half-hourly export landing on a daily peak's
     * ramp is not twice the level "and so" a spike), and this time of day as it was yesterday and
     * usually is (the less excusing of the two: one incident at this time yesterday, or a day
     * long ago, excuses nothing on its own), so a daily peak is not a spike from its second day
     * on, long before the daily profile may judge (two days) or if it never does.
     */
    private static double effectUsual(SeriesDetector series, double usual, boolean spike) {
        double effectUsual = usual;
        double habit = series.habitExpected;
        if (!Double.isNaN(habit)) {
            effectUsual = spike ? Math.max(effectUsual, habit) : Math.min(effectUsual, habit);
        }
        double yesterday = series.yesterdayExpected;
        double daily = series.dailyUsualExpected;
        if (!Double.isNaN(yesterday) && !Double.isNaN(daily)) {
            effectUsual =
                    spike ? Math.max(effectUsual, Math.min(yesterday, daily)) : Math.min(effectUsual, dayShape(series));
        }
        return effectUsual;
    }

    /**
     * This time of day's volume yesterday, or usually where that is more (one incident at this
     * time yesterday excuses no drop on its own): what a drop is judged against by the day's shape;
     * NaN unless the phase was met yesterday ({@link SeasonalProfile#dailyUsual} is NaN then too).
     */
    private static double dayShape(SeriesDetector series) {
        return Math.max(series.yesterdayExpected, series.dailyUsualExpected);
    }

    /**
     * Statistics alone would page on 3 lines instead of 1: the change must double or halve, by
     * {@value #MIN_VOLUME_CHANGE} lines at least in this window or, for a spike, over the
     * excursion's doubled windows in a row up to this one ({@code excursionExcess}, lines above
     * their usual).
     */
    private static boolean hasEffect(double volume, double effectUsual, boolean spike, double excursionExcess) {
        return Math.max(Math.abs(volume - effectUsual), excursionExcess) >= MIN_VOLUME_CHANGE
                && (spike ? volume >= 2 * effectUsual : volume <= effectUsual / 2);
    }

    private static boolean hasEffect(double volume, double effectUsual, boolean spike) {
        return hasEffect(volume, effectUsual, spike, 0);
    }

    /** No volume excursion in progress. */
    private static void endExcursion(SourceBaselines b) {
        b.volumeExcursion = null;
        b.volumeExcursionReported = false;
        b.volumeCalmWindows = 0;
        b.volumeExcursionExcess = 0;
    }

    /** What "usually" meant: the view of the {@link SeriesDetector} that fired. */
    static String context(SeriesDetector.View view) {
        return switch (view) {
            case LEVEL -> "";
            case DAILY -> " at this time of day";
            case WEEKLY -> " at this hour of the week";
            case DRIFT -> ", a lasting shift";
            case HOURLY -> " at this minute of the hour";
            case DAILY_PEAK -> " for this time of day's usual spike";
        };
    }
}
