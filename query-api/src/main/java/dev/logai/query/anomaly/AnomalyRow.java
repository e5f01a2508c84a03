package dev.logai.query.anomaly;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * One anomaly as served by {@code GET /v1/anomalies}: the seed's columns, where it was measured
 * (empty {@code service}/{@code template_id} for the whole source), the score in [0, 1], the
 * explanation (reason, top templates and services, example lines), and {@code onset}: where its
 * evidence began — for a lasting change (a slow leak, an error-rate rise, a lasting drop) the
 * first window of the run that made it certain, else {@code tsWindow}.
 */
public record AnomalyRow(
        String id,
        String sourceId,
        Instant tsWindow,
        Instant windowEnd,
        String metric,
        String service,
        String templateId,
        double observed,
        double baseline,
        Double zscore,
        double score,
        String label,
        JsonNode explanation,
        Instant onset) {}
