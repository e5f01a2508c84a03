package dev.logai.flink.anomaly;

/**
 * The usual level per hour of the week (UTC): a value is judged as its difference from its hour's
 * usual level plus the overall level, so Monday 9:00 is compared with earlier Mondays at 9:00.
 * An hour seen fewer than {@link #MIN_SAMPLES} times is not adjusted yet.
 */
public class SeasonalProfile {
    static final int SLOTS = 168;
    static final int MIN_SAMPLES = 10;
    static final double SLOT_ALPHA = 0.05;
    static final double OVERALL_ALPHA = 0.01;
    private static final long HOUR_MS = 3_600_000L;

    public double[] slotMean = new double[SLOTS];
    public long[] slotSamples = new long[SLOTS];
    public double overallMean;
    public long samples;

    public SeasonalProfile() {}

    /** The value with its hour of the week's usual offset removed; then learns from it. */
    public double adjust(double x, long timestampMs) {
        // Epoch day 0 was a Thursday; slot 0 is Monday 00:00 UTC.
        int slot = (int) Math.floorMod(timestampMs / HOUR_MS + 72, SLOTS);
        double adjusted = slotSamples[slot] >= MIN_SAMPLES ? x - slotMean[slot] + overallMean : x;
        slotSamples[slot]++;
        slotMean[slot] += Math.max(SLOT_ALPHA, 1.0 / slotSamples[slot]) * (x - slotMean[slot]);
        samples++;
        overallMean += Math.max(OVERALL_ALPHA, 1.0 / samples) * (x - overallMean);
        return adjusted;
    }
}
