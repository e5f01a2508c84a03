-- Anomaly sensitivity set by the tenant (PUT /v1/anomaly-settings, PUT /v1/sources/{id}/anomaly-settings):
-- null = inherit (the source from its org, the org from the deployment's LOGAI_ANOMALY_SENSITIVITY).
alter table org add column anomaly_sensitivity text
    check (anomaly_sensitivity is null or anomaly_sensitivity in ('low', 'medium', 'high'));
alter table source add column anomaly_sensitivity text
    check (anomaly_sensitivity is null or anomaly_sensitivity in ('low', 'medium', 'high'));
grant update (anomaly_sensitivity) on org to ${app_role};
grant update (anomaly_sensitivity) on source to ${app_role};
