-- Alerts on old data (a source catching up after an outage, a backfill): each rule says how old the
-- data's window may be, measured on the wall clock when the pipeline decides, for a transition to be
-- sent (page_max_age, in minutes; null: page for data of any age). Older transitions are decided and
-- recorded like any other, in the state 'not_sent_old_data' with the reason, so GET /v1/alerts shows
-- them; nobody is paged for them. Existing rules get the default, an hour.
alter table alert_rule
    add column page_max_age_minutes integer default 60
        check (page_max_age_minutes between 1 and 43200);

alter table alert_notification drop constraint alert_notification_state_check;
alter table alert_notification add constraint alert_notification_state_check
    check (state in ('sending', 'sent', 'failed', 'not_sent_old_data'));
alter table alert_notification add column reason text;
