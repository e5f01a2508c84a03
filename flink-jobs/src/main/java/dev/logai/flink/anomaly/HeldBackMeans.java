package dev.logai.flink.anomaly;

/**
 * Exponentially weighted means of a pair of statistics per judgement, {@code (x, y)} — e.g. a
 * residual's lag-1 product and its square — whose values inside a CUSUM run are held back until
 * the run ends: counted then, as if one by one, when the run was noise, and dropped when it was a
 * change (its CUSUM became certain: reported, or held back by the effect size). A detector must not learn its noise from the very rise it reports. A Flink POJO
 * inside the detectors' keyed state ({@link ServiceLatency}, {@link RateShift}); five numbers.
 */
public class HeldBackMeans {
    /** The means of {@code x} and {@code y}. */
    public double x;

    public double y;
    /** Sums of the values held back in the current run, and how many. */
    public double heldX;

    public double heldY;
    public long held;

    public HeldBackMeans() {}

    /** Means starting at {@code x} and {@code y}. */
    public HeldBackMeans(double x, double y) {
        this.x = x;
        this.y = y;
    }

    /** Counts one pair now, with weight {@code alpha} (an EWM step). */
    void add(double valueX, double valueY, double alpha) {
        x += alpha * (valueX - x);
        y += alpha * (valueY - y);
    }

    /** Holds one pair back until the run ends. */
    void hold(double valueX, double valueY) {
        heldX += valueX;
        heldY += valueY;
        held++;
    }

    /**
     * The run ended: its pairs are counted ({@code count}: the run was not reported) as {@code held}
     * EWM steps of their mean, else dropped.
     */
    void endRun(boolean count, double alpha) {
        if (count && held > 0) {
            double keep = Math.pow(1 - alpha, held);
            x = keep * x + (1 - keep) * heldX / held;
            y = keep * y + (1 - keep) * heldY / held;
        }
        heldX = 0;
        heldY = 0;
        held = 0;
    }
}
