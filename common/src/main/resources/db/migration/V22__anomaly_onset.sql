-- Where an anomaly's evidence began, its onset (the pipeline's Anomaly.onset): for a lasting change reported
-- once its CUSUM is certain (a slow leak, an error-rate rise, a lasting drop), the first window of
-- that run; for any other anomaly its own window. Null on rows written before this column: the API
-- serves ts_window for them.
alter table anomaly add column onset timestamptz;
