-- Templates generalised into another: the miner found a position variable and the old template's
-- lines now belong to the new one. Counts already written under the old id (pattern_window rows)
-- stay where they are; the query API adds them to the live template through this table. Chains
-- are kept one step long by the writer (A→B then B→C leaves A→C and B→C).

create table pattern_merge (
    org_id      text not null references org (id) on delete cascade,
    source_id   text not null,
    from_id     text not null check (from_id ~ '^[0-9a-f]{16}$'),
    into_id     text not null check (into_id ~ '^[0-9a-f]{16}$'),
    merged_at   timestamptz not null default now(),
    primary key (org_id, source_id, from_id),
    check (from_id <> into_id),
    foreign key (org_id, source_id) references source (org_id, id) on delete cascade
);

create index pattern_merge_by_into on pattern_merge (org_id, source_id, into_id);

alter table pattern_merge enable row level security;
alter table pattern_merge force row level security;
create policy tenant_isolation on pattern_merge using (org_id = current_setting('logai.org_id', true))
    with check (org_id = current_setting('logai.org_id', true));

grant select, insert, update, delete on pattern_merge to ${app_role};
