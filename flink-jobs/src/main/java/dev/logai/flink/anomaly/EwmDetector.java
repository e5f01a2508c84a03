package dev.logai.flink.anomaly;

/**
 * A streaming detector for one metric: O(1) time per point (a constant 64-bucket scan at most) and
 * about 70 doubles of state, however long the series.
 *
 * <ol>
 *   <li><b>Robust EWM baseline.</b> An exponentially weighted mean and variance. A residual beyond
 *       {@code clip} deviations updates them only as if it were {@code clip} deviations (a Huber
 *       step), so an incident barely moves the baseline it is judged against, while a lasting level
 *       shift still widens the variance and pulls the mean over within a few dozen points.</li>
 *   <li><b>A deviation that cannot collapse.</b> A series that sits still and then jumps (a
 *       load balancer idle at 0, a flat line) would make any change infinitely surprising; the
 *       deviation is floored by a slow, unclipped long-run deviation and by 0.1% of the level.</li>
 *   <li><b>Surprise judged against the series' own history.</b> |z| = 5 is routine for a spiky
 *       series and unheard of for a smooth one. The detector keeps a recency-weighted histogram of
 *       its own |z| and divides the current one by the level only 1% of history exceeded (but never
 *       less than the threshold): a point must be unusual for <em>this</em> series.</li>
 *   <li><b>One flag per onset.</b> A score counts only while it exceeds the recent peak (which
 *       decays by 0.5% a point): an incident is flagged when it starts and again if it gets worse,
 *       not on every point while it lasts.</li>
 * </ol>
 *
 * The score is {@code e²/(e²+1)} of that effective surprise {@code e}: in [0, 1), 0.5 at the
 * threshold. Fields are public so Flink keeps a detector as a POJO in keyed state.
 */
public class EwmDetector {
    /** Rate of the baseline mean (half-life ≈ 14 points). */
    static final double MEAN_ALPHA = 0.05;
    /** Rate of the baseline variance (half-life ≈ 70 points): slower, so it remembers bumps. */
    static final double VARIANCE_ALPHA = 0.01;
    /** Rate of the unclipped long-run variance used as a floor (half-life ≈ 700 points). */
    static final double LONG_RUN_ALPHA = 0.001;

    static final double LONG_RUN_FLOOR = 0.3;
    /** Share of the surprise history a point must exceed to be unusual. */
    static final double TAIL = 0.01;
    /** Growth of the weight of each new surprise: the history's half-life is ≈ 1,400 points. */
    static final double HISTORY_GROWTH = 0.0005;
    /** How fast the recent peak decays per point. */
    static final double PEAK_DECAY = 0.995;

    static final int BUCKETS = 64;
    static final double FIRST_BUCKET = 0.25;
    static final double BUCKET_RATIO = 1.25;
    /** Lower bounds of buckets 1..63, to find a surprise's bucket without a logarithm per point. */
    private static final double[] BUCKET_FLOORS = new double[BUCKETS];
    /** Upper bounds of buckets 0..63: what {@link #usualSurprise} returns. */
    private static final double[] BUCKET_TOPS = new double[BUCKETS];
    /**
     * For a binary exponent e ≥ −2 (the surprise in [2^e, 2^(e+1))), the highest bucket whose floor is
     * at most 2^e: where {@link #bucketOf}'s search starts, at most four buckets below the answer.
     */
    private static final int[] BUCKET_OF_EXPONENT = new int[64];

    static {
        for (int i = 1; i < BUCKETS; i++) {
            BUCKET_FLOORS[i] = FIRST_BUCKET * Math.pow(BUCKET_RATIO, i - 1);
        }
        for (int i = 0; i < BUCKETS; i++) {
            BUCKET_TOPS[i] = FIRST_BUCKET * Math.pow(BUCKET_RATIO, i);
        }
        for (int e = 0; e < BUCKET_OF_EXPONENT.length; e++) {
            double power = Math.scalb(1.0, e - 2);
            int b = 1;
            while (b < BUCKETS - 1 && BUCKET_FLOORS[b + 1] <= power) {
                b++;
            }
            BUCKET_OF_EXPONENT[e] = b;
        }
    }

