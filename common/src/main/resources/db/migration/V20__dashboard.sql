-- Dashboard (issue 22). Search: GET /v1/search matches words anywhere in an org's pattern texts,
-- summary titles, anomaly reasons and alert titles (ILIKE '%word%'); trigram GIN indexes keep that
-- an index scan however many rows an org has. Row-level security still filters every row.
create extension if not exists pg_trgm;
create index pattern_template_trgm on pattern using gin (template gin_trgm_ops);
create index summary_title_trgm on summary using gin (title gin_trgm_ops);
create index anomaly_reason_trgm on anomaly using gin ((explanation ->> 'reason') gin_trgm_ops);
create index alert_event_title_trgm on alert_event using gin ((payload_json ->> 'title') gin_trgm_ops);

-- The org switcher: the orgs the signed-in person belongs to. A person has one app_user row per
-- org, tied by the identity (auth0_sub), and row-level security shows a request only its own org's
-- rows; so, like the API-key lookup, this runs as the owner (security definer) and answers only
-- the orgs of the identity behind one already-authenticated member row.
create policy app_user_identity_orgs_by_owner on app_user for select to current_user using (true);
create policy org_name_by_owner on org for select to current_user using (true);

create function logai_member_orgs(p_user_id text)
    returns table (org_id text, org_name text, role text)
    language sql stable security definer
    set search_path = public
as $$
    select o.id, o.name, m.role
    from app_user me
    join app_user m on m.auth0_sub = me.auth0_sub and m.removed_at is null
    join org o on o.id = m.org_id
    where me.id = p_user_id and me.auth0_sub is not null and me.removed_at is null
    order by o.name, o.id
$$;

revoke all on function logai_member_orgs(text) from public;
grant execute on function logai_member_orgs(text) to ${app_role};
