-- Each window's latency, from the durations its lines carried (duration fields, an access log's
-- request time, a duration written in the text): how many, and their p50 and p95 in milliseconds
-- (the pipeline's LatencySketch, within ±5%). Null when no line of the window had a duration, and
-- on rows written before these columns. The dashboard charts a latency incident with them.
alter table window_stats
    add column latency_count bigint,
    add column latency_p50_ms double precision,
    add column latency_p95_ms double precision;
