-- Alert rules as tenants manage them through the query API: a name, the seed's condition and
-- channels JSON (validated by the API), a per-rule secret that signs generic-webhook bodies
-- (HMAC-SHA256), and a version that grows with every change so the pipeline applies the newest.
alter table alert_rule
    add column name           text not null default '' check (length(name) <= 200),
    add column signing_secret text not null default '',
    add column version        bigint not null default 1,
    add column updated_at     timestamptz not null default now();

create index alert_rule_by_org on alert_rule (org_id, created_at);
