package dev.logai.flink.anomaly;

import dev.logai.common.contract.Metric;
import dev.logai.flink.template.TemplateIds;
import dev.logai.flink.window.WindowMetrics;

/**
 * One explained anomaly: a row of {@code anomaly}. The id is derived from what was flagged (org,
 * source, window, metric, service, template), so a replay after a restore rewrites the same row.
 */
public class Anomaly {
    public String id;
    public String orgId;
    public String sourceId;
    public long windowStart;
    public long windowEnd;
    /** The {@link Metric#wireName()} of a {@link Metric#detected()} metric, e.g. {@code error_rate}. */
    public String metric;
    /** The service the metric was measured on, or "" for the whole source. */
    public String service = "";
    /** The template the metric was measured on, or "". */
    public String templateId = "";

    public double observed;
    public double baseline;
    public double zscore;
    /** In [0, 1]; 0.5 is the sensitivity's threshold. */
    public double score;
    /** {@code spike}, {@code drop} or {@code new}. */
    public String label;
    /** JSON: a one-line reason, the templates and services that contribute most, example lines. */
    public String explanation;
    /**
     * Where the evidence began (epoch ms, a window start, ≤ {@link #windowStart}): for a lasting
     * change reported once its evidence is certain — a slow leak, a level shift, a lasting drop —
     * the first window of the run that made it certain; else the window itself. An incident it
     * opens starts there, so its summary says since when, and where to look for what changed.
     */
    public long onset;

    public Anomaly() {}

    /**
     * The anomaly a detector found in window {@code m}, with its id derived from what was flagged.
     * The z-score is clamped to ±10⁶ (NaN stays NaN: "not a z-score", as for new templates) and the
     * score to [0, 1], so a degenerate baseline cannot put an infinity in a row.
     *
     * @param service    the service measured, or "" for the whole source
     * @param templateId the template measured, or ""
     * @param label      {@code spike}, {@code drop} or {@code new}
     * @param explanation the JSON from {@link Explanations}
     */
    static Anomaly of(
            WindowMetrics m,
            Metric metric,
            String service,
            String templateId,
            double observed,
            double baseline,
            double z,
            double score,
            String label,
            String explanation) {
        Anomaly a = new Anomaly();
        a.orgId = m.orgId;
        a.sourceId = m.sourceId;
        a.windowStart = m.windowStart;
        a.windowEnd = m.windowEnd;
        a.metric = metric.wireName();
        a.service = service;
        a.templateId = templateId;
        a.observed = observed;
        a.baseline = baseline;
        a.zscore = Double.isFinite(z) ? Math.max(-1e6, Math.min(1e6, z)) : Double.NaN;
        a.score = Math.min(1, Math.max(0, score));
        a.label = label;
        a.explanation = explanation;
        a.onset = m.windowStart;
        a.id = TemplateIds.of(
                String.join("|", m.orgId, m.sourceId, Long.toString(m.windowStart), a.metric, service, templateId));
        return a;
    }

    /** The farthest back an onset goes, in windows: a run longer than this says "long ago", not when. */
    static final long MAX_ONSET_WINDOWS = 150;

    /**
     * Marks a lasting change whose evidence spans {@code windows} windows ending with this one:
     * {@link #onset} becomes the first of them (at least 1 window: the anomaly's own; at most
     * {@value #MAX_ONSET_WINDOWS}).
     *
     * @return this anomaly
     */
    Anomaly lastingFor(long windows) {
        long span = Math.max(1, Math.min(MAX_ONSET_WINDOWS, windows));
        onset = windowStart - (span - 1) * (windowEnd - windowStart);
        return this;
    }

    /**
     * As {@link #lastingFor}, from the start of the run's first window when known ({@code
     * runStart}, epoch ms; {@link Long#MIN_VALUE}: count {@code windows} back instead): a source
     * whose windows are not back to back (a service logging now and then) began earlier than its
     * window count says. Never more than {@value #MAX_ONSET_WINDOWS} windows back.
     *
     * @return this anomaly
     */
    Anomaly lastingSince(long runStart, long windows) {
        if (runStart == Long.MIN_VALUE || runStart > windowStart) {
            return lastingFor(windows);
        }
        long size = windowEnd - windowStart;
        onset = Math.max(runStart, windowStart - (MAX_ONSET_WINDOWS - 1) * size);
        return this;
    }

    /**
     * Where an incident that includes {@code anomalies} starts: {@code start}, or the earliest
     * {@link #onset} before it, but never before {@code notBefore} (epoch ms; {@link Long#MIN_VALUE}:
     * no bound) — a lasting change began before the window that reported it.
     */
    public static long earliestOnset(Anomaly[] anomalies, long start, long notBefore) {
        for (Anomaly a : anomalies) {
            if (a.onset > 0) {
                start = Math.min(start, Math.max(a.onset, notBefore));
            }
        }
        return start;
    }

    /** Whether this anomaly is about {@code m} (compares the wire name). */
    public boolean is(Metric m) {
        return m.wireName().equals(metric);
    }

    @Override
    public String toString() {
        return "Anomaly{" + orgId + "/" + sourceId + " [" + windowStart + "] " + metric
                + (service.isEmpty() ? "" : " service=" + service)
                + (templateId.isEmpty() ? "" : " template=" + templateId)
                + " " + label + " observed=" + observed + " baseline=" + baseline + " score=" + score + "}";
    }
}