    public long n;
    public double mean;
    public double var;
    public double longRunVar;
    public double peak;
    /** Recency-weighted counts of |z|: bucket i holds [0.25·1.25^(i-1), 0.25·1.25^i). */
    public double[] surprises = new double[BUCKETS];

    public double surpriseTotal;
    public double surpriseWeight = 1;
    /**
     * The caller's clock, not read by {@link #update}: {@link DetectAnomalies} stores the window
     * number of the last window that had this service, to forget services that stopped. 0 means
     * unknown (state written before this field existed).
     */
    public long lastWindow;
    /**
     * For an error rate: the CUSUM of its lasting rises ({@link ErrorRateDetector}); null for
     * other metrics and in state written before it existed.
     */
    public RateShift shift;

    /** Outputs of the last {@link #update}, for explanations; not state. */
    public transient double z;

    public transient double baseline;
    public transient double deviation;

    /**
     * The bucket {@link #usualSurprise} found last (≥ 1) and the weight of it and the buckets above
     * ({@link #tailWeight}), kept up to date by {@link #remember}: the next answer is a step or two
     * away, not a scan of the histogram. -1 = not known (a new or restored detector, or just
     * rescaled): found by one full sum.
     */
    private transient int tailBucket = -1;

    private transient double tailWeight;

    public EwmDetector() {}

    /**
     * Scores {@code x} against what came before, then lets it update the baseline.
     *
     * @return the anomaly score in [0, 1): 0 during warm-up or below the recent peak, 0.5 at the threshold
     */
    public double update(double x, DetectorSettings s) {
        if (!Double.isFinite(x)) {
            return 0;
        }
        double z = learn(x, s);
        if (n <= s.warmup()) {
            return 0;
        }
        return onset(surprise(Math.abs(z), s));
    }

    /**
     * Step 1 and 2 only: the z-score of {@code x} against the baseline before it ({@link #z},
     * {@link #baseline}, {@link #deviation} are set), then the baseline learns from {@code x}.
     * For composite detectors ({@link SeriesDetector}) that judge several residuals with one history.
     *
     * @param x a finite value
     * @return the signed z-score; 0 for the very first point
     */
    double learn(double x, DetectorSettings s) {
        double z = judge(x);
        if (n > 1) {
            absorb(x - baseline, x - baseline, s);
        }
        return z;
    }

    /**
     * Step 1 alone: the z-score of {@code x} against the baseline ({@link #z}, {@link #baseline},
     * {@link #deviation} are set), counting the point; the very first point sets the mean. Follow
     * with {@link #absorb} (from the second point on), which step 2 is.
     *
     * @param x a finite value
     * @return the signed z-score; 0 for the very first point
     */
    double judge(double x) {
        n++;
        if (n == 1) {
            mean = x;
            baseline = x;
            z = 0;
            deviation = 0;
            return 0;
        }
        baseline = mean;
        // The deviation is floored by 0.3× the long-run deviation and by 0.1% of the level:
        // max(√var, 0.3·√longRunVar, 0.001·|mean|, 1e-9), with one square root.
        double levelFloor = Math.max(1e-9, 1e-3 * Math.abs(mean));
        deviation = Math.sqrt(
                Math.max(Math.max(var, levelFloor * levelFloor), LONG_RUN_FLOOR * LONG_RUN_FLOOR * longRunVar));
        z = (x - mean) / deviation;
        return z;
    }

    /**
     * Step 2, after {@link #judge} (not after the first point): the baseline's mean learns the
     * point's {@code residual} against it, and its deviations learn {@code unexplained} — what is
     * left of the residual once a habit of the series that expected the point is taken out (a
     * {@link HourlyProfile} minute's export burst, as the habit's z-score in this detector's
     * deviations), or the residual itself. So a usual burst does
     * not widen the deviation every other point is judged with, while the level still counts it.
     *
     * @param residual    the point minus {@link #baseline}
     * @param unexplained the part of the residual no habit expected, at most as large
     */
    void absorb(double residual, double unexplained, DetectorSettings s) {
        // Early on, plain averages (1/n), so the first points do not dominate; then the EWM rates.
        double limit = s.clip() * deviation;
        double clipped = Math.max(-limit, Math.min(limit, residual));
        double clippedUnexplained = Math.max(-limit, Math.min(limit, unexplained));
        double meanRate = MEAN_ALPHA;
        double varRate = VARIANCE_ALPHA;
        double longRate = LONG_RUN_ALPHA;
        if (n < 1 / LONG_RUN_ALPHA) {
            double plain = 1.0 / n;
            meanRate = Math.max(MEAN_ALPHA, plain);
            varRate = Math.max(VARIANCE_ALPHA, plain);
            longRate = Math.max(LONG_RUN_ALPHA, plain);
        }
        mean += meanRate * clipped;
        var = (1 - varRate) * (var + varRate * clippedUnexplained * clippedUnexplained);
        longRunVar = (1 - longRate) * (longRunVar + longRate * unexplained * unexplained);
    }

