package dev.logai.flink.anomaly;

/** The per-(org, source) detectors, kept together in one keyed value. */
public class SourceBaselines {
    public long lastWindowStart = Long.MIN_VALUE;
    /** Lines per window, with the source's daily and weekly shape learned. */
    public SeriesDetector volumeSeries = new SeriesDetector();

    public EwmDetector errorRate = new EwmDetector();
    public EwmDetector latencyP95 = new EwmDetector();
    /** Usual new templates per window (after the miner's warm-up, usually ~0). */
    public double newTemplateRate;

    public long windows;

    public SourceBaselines() {}
}
