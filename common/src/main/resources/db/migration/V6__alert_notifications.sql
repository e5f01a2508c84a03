-- Alerts as the pipeline raises them. alert_event (seed) holds one row per alert: its status,
-- first_seen, last_sent, count of breaching windows and the latest payload (title, bullets, top
-- lines, deliveries). alert_notification holds one row per transition the pipeline decided to tell
-- people about, by its deterministic event id: the claim that makes a replay after a restore send
-- nothing twice, and where each channel's delivery outcome is kept.
alter table alert_event
    add column source_id  text,
    add column updated_at timestamptz not null default now();

create table alert_notification (
    event_id    text primary key,
    org_id      text not null references org (id) on delete cascade,
    alert_id    text not null,
    rule_id     text not null,
    kind        text not null check (kind in ('firing', 'escalated', 'reminder', 'resolved')),
    state       text not null check (state in ('sending', 'sent', 'failed')),
    deliveries  jsonb not null default '[]'::jsonb,
    created_at  timestamptz not null default now(),
    sent_at     timestamptz
);

create index alert_event_by_org on alert_event (org_id, first_seen desc);

alter table alert_notification enable row level security;
alter table alert_notification force row level security;
create policy tenant_isolation on alert_notification using (org_id = current_setting('logai.org_id', true))
    with check (org_id = current_setting('logai.org_id', true));

grant select, insert, update on alert_notification to ${app_role};
