-- LLM summaries as the Flink job writes them: the seed columns (severity, title, bullets,
-- llm_model, cost_usd) plus the rest of the seed's output (evidence, next_steps), the incident the
-- summary follows (one row per incident, updated as it evolves), what it cost and how it was made.
-- The id is derived from (org, source, incident start), so a replay overwrites.
alter table summary
    add column window_start   timestamptz,
    add column window_end     timestamptz,
    add column windows        integer not null default 1 check (windows >= 1),
    -- anomaly, new_templates, errors or digest: why the window was summarized
    add column trigger        text not null default 'anomaly',
    add column evidence       text[] not null default '{}',
    add column next_steps     text[] not null default '{}',
    add column prompt_version text not null default '',
    add column prompt_hash    text not null default '',
    -- true when the built-in extractive summarizer wrote it (no LLM configured, budget spent, LLM down)
    add column partial        boolean not null default false,
    add column fallback_reason text not null default '',
    add column tokens_in      integer not null default 0 check (tokens_in >= 0),
    add column tokens_out     integer not null default 0 check (tokens_out >= 0),
    add column cache_hit      boolean not null default false,
    add column updated_at     timestamptz not null default now();

create index summary_by_window on summary (org_id, source_id, window_start);

-- An org's monthly AI budget, overriding its plan's (null: the plan's), and whether it shares
-- identical-prompt results with other orgs that opted in too.
alter table org
    add column ai_budget_usd    numeric(12, 2) check (ai_budget_usd >= 0),
    add column ai_cache_shared  boolean not null default false;

-- Model answers by scrubbed-prompt hash, per org: a replay or a repeated window costs nothing.
create table llm_cache (
    org_id         text not null references org (id) on delete cascade,
    prompt_hash    text not null check (prompt_hash ~ '^[0-9a-f]{64}$'),
    llm_model      text not null,
    prompt_version text not null,
    answer         jsonb not null,
    tokens_in      integer not null,
    tokens_out     integer not null,
    created_at     timestamptz not null default now(),
    primary key (org_id, prompt_hash)
);

-- Answers that orgs which opted in share. No org_id: what is here came from a scrubbed prompt and
-- is read only on behalf of orgs that opted in.
create table llm_cache_shared (
    prompt_hash    text primary key check (prompt_hash ~ '^[0-9a-f]{64}$'),
    llm_model      text not null,
    prompt_version text not null,
    answer         jsonb not null,
    tokens_in      integer not null,
    tokens_out     integer not null,
    created_at     timestamptz not null default now()
);

-- What each org's summaries cost, per calendar month (UTC): the budget is checked against it.
create table ai_usage (
    org_id      text not null references org (id) on delete cascade,
    month       date not null check (extract(day from month) = 1),
    llm_calls   bigint not null default 0,
    cache_hits  bigint not null default 0,
    fallbacks   bigint not null default 0,
    tokens_in   bigint not null default 0,
    tokens_out  bigint not null default 0,
    cost_usd    numeric(14, 6) not null default 0,
    updated_at  timestamptz not null default now(),
    primary key (org_id, month)
);

alter table llm_cache enable row level security;
alter table llm_cache force row level security;
create policy tenant_isolation on llm_cache using (org_id = current_setting('logai.org_id', true))
    with check (org_id = current_setting('logai.org_id', true));
alter table ai_usage enable row level security;
alter table ai_usage force row level security;
create policy tenant_isolation on ai_usage using (org_id = current_setting('logai.org_id', true))
    with check (org_id = current_setting('logai.org_id', true));

grant select, insert, update on llm_cache, llm_cache_shared, ai_usage to ${app_role};
-- The budget is a tenant setting written by the query API (admins); the org row stays read-only otherwise.
grant update (ai_budget_usd, ai_cache_shared) on org to ${app_role};
