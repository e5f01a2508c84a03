package dev.logai.flink.anomaly;

/**
 * A source's expected activity, to judge its silences: per hour of the day (UTC) the share of its
 * windows that had lines, and its lines per window when it had any. O(1) state (24 + 24 numbers
 * and a few more) and O(hours of the gap) time per judged silence, whatever the gap's length.
 *
 * <p>The chance that a window of hour {@code h} is empty is taken as {@code q_h = max(1 - a_h,
 * e^-λ)}: the share of that hour's windows that were empty, but never below the Poisson chance of
 * an empty window at the usual lines per active window λ (a source that never paused still can).
 * The windows of a gap are taken as independent, so {@code ln P(k silent windows) = Σ ln q_h}. An
 * hour with fewer than half an hour of windows seen uses the share over all hours instead. A
 * source quiet every night learns that its nights are empty (q ≈ 1: no silence flagged there),
 * one that logs every few seconds needs only two empty windows, a cron job that writes every 30
 * minutes (a ≈ 1/30) needs hundreds.
 *
 * <p>Rates: an hour's share remembers about a week of that hour's windows ({@code 1 / (7 ×
 * windows an hour)} a window, the plain mean before that); the share over all hours about a day;
 * the lines per active window follow the recent level (rate {@value #LINES_ALPHA}). The windows of
 * a silence are learned too (flagged or not), so a source whose schedule changed stops being
 * flagged for it within days. Fields are public so Flink keeps the profile as a POJO.
 */
public class ActivityProfile {
    static final int SLOTS = 24;
    static final double LINES_ALPHA = 0.05;
    /** Longest gap judged or learned in full; longer ones count as this long (8 days). */
    static final long MAX_GAP_HOURS = 8 * 24;

    private static final long HOUR_MS = 3_600_000L;

    /** Per hour of the day (UTC): the share of windows with lines, and the windows seen. */
    public double[] active = new double[SLOTS];

    public long[] slotWindows = new long[SLOTS];
    /** The share of windows with lines over all hours, and the windows seen. */
    public double activeOverall;

    public long windows;
    /** Lines per window in windows that had lines, and how many such windows were seen. */
    public double linesWhenActive;

    public long activeWindows;

    public ActivityProfile() {}

    /**
     * Learns one window with {@code lines} lines.
     *
     * @param windowStart epoch ms of the window's start (its hour of the day picks the slot)
     * @param sizeMs      the window size, ms
     */
    public void learn(long windowStart, long sizeMs, long lines) {
        int slot = slot(windowStart);
        double hit = lines > 0 ? 1 : 0;
        slotWindows[slot]++;
        active[slot] += rate(slotWindows[slot], slotAlpha(sizeMs)) * (hit - active[slot]);
        windows++;
        activeOverall += rate(windows, overallAlpha(sizeMs)) * (hit - activeOverall);
        if (lines > 0) {
            activeWindows++;
            linesWhenActive += rate(activeWindows, LINES_ALPHA) * (lines - linesWhenActive);
        }
    }

    /**
     * Learns {@code count} empty windows from {@code firstStart} on, in O(hours) (at most {@link
     * #MAX_GAP_HOURS} hours of them).
     */
    public void learnSilent(long firstStart, long count, long sizeMs) {
        forEachHour(firstStart, count, sizeMs, (slot, n) -> {
            active[slot] = decay(active[slot], slotWindows[slot], n, slotAlpha(sizeMs));
            slotWindows[slot] += n;
        });
        long n = Math.min(count, MAX_GAP_HOURS * windowsPerHour(sizeMs));
        activeOverall = decay(activeOverall, windows, n, overallAlpha(sizeMs));
        windows += n;
    }

    /**
     * {@code ln P(no line in count windows from firstStart)} under this profile (≤ 0; 0 for a
     * source never seen active, whose silence means nothing).
     */
    public double logChanceOfSilence(long firstStart, long count, long sizeMs) {
        double[] sum = {0};
        forEachHour(firstStart, count, sizeMs, (slot, n) -> sum[0] += n * logEmpty(slot, sizeMs));
        return sum[0];
    }

    /** The lines usually seen in {@code count} windows from {@code firstStart}: Σ share × lines per active window. */
    public double expectedLines(long firstStart, long count, long sizeMs) {
        double[] sum = {0};
        forEachHour(firstStart, count, sizeMs, (slot, n) -> sum[0] += n * share(slot, sizeMs) * linesWhenActive);
        return sum[0];
    }

    /** The share of windows with lines in the hour of {@code windowStart} (its own, or over all hours while it is new). */
    public double shareAt(long windowStart, long sizeMs) {
        return share(slot(windowStart), sizeMs);
    }

    private double share(int slot, long sizeMs) {
        return slotWindows[slot] >= Math.max(1, windowsPerHour(sizeMs) / 2) ? active[slot] : activeOverall;
    }

    private double logEmpty(int slot, long sizeMs) {
        if (activeWindows == 0) {
            return 0;
        }
        double idle = 1 - share(slot, sizeMs);
        return Math.max(idle > 0 ? Math.log(idle) : Double.NEGATIVE_INFINITY, -linesWhenActive);
    }

    /** Calls {@code each(slot, windows)} for the windows of each hour in [firstStart, firstStart + count × size). */
    private static void forEachHour(long firstStart, long count, long sizeMs, SlotWindows each) {
        long perHour = windowsPerHour(sizeMs);
        long left = Math.min(count, MAX_GAP_HOURS * perHour);
        long t = firstStart;
        while (left > 0) {
            long hourEnd = (Math.floorDiv(t, HOUR_MS) + 1) * HOUR_MS;
            long inHour = Math.max(1, Math.min(left, (hourEnd - t + sizeMs - 1) / sizeMs));
            each.add(slot(t), inHour);
            left -= inHour;
            t += inHour * sizeMs;
        }
    }

    private interface SlotWindows {
        void add(int slot, long windows);
    }

    static int slot(long ts) {
        return (int) Math.floorMod(Math.floorDiv(ts, HOUR_MS), (long) SLOTS);
    }

    private static long windowsPerHour(long sizeMs) {
        return Math.max(1, HOUR_MS / Math.max(1, sizeMs));
    }

    private static double slotAlpha(long sizeMs) {
        return 1.0 / (7 * windowsPerHour(sizeMs));
    }

    private static double overallAlpha(long sizeMs) {
        return 1.0 / (24 * windowsPerHour(sizeMs));
    }

    /** The update rate of the {@code n}-th sample: the plain mean until it is slower than {@code alpha}. */
    private static double rate(long n, double alpha) {
        return Math.max(alpha, 1.0 / n);
    }

    /** {@code value} after {@code n} zeros, {@code seen} samples already learned (the same as n calls of the update). */
    static double decay(double value, long seen, long n, double alpha) {
        long meanPhase = Math.max(0, Math.min(n, (long) Math.floor(1 / alpha) - seen));
        double v = seen + meanPhase == 0 ? 0 : value * seen / (double) (seen + meanPhase);
        return v * Math.pow(1 - alpha, n - meanPhase);
    }
}
