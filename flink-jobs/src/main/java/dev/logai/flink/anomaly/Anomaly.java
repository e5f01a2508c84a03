package dev.logai.flink.anomaly;

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
    /** {@code volume}, {@code error_rate}, {@code latency_p95}, {@code new_templates} or {@code template_rate}. */
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

    public Anomaly() {}

    @Override
    public String toString() {
        return "Anomaly{" + orgId + "/" + sourceId + " [" + windowStart + "] " + metric
                + (service.isEmpty() ? "" : " service=" + service) + (templateId.isEmpty() ? "" : " template=" + templateId)
                + " " + label + " observed=" + observed + " baseline=" + baseline + " score=" + score + "}";
    }
}
