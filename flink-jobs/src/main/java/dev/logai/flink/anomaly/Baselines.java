package dev.logai.flink.anomaly;

import java.util.Map;

/**
 * What the {@link WindowDetector}s judge one window of one (org, source) against: the source's
 * settings, its baselines (read from keyed state by {@link DetectAnomalies} and written back after
 * every detector ran) and the explanations builder. Mutable on purpose: a detector updates the
 * baselines it owns in place.
 */
public final class Baselines {
    /** The sensitivity of this source. */
    public final DetectorSettings settings;
    /** Windows since the epoch ({@code windowStart / window size}): the clock of {@link TemplateRate}. */
    public final long window;
    /** Start of the previous judged window (epoch ms), or {@link Long#MIN_VALUE} for the source's first. */
    public final long previousWindowStart;
    /** Per-source detectors (volume, error rate, latency, new templates). */
    public final SourceBaselines source;
    /** One error-rate detector per service present in the window; a service not seen before gets a fresh one. */
    public final Map<String, EwmDetector> services;
    /** One typical-latency baseline per service with durations in the window; a service not seen before gets a fresh one. */
    public final Map<String, ServiceLatency> serviceLatencies;
    /** One rate per template present in the window; a template not seen before starts at this window. */
    public final Map<String, TemplateRate> templates;
    /** Builds the anomalies' explanations; its usual template rates are those before this window. */
    final Explanations why;

    Baselines(
            DetectorSettings settings,
            long window,
            long previousWindowStart,
            SourceBaselines source,
            Map<String, EwmDetector> services,
            Map<String, ServiceLatency> serviceLatencies,
            Map<String, TemplateRate> templates,
            Explanations why) {
        this.settings = settings;
        this.window = window;
        this.previousWindowStart = previousWindowStart;
        this.source = source;
        this.services = services;
        this.serviceLatencies = serviceLatencies;
        this.templates = templates;
        this.why = why;
    }
}
