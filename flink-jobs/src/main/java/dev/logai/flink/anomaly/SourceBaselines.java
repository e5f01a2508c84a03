package dev.logai.flink.anomaly;

/** The per-(org, source) detectors, kept together in one keyed value. */
public class SourceBaselines {
    public long lastWindowStart = Long.MIN_VALUE;
    /** Lines per window, with the source's daily and weekly shape learned. */
    public SeriesDetector volumeSeries = new SeriesDetector();

    /**
     * "spike" or "drop" while the volume's statistics are past the threshold on that side window
     * after window (an excursion, {@link VolumeDetector}), else null; and whether it was reported.
     */
    public String volumeExcursion;

    public boolean volumeExcursionReported;
    /** Windows in a row since the excursion was last past the threshold. */
    public int volumeCalmWindows;
    /** Lines above their usual in the current spike excursion's doubled windows, summed. */
    public double volumeExcursionExcess;

    /** The volume's lasting drops, which the level's deviation may be too wide to see (null in state written before it). */
    public VolumeShift volumeShift = new VolumeShift();

    public EwmDetector errorRate = new EwmDetector();
    public EwmDetector latencyP95 = new EwmDetector();
    /** The p95's usual offset at each minute of the hour: excuses a habitual slowdown. */
    public HourlyProfile latencyHourly = new HourlyProfile();
    /** How many durations a window usually has: the p95's noise is judged at that count. */
    public LatencySamples latencySamples = new LatencySamples();
    /**
     * The typical latency of the slowest tenth of the source's requests and its lasting rises (a
     * p95 creeping up while the typical request does not); null only if restored state lacks it.
     */
    public ServiceLatency latencyTail = new ServiceLatency();
    /** The window number of the last reported p95 spike (0: none). */
    public long latencySpikeWindow;
    /** Usual new templates per window (after the miner's warm-up, usually ~0). */
    public double newTemplateRate;
    /** How often an error line is of a template never seen before (Good-Turing's discovery rate). */
    public ErrorDiscovery errorDiscovery = new ErrorDiscovery();
    /** The same for warning lines (null in state written before it). */
    public ErrorDiscovery warningDiscovery = new ErrorDiscovery();

    public long windows;

    /** The source's usual activity per hour of the day, for its silences (null in state written before it). */
    public ActivityProfile activity;
    /** The window size the source was judged in, ms (0 before its first window). */
    public long windowMs;
    /** Event time of the source's newest line judged so far (epoch ms). */
    public long lastLineTs = Long.MIN_VALUE;
    /**
     * The wall-clock silence watch of {@link DetectAnomalies}: when the last window was judged
     * (processing time, ms), whether the source's clock was then near the wall clock (a live
     * source), when the pending check fires ({@link Long#MIN_VALUE}: none), and the first silent
     * window of a silence already reported while the source was quiet ({@link Long#MIN_VALUE}: none).
     */
    public long lastJudgedAt = Long.MIN_VALUE;

    public boolean live;
    public long silenceCheckAt = Long.MIN_VALUE;
    public long silenceReported = Long.MIN_VALUE;
    /** The sensitivity the tenant set, as stamped on the source's last window (null: the deployment's), for the wall-clock check. */
    public String sensitivity;

    public SourceBaselines() {}
}