    /**
     * Step 3: a surprise (|z|, ≥ 0) judged against this series' own history of surprises, which it
     * then joins. Call only after the warm-up: the first points' deviations are rough estimates.
     *
     * @return the score {@code e²/(e²+1)} of the effective surprise, in [0, 1), 0.5 at the threshold
     */
    double surprise(double absZ, DetectorSettings s) {
        double surprise = Math.min(absZ, 1e9);
        double usual = Math.max(s.threshold(), usualSurprise());
        remember(surprise);
        // e²/(e²+1) with e = surprise/usual, in one division
        return surprise * surprise / (surprise * surprise + usual * usual);
    }

    /** Step 4: the score if it is above the recent (decaying) peak, else 0; the peak learns it. */
    double onset(double score) {
        double previousPeak = peak;
        peak = Math.max(peak * PEAK_DECAY, score);
        return score <= previousPeak ? 0 : score;
    }

    private void remember(double surprise) {
        int b = bucketOf(surprise);
        // Recency weighting without touching every bucket: new points weigh more, and everything
        // is rescaled once the weights grow large.
        surpriseWeight *= 1 + HISTORY_GROWTH;
        if (surpriseWeight > 1e100) {
            for (int i = 0; i < BUCKETS; i++) {
                surprises[i] /= surpriseWeight;
            }
            surpriseTotal /= surpriseWeight;
            surpriseWeight = 1;
            tailBucket = -1; // summed afresh, so rounding errors do not pile up
        }
        surprises[b] += surpriseWeight;
        surpriseTotal += surpriseWeight;
        if (tailBucket >= 0 && b >= tailBucket) {
            tailWeight += surpriseWeight;
        }
    }

    /**
     * The bucket of a surprise: 0 up to {@link #FIRST_BUCKET}, then the last floor it reaches. From
     * its binary exponent (a table) a few steps up, instead of a binary search's six unpredictable
     * branches: this runs twice per point of a {@link SeriesDetector}.
     */
    static int bucketOf(double surprise) {
        if (!(surprise > FIRST_BUCKET)) {
            return 0;
        }
        int b = BUCKET_OF_EXPONENT[Math.min(BUCKET_OF_EXPONENT.length - 1, Math.getExponent(surprise) + 2)];
        while (b < BUCKETS - 1 && surprise >= BUCKET_FLOORS[b + 1]) {
            b++;
        }
        return b;
    }

    /**
     * The surprise only {@link #TAIL} of the history exceeded: the top of the highest bucket i ≥ 1
     * whose weight and the weight above it exceed {@link #TAIL} of the total, or {@link
     * #FIRST_BUCKET} when there is none. The previous answer moves a step at a time as the
     * history does.
     */
    private double usualSurprise() {
        double limit = surpriseTotal * TAIL;
        if (tailBucket < 0) {
            tailBucket = 1;
            tailWeight = 0;
            for (int i = 1; i < BUCKETS; i++) {
                tailWeight += surprises[i];
            }
        }
        while (tailBucket < BUCKETS - 1 && tailWeight - surprises[tailBucket] > limit) {
            tailWeight -= surprises[tailBucket];
            tailBucket++;
        }
        while (tailBucket > 1 && tailWeight <= limit) {
            tailBucket--;
            tailWeight += surprises[tailBucket];
        }
        return tailWeight > limit ? BUCKET_TOPS[tailBucket] : FIRST_BUCKET;
    }
}
