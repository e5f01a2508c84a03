-- Pattern rules alert line by line: the first matching line of a template raises an alert whose
-- status is 'triggered' (it has no "resolved": a new pattern, or a line that matched, is an event).
alter table alert_notification drop constraint alert_notification_kind_check;
alter table alert_notification add constraint alert_notification_kind_check
    check (kind in ('firing', 'escalated', 'reminder', 'resolved', 'triggered'));
