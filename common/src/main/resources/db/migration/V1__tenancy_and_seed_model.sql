-- LogAi schema, version 1: the seed data model plus per-window statistics.
--
-- Tenancy: every tenant table has org_id; row-level security is enabled AND forced on each, with
-- one policy that matches rows of the org set for the current transaction
-- (set_config('logai.org_id', ..., true)). With no org set, current_setting(..., true) is NULL
-- or '' and no row matches. The services connect as ${app_role}, which owns nothing and gets only
-- DML privileges, so the policies always apply to it.
--
-- Composite foreign keys (org_id, source_id) -> source(org_id, id) make a cross-tenant reference
-- impossible even for a buggy writer.

create table org (
    id          text primary key,
    name        text not null check (length(name) between 1 and 200),
    plan        text not null default 'free' check (plan in ('free', 'starter', 'team')),
    created_at  timestamptz not null default now()
);

-- "user" is reserved in SQL; the seed's user table is app_user.
create table app_user (
    id          text primary key,
    org_id      text not null references org (id) on delete cascade,
    email       text not null,
    role        text not null check (role in ('owner', 'admin', 'member', 'viewer')),
    auth0_sub   text,
    created_at  timestamptz not null default now(),
    unique (org_id, email)
);

create table source (
    id           text primary key,
    org_id       text not null references org (id) on delete cascade,
    name         text not null check (length(name) between 1 and 200),
    env          text not null default 'production' check (length(env) between 1 and 64),
    parser_hint  text check (parser_hint is null or length(parser_hint) <= 4000),
    created_at   timestamptz not null default now(),
    unique (org_id, name),
    unique (org_id, id)
);

create table api_key (
    id           text primary key,
    org_id       text not null references org (id) on delete cascade,
    name         text not null,
    scopes       text[] not null default '{ingest,read,write}',
    source_id    text,
    hash         text not null unique,
    created_at   timestamptz not null default now(),
    revoked_at   timestamptz,
    foreign key (org_id, source_id) references source (org_id, id) on delete cascade
);

create table upload (
    id           text primary key,
    org_id       text not null references org (id) on delete cascade,
    source_id    text not null,
    object_key   text not null,
    size         bigint not null check (size >= 0),
    hash         text,
    status       text not null default 'pending' check (status in ('pending', 'processing', 'done', 'failed')),
    created_at   timestamptz not null default now(),
    unique (org_id, id),
    foreign key (org_id, source_id) references source (org_id, id) on delete cascade
);

create table chunk (
    id           text primary key,
    upload_id    text not null,
    org_id       text not null references org (id) on delete cascade,
    "offset"     bigint not null,
    length       bigint not null,
    ts_start     timestamptz,
    ts_end       timestamptz,
    line_count   bigint not null default 0,
    foreign key (org_id, upload_id) references upload (org_id, id) on delete cascade
);

create table summary (
    id           text primary key,
    org_id       text not null references org (id) on delete cascade,
    source_id    text not null,
    chunk_id     text,
    severity     text not null check (severity in ('info', 'low', 'medium', 'high', 'critical')),
    title        text not null,
    bullets      text[] not null default '{}',
    llm_model    text,
    cost_usd     numeric(12, 6) not null default 0,
    created_at   timestamptz not null default now(),
    foreign key (org_id, source_id) references source (org_id, id) on delete cascade
);

create table anomaly (
    id           text primary key,
    org_id       text not null references org (id) on delete cascade,
    source_id    text not null,
    ts_window    timestamptz not null,
    metric       text not null,
    observed     double precision not null,
    baseline     double precision not null,
    zscore       double precision,
    label        text not null,
    created_at   timestamptz not null default now(),
    foreign key (org_id, source_id) references source (org_id, id) on delete cascade
);

create table alert_rule (
    id             text primary key,
    org_id         text not null references org (id) on delete cascade,
    source_id      text,
    condition_json jsonb not null,
    channels_json  jsonb not null,
    is_active      boolean not null default true,
    created_at     timestamptz not null default now(),
    unique (org_id, id),
    foreign key (org_id, source_id) references source (org_id, id) on delete cascade
);

create table alert_event (
    id            text primary key,
    org_id        text not null references org (id) on delete cascade,
    rule_id       text not null,
    status        text not null,
    first_seen    timestamptz not null,
    last_sent     timestamptz,
    count         integer not null default 1,
    payload_json  jsonb not null default '{}',
    foreign key (org_id, rule_id) references alert_rule (org_id, id) on delete cascade
);

-- One row per (org, source, event-time window). The pipeline upserts the window's full totals, so
-- replays after a failure overwrite instead of adding; is_final is false while the window is open.
create table window_stats (
    org_id        text not null references org (id) on delete cascade,
    source_id     text not null,
    window_start  timestamptz not null,
    window_end    timestamptz not null,
    line_count    bigint not null,
    trace_count   bigint not null default 0,
    debug_count   bigint not null default 0,
    info_count    bigint not null default 0,
    warn_count    bigint not null default 0,
    error_count   bigint not null default 0,
    fatal_count   bigint not null default 0,
    unknown_count bigint not null default 0,
    error_rate    double precision not null,
    first_ts      timestamptz not null,
    last_ts       timestamptz not null,
    is_final      boolean not null default false,
    updated_at    timestamptz not null default now(),
    primary key (org_id, source_id, window_start),
    foreign key (org_id, source_id) references source (org_id, id) on delete cascade
);

create index anomaly_by_window on anomaly (org_id, source_id, ts_window);
create index summary_by_time on summary (org_id, source_id, created_at);

-- Row-level security on every tenant table.
do $$
declare
    t text;
begin
    foreach t in array array['app_user', 'source', 'api_key', 'upload', 'chunk', 'summary', 'anomaly',
                             'alert_rule', 'alert_event', 'window_stats']
    loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy tenant_isolation on %I using (org_id = current_setting(''logai.org_id'', true))'
                       ' with check (org_id = current_setting(''logai.org_id'', true))', t);
    end loop;
end $$;

alter table org enable row level security;
alter table org force row level security;
create policy tenant_isolation on org
    using (id = current_setting('logai.org_id', true))
    with check (id = current_setting('logai.org_id', true));

-- The application role: created without login if the operator has not made it yet (it then needs
-- a password and LOGIN from the operator). It gets DML only, never ownership.
do $$
begin
    if not exists (select from pg_roles where rolname = '${app_role}') then
        create role ${app_role} nologin nosuperuser nobypassrls;
    end if;
end $$;

grant usage on schema public to ${app_role};
grant select on org to ${app_role};
grant select, insert, update, delete on app_user, source, api_key, upload, chunk, summary, anomaly,
    alert_rule, alert_event, window_stats to ${app_role};

-- Authentication happens before the org is known, so the key lookup is the one query that must
-- see every org's keys. It runs as the owner (security definer), takes only the key's hash, and
-- returns only that key's org and scopes.
create policy api_key_lookup_by_owner on api_key for select to current_user using (true);

create function logai_resolve_api_key(p_hash text)
    returns table (org_id text, key_id text, scopes text[], source_id text)
    language sql stable security definer
    set search_path = public
as $$
    select k.org_id, k.id, k.scopes, k.source_id
    from api_key k
    where k.hash = p_hash and k.revoked_at is null
$$;

revoke all on function logai_resolve_api_key(text) from public;
grant execute on function logai_resolve_api_key(text) to ${app_role};
