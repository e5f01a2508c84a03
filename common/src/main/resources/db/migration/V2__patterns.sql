-- Mined templates ("patterns") per source, and their line counts per event-time window.
-- The id is a hash of the template text: the same text has the same id in every source of an org.

create table pattern (
    org_id       text not null references org (id) on delete cascade,
    source_id    text not null,
    template_id  text not null check (template_id ~ '^[0-9a-f]{16}$'),
    template     text not null check (length(template) <= 65536),
    first_seen   timestamptz not null,
    last_seen    timestamptz not null,
    -- Sum of line_count over the template's pattern_window rows, kept by the trigger below.
    line_count   bigint not null default 0,
    updated_at   timestamptz not null default now(),
    primary key (org_id, source_id, template_id),
    foreign key (org_id, source_id) references source (org_id, id) on delete cascade
);

create table pattern_window (
    org_id        text not null,
    source_id     text not null,
    template_id   text not null,
    window_start  timestamptz not null,
    window_end    timestamptz not null,
    line_count    bigint not null,
    error_count   bigint not null default 0,
    -- The template's first appearance for the source (after the source's warm-up) fell in this window.
    is_new        boolean not null default false,
    is_final      boolean not null default false,
    primary key (org_id, source_id, window_start, template_id),
    foreign key (org_id, source_id, template_id) references pattern (org_id, source_id, template_id) on delete cascade
);

create index pattern_window_by_template on pattern_window (org_id, source_id, template_id, window_start);
create index pattern_by_last_seen on pattern (org_id, source_id, last_seen desc);

-- Window rows carry full totals and are rewritten as a window grows (early firings, replays), so
-- the pattern's total moves by the difference: idempotent however often a window is written.
create function logai_pattern_window_count() returns trigger
    language plpgsql as $$
begin
    update pattern set line_count = line_count + new.line_count
            - (case when tg_op = 'UPDATE' then old.line_count else 0 end)
        where org_id = new.org_id and source_id = new.source_id and template_id = new.template_id;
    return new;
end $$;

create trigger pattern_window_count after insert or update of line_count on pattern_window
    for each row execute function logai_pattern_window_count();

alter table pattern enable row level security;
alter table pattern force row level security;
create policy tenant_isolation on pattern using (org_id = current_setting('logai.org_id', true))
    with check (org_id = current_setting('logai.org_id', true));
alter table pattern_window enable row level security;
alter table pattern_window force row level security;
create policy tenant_isolation on pattern_window using (org_id = current_setting('logai.org_id', true))
    with check (org_id = current_setting('logai.org_id', true));

grant select, insert, update, delete on pattern, pattern_window to ${app_role};
