package dev.logai.flink.anomaly;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.logai.common.contract.Metric;
import dev.logai.flink.window.WindowMetrics;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A source that went silent while it is usually active then: {@code silence} anomalies, judged
 * against the source's {@link ActivityProfile}. In event time (this detector), when a window comes
 * after a gap of empty windows; while the source is still quiet, by the wall clock, in {@link
 * DetectAnomalies}' timer — both through {@link #judge(String, String, ActivityProfile, long, long,
 * long, DetectorSettings, String, long, String)}, so they flag the same silences with the same id.
 *
 * <p>A gap of k empty windows is a silence when all hold: k ≥ {@value #MIN_SILENT_WINDOWS}; the
 * chance of no line in those windows under the profile is below the normal tail at the
 * sensitivity's threshold ({@code Φ(-4)} ≈ 3·10⁻⁵ at medium; the score is 0.5 there, as for the
 * other detectors); and the source usually sends at least {@value #MIN_EXPECTED_LINES} lines in
 * such a stretch (the effect size, as for a volume drop). The anomaly is dated at the first silent
 * window: observed 0 lines, baseline the usual lines per window in the gap's hours, z-score minus
 * the normal quantile of that chance. Every window (gaps included) then teaches the profile.
 */
final class SilenceDetector implements WindowDetector {
    /** Shorter gaps are never a silence: a window boundary or a shipper's flush can empty one window. */
    static final int MIN_SILENT_WINDOWS = 2;
    /** The lines the source usually sends in the gap: less is no silence, whatever the odds (lines). */
    static final double MIN_EXPECTED_LINES = 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public List<Anomaly> judge(WindowMetrics m, Baselines baselines) {
        SourceBaselines b = baselines.source;
        long size = Math.max(1, m.windowEnd - m.windowStart);
        if (b.activity == null) {
            b.activity = new ActivityProfile();
        }
        Anomaly found = null;
        if (baselines.previousWindowStart != Long.MIN_VALUE) {
            long first = baselines.previousWindowStart + size;
            long gap = (m.windowStart - first) / size;
            if (gap > 0) {
                found = judge(
                        m.orgId,
                        m.sourceId,
                        b.activity,
                        first,
                        gap,
                        size,
                        baselines.settings,
                        m.sensitivity,
                        b.lastLineTs,
                        m.counts.firstTs == Long.MAX_VALUE
                                ? "it came back in the window from " + Instant.ofEpochMilli(m.windowStart)
                                : "its next line came at " + Instant.ofEpochMilli(m.counts.firstTs));
                b.activity.learnSilent(first, gap, size);
            }
        }
        b.activity.learn(m.windowStart, size, m.counts.lines);
        b.lastLineTs = Math.max(b.lastLineTs, m.counts.lastTs);
        b.windowMs = size;
        return found == null ? List.of() : List.of(found);
    }

    /**
     * The silence anomaly of {@code count} empty windows of {@code org/source} from {@code
     * firstStart} (epoch ms) against {@code profile} (as it was before them), or null if that is
     * no silence (see the class comment).
     *
     * @param tenantLevel the sensitivity the tenant set (shown in the explanation), or null
     * @param lastLineTs event time of the source's last line before the gap (for the explanation),
     *     or {@link Long#MIN_VALUE}
     * @param how        how the silence ended or stands, for the explanation ("its next line came at …")
     */
    static Anomaly judge(
            String org,
            String source,
            ActivityProfile profile,
            long firstStart,
            long count,
            long sizeMs,
            DetectorSettings settings,
            String tenantLevel,
            long lastLineTs,
            String how) {
        if (count < MIN_SILENT_WINDOWS) {
            return null;
        }
        double expected = profile.expectedLines(firstStart, count, sizeMs);
        double logChance = profile.logChanceOfSilence(firstStart, count, sizeMs);
        double z = normalQuantileOfLogTail(logChance);
        if (expected < MIN_EXPECTED_LINES || z < settings.threshold()) {
            return null;
        }
        double e = z / settings.threshold();
        double perWindow = expected / Math.min(count, ActivityProfile.MAX_GAP_HOURS * 3_600_000L / sizeMs);
        String reason = String.format(
                Locale.ROOT,
                "no lines for %d windows (%s) from %s, usually %.0f lines a window at this hour%s; %s",
                count,
                duration(count * sizeMs),
                Instant.ofEpochMilli(firstStart),
                perWindow,
                lastLineTs == Long.MIN_VALUE ? "" : "; last line at " + Instant.ofEpochMilli(lastLineTs),
                how);
        WindowMetrics first = WindowMetrics.empty(org, source, firstStart, firstStart + sizeMs);
        return Anomaly.of(
                first,
                Metric.SILENCE,
                "",
                "",
                0,
                perWindow,
                -z,
                e * e / (e * e + 1),
                "drop",
                explanation(reason, count, perWindow, logChance, lastLineTs, tenantLevel));
    }

    /**
     * The z with {@code ln Φ(-z) = logTail} for a tail this small or smaller (z ≥ 1), from the
     * asymptotic tail {@code ln Φ(-z) ≈ -z²/2 - ln(z √(2π))} (Mills' ratio; 1% off at z = 4); 0 for
     * a tail above {@code Φ(-1)}.
     */
    static double normalQuantileOfLogTail(double logTail) {
        double target = -logTail - 0.5 * Math.log(2 * Math.PI);
        if (target <= 0.5) {
            return 0;
        }
        double z = Math.sqrt(2 * target);
        for (int i = 0; i < 8; i++) {
            z = Math.sqrt(Math.max(1, 2 * (target - Math.log(z))));
        }
        return z;
    }

    private static String explanation(
            String reason, long windows, double usual, double logChance, long lastLineTs, String tenantLevel) {
        ObjectNode root = JSON.createObjectNode();
        root.put("reason", reason);
        root.putArray("top_templates");
        root.putArray("top_services");
        root.putArray("examples");
        root.put("silent_windows", windows);
        root.put("usual_lines_per_window", Math.round(usual * 10) / 10.0);
        root.put("log10_chance", Math.round(logChance / Math.log(10) * 10) / 10.0);
        if (lastLineTs != Long.MIN_VALUE) {
            root.put("last_line", Instant.ofEpochMilli(lastLineTs).toString());
        }
        if (tenantLevel != null) {
            root.put("sensitivity", tenantLevel);
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Explanation could not be written as JSON", e);
        }
    }

    /** "45 s", "12 min", "3 h 5 min". */
    static String duration(long ms) {
        long minutes = ms / 60_000;
        if (minutes == 0) {
            return ms / 1000 + " s";
        }
        long h = minutes / 60;
        long m = minutes % 60;
        return h == 0 ? m + " min" : m == 0 ? h + " h" : h + " h " + m + " min";
    }
}
