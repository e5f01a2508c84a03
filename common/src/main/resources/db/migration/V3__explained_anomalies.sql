-- Anomalies as the detectors in the Flink job report them: the seed columns (ts_window, metric,
-- observed, baseline, zscore, label) plus where it was measured (service, template), the score in
-- [0, 1], the window's end and the explanation (reason, top templates and services, example lines).
-- The id is derived from (org, source, window, metric, service, template), so a replay overwrites.
alter table anomaly
    add column window_end  timestamptz,
    add column service     text not null default '',
    add column template_id text not null default '',
    add column score       double precision not null default 0 check (score >= 0 and score <= 1),
    add column explanation jsonb not null default '{}'::jsonb,
    add column updated_at  timestamptz not null default now();
