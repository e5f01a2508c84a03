-- Plans that hold (issue 21): metering, quota warnings, billing dedup of retried batches, shared
-- rate-limit buckets, plan changes, retention runs and org deletion. Every tenant table keeps the
-- forced row-level security of V1 (tenant_isolation on org_id) and cascades from org, so deleting
-- an org row deletes every row of that org in every table.

-- An org's own limits over its plan's ({"bytes_per_month": "200GB", ...}; names as PlanLimits
-- spells them), set by an operator; and when the plan last changed.
alter table org
    add column limit_overrides  jsonb not null default '{}'::jsonb check (jsonb_typeof(limit_overrides) = 'object'),
    add column plan_changed_at  timestamptz;
grant update (plan, plan_changed_at) on org to ${app_role};
-- DELETE /v1/org: under row-level security an org can delete only its own row; the foreign keys
-- cascade to every table.
grant delete on org to ${app_role};

-- Metering: what an org sent, per UTC day. bytes: log bytes as stored (streams after
-- decompression, uploads as the stored object), the figure the monthly quota counts;
-- bytes_received: bytes on the wire (compressed streams); requests: accepted ingest requests.
create table usage_day (
    org_id          text   not null references org (id) on delete cascade,
    day             date   not null,
    bytes           bigint not null default 0 check (bytes >= 0),
    bytes_received  bigint not null default 0 check (bytes_received >= 0),
    lines           bigint not null default 0 check (lines >= 0),
    requests        bigint not null default 0 check (requests >= 0),
    uploads         bigint not null default 0 check (uploads >= 0),
    primary key (org_id, day)
);

-- The month's totals, one row per org and UTC month (first day): the row the quota check and the
-- charge update in one statement, so concurrent batches cannot pass the quota together.
create table usage_month (
    org_id          text   not null references org (id) on delete cascade,
    month           date   not null check (extract(day from month) = 1),
    bytes           bigint not null default 0 check (bytes >= 0),
    bytes_received  bigint not null default 0 check (bytes_received >= 0),
    lines           bigint not null default 0 check (lines >= 0),
    requests        bigint not null default 0 check (requests >= 0),
    uploads         bigint not null default 0 check (uploads >= 0),
    primary key (org_id, month)
);

-- Quota warnings, recorded once per org, month, threshold (80, 100) and quota (a plan change
-- starts over) when a charge crosses it; 100 also when a batch is refused past 80%.
create table usage_warning (
    org_id             text        not null references org (id) on delete cascade,
    month              date        not null,
    threshold_percent  integer     not null check (threshold_percent in (80, 100)),
    used_bytes         bigint      not null,
    quota_bytes        bigint      not null,
    recorded_at        timestamptz not null default now(),
    primary key (org_id, month, threshold_percent, quota_bytes)
);

-- A retried request (same Idempotency-Key for the same source within 24 h) is billed once.
create table ingest_charge (
    org_id           text        not null references org (id) on delete cascade,
    source_id        text        not null,
    idempotency_key  text        not null check (length(idempotency_key) between 1 and 255),
    charged_at       timestamptz not null,
    bytes            bigint      not null,
    primary key (org_id, source_id, idempotency_key),
    foreign key (org_id, source_id) references source (org_id, id) on delete cascade
);
create index ingest_charge_by_age on ingest_charge (charged_at);

do $$
declare
    t text;
begin
    foreach t in array array['usage_day', 'usage_month', 'usage_warning', 'ingest_charge']
    loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy tenant_isolation on %I using (org_id = current_setting(''logai.org_id'', true))'
                       ' with check (org_id = current_setting(''logai.org_id'', true))', t);
    end loop;
end $$;
grant select, insert, update, delete on usage_day, usage_month, usage_warning, ingest_charge to ${app_role};

-- Token buckets of the rate limits (Bucket4j's PostgreSQL proxy manager: one row per bucket,
-- locked with SELECT ... FOR UPDATE), shared by every gateway and query API replica. A bucket
-- holds only counters under a key naming the org and credential, no tenant data; expires_at lets
-- full, idle buckets be removed.
create table rate_limit_bucket (
    id          text primary key,
    state       bytea,
    expires_at  bigint
);
create index rate_limit_bucket_by_expiry on rate_limit_bucket (expires_at);
grant select, insert, update, delete on rate_limit_bucket to ${app_role};

-- Retention and usage housekeeping run across orgs; listing the orgs with their plan is the one
-- thing they need without an org scope. Each org's rows are then deleted in that org's scope.
-- It runs as the owner (security definer); org forces row-level security even on its owner, so the
-- owner gets a read-everything policy of its own, as api_key's lookup does in V1 (a superuser
-- owner would bypass it anyway; a managed database's owner role does not).
create policy org_list_by_owner on org for select to current_user using (true);
create function logai_org_plans()
    returns table (org_id text, plan text, limit_overrides jsonb)
    language sql stable security definer
    set search_path = public
as $$
    select id, plan, limit_overrides from org order by id
$$;
revoke all on function logai_org_plans() from public;
grant execute on function logai_org_plans() to ${app_role};

-- One row per retention run: what it deleted and how fast (docs/operations.md).
create table retention_run (
    id               bigserial primary key,
    started_at       timestamptz not null,
    finished_at      timestamptz,
    orgs             integer not null default 0,
    rows_deleted     bigint  not null default 0,
    objects_deleted  bigint  not null default 0,
    error            text
);
grant select, insert, update on retention_run to ${app_role};
grant usage on sequence retention_run_id_seq to ${app_role};

-- Retention counts from when LogAi wrote a row (ingest time), not from the log's own timestamps: a
-- file of last year's logs uploaded today is kept for the plan's whole retention. pattern_window
-- gains the write time the other tables have; each table gets an index to delete by age in batches.
alter table pattern_window add column updated_at timestamptz not null default now();
create index window_stats_by_write on window_stats (org_id, updated_at);
create index pattern_window_by_write on pattern_window (org_id, updated_at);
create index pattern_by_write on pattern (org_id, updated_at);
create index anomaly_by_write on anomaly (org_id, updated_at);
create index summary_by_write on summary (org_id, updated_at);
create index alert_event_by_write on alert_event (org_id, updated_at);
create index alert_notification_by_write on alert_notification (org_id, created_at);
create index upload_by_created on upload (org_id, created_at);
create index llm_cache_by_created on llm_cache (org_id, created_at);

-- DELETE /v1/org removes the org row (every table cascades) and every object under the org's
-- prefix. Lines already in Kafka at that moment can still be archived afterwards, so the org's id
-- is kept here, with nothing else, while retention runs sweep the prefix again; the row is removed
-- after the sweep period (7 days).
create table org_tombstone (
    org_id           text primary key,
    deleted_at       timestamptz not null,
    objects_deleted  bigint not null default 0,
    last_swept_at    timestamptz
);
grant select, insert, update, delete on org_tombstone to ${app_role};

-- Retention deletes old LLM cache entries and alert notifications too.
grant delete on llm_cache, alert_notification to ${app_role};
