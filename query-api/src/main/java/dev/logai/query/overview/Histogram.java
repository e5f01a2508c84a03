package dev.logai.query.overview;

import java.time.Instant;
import java.util.List;

/**
 * Answer of {@code GET /v1/windows/histogram} and part of {@code GET /v1/overview}: the range and
 * the bucket width chosen for it.
 */
public record Histogram(Instant since, Instant until, long stepSeconds, List<VolumeBucket> buckets) {}
