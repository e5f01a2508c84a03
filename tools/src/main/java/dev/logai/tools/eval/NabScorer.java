package dev.logai.tools.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Numenta Anomaly Benchmark's scoring, re-implemented from NAB's {@code sweeper.py}, for its
 * three application profiles ({@link Profile}; standard: true positive 1.0, false positive 0.11,
 * false negative 1.0):
 *
 * <ul>
 *   <li>The first 15% of each series (at most 750 points) is probationary and not scored.</li>
 *   <li>Inside a labelled window only the earliest detection counts, worth
 *       {@code S(p) / S(-1)} with {@code S(p) = 2·sigmoid(-5p) - 1} and {@code p} the position in the
 *       window from -1 (left edge) to 0 (right edge) — early detection earns more.</li>
 *   <li>A detection outside every window costs {@code 0.11·S(p)}, where {@code p} is the distance past
 *       the previous window's right edge in window widths (-0.11 before any window, or far past one).</li>
 *   <li>Each window without a detection costs 1.</li>
 *   <li>The threshold is the one that maximises the total over the whole corpus (NAB's optimiser),
 *       and the total is normalised: {@code 100·(raw - null)/(perfect - null)}, where the null
 *       detector finds nothing (raw = -windows) and the perfect one finds every window at its left
 *       edge (raw = +windows).</li>
 * </ul>
 */
public final class NabScorer {
    /**
     * A NAB application profile: the weights of a true positive, a false positive and a false
     * negative (NAB's {@code config/profiles.json}).
     */
    public record Profile(String name, double tp, double fp, double fn) {}

    public static final Profile STANDARD = new Profile("standard", 1.0, 0.11, 1.0);
    public static final Profile LOW_FP = new Profile("reward_low_FP_rate", 1.0, 0.22, 1.0);
    public static final Profile LOW_FN = new Profile("reward_low_FN_rate", 1.0, 0.11, 2.0);
    public static final List<Profile> PROFILES = List.of(STANDARD, LOW_FP, LOW_FN);

    /** A scored point: its anomaly score, what a detection there is worth, and its window (or null). */
    public record Point(double anomalyScore, double sweepScore, String window) {}

    private NabScorer() {}

    static double scaledSigmoid(double position) {
        return position > 3.0 ? -1.0 : 2 / (1 + Math.exp(5 * position)) - 1.0;
    }

    public static int probationaryLength(int rows) {
        return (int) Math.min(Math.floor(0.15 * rows), 0.15 * 5000);
    }

    /**
     * The scorable points of one series: what detecting at each one would be worth.
     *
     * @param windows index ranges [first, last] of the labelled windows, in order
     */
    public static List<Point> points(String series, double[] scores, List<int[]> windows) {
        return points(series, scores, windows, STANDARD);
    }

    /** {@link #points(String, double[], List)} weighted by {@code profile}. */
    public static List<Point> points(String series, double[] scores, List<int[]> windows, Profile profile) {
        List<Point> out = new ArrayList<>(scores.length);
        int probation = probationaryLength(scores.length);
        double maxTp = scaledSigmoid(-1.0);
        int w = 0;
        int prevRight = -1;
        double prevWidth = 0;
        for (int i = 0; i < scores.length; i++) {
            while (w < windows.size() && windows.get(w)[1] < i) {
                prevRight = windows.get(w)[1];
                prevWidth = windows.get(w)[1] - windows.get(w)[0] + 1;
                w++;
            }
            boolean inWindow = w < windows.size() && windows.get(w)[0] <= i;
            double sweep;
            String name = null;
            if (inWindow) {
                int[] win = windows.get(w);
                double width = win[1] - win[0] + 1;
                sweep = scaledSigmoid(-(win[1] - i + 1) / width) * profile.tp() / maxTp;
                name = series + "|" + win[0];
            } else if (prevRight < 0) {
                sweep = -1.0 * profile.fp();
            } else {
                sweep = scaledSigmoid(Math.abs(prevRight - i) / (prevWidth - 1)) * profile.fp();
            }
            if (i >= probation) {
                out.add(new Point(scores[i], sweep, name));
            }
        }
        return out;
    }

    /** Raw score of a set of points at one threshold: detections are the points at or above it. */
    public static double rawScore(List<Point> points, double threshold) {
        return rawScore(points, threshold, STANDARD);
    }

    /** {@link #rawScore(List, double)} with {@code profile}'s false-negative weight (points weighted by it). */
    public static double rawScore(List<Point> points, double threshold, Profile profile) {
        Map<String, Double> windows = new HashMap<>();
        double fp = 0;
        for (Point p : points) {
            if (p.window() != null) {
                windows.putIfAbsent(p.window(), -profile.fn());
            }
        }
        for (Point p : points) {
            if (p.anomalyScore() < threshold) {
                continue;
            }
            if (p.window() == null) {
                fp += p.sweepScore();
            } else {
                windows.merge(p.window(), p.sweepScore(), Math::max);
            }
        }
        return fp + windows.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** NAB's optimiser: sweeps every distinct score from the top and returns the best [threshold, raw score]. */
    public static double[] bestThreshold(List<Point> points) {
        return bestThreshold(points, STANDARD);
    }

    /** {@link #bestThreshold(List)} with {@code profile}'s false-negative weight (points weighted by it). */
    public static double[] bestThreshold(List<Point> points, Profile profile) {
        List<Point> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingDouble(Point::anomalyScore).reversed());
        Map<String, Double> windows = new HashMap<>();
        double total = 0;
        for (Point p : sorted) {
            if (p.window() != null && windows.putIfAbsent(p.window(), -profile.fn()) == null) {
                total -= profile.fn();
            }
        }
        double bestScore = total;
        double bestThreshold = 1.1;
        for (int i = 0; i < sorted.size(); i++) {
            Point p = sorted.get(i);
            if (p.window() == null) {
                total += p.sweepScore();
            } else {
                double old = windows.get(p.window());
                if (p.sweepScore() > old) {
                    windows.put(p.window(), p.sweepScore());
                    total += p.sweepScore() - old;
                }
            }
            boolean lastOfThreshold =
                    i + 1 == sorted.size() || sorted.get(i + 1).anomalyScore() != p.anomalyScore();
            if (lastOfThreshold && total > bestScore) {
                bestScore = total;
                bestThreshold = p.anomalyScore();
            }
        }
        return new double[] {bestThreshold, bestScore};
    }

    /** NAB's normalised score from a raw total over {@code windowCount} labelled windows. */
    public static double normalised(double raw, int windowCount) {
        return normalised(raw, windowCount, STANDARD);
    }

    /** {@link #normalised(double, int)} against {@code profile}'s null and perfect detectors. */
    public static double normalised(double raw, int windowCount, Profile profile) {
        double nullScore = -profile.fn() * windowCount;
        double perfect = profile.tp() * windowCount;
        return windowCount == 0 ? 0 : 100 * (raw - nullScore) / (perfect - nullScore);
    }
}
