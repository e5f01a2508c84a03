-- Accounts (issue 20): people who sign in with OIDC, their role in each org, and API keys that an
-- admin creates, lists and revokes. Both tables keep V1's forced row-level security
-- (tenant_isolation on org_id) and grants; every new column lives on them, so the policies cover it.

-- app_user is one row per (org, identity): a person in three orgs has three rows. A row is made by
-- an invitation (email, no auth0_sub yet) or on the first valid login that names the org in its
-- token; the first login of an invited e-mail binds the identity (auth0_sub = the token's sub).
-- E-mails are stored lower-case; a token may carry none (Auth0 access tokens often don't). A
-- removed member keeps the row with removed_at set, so a token that still names the org cannot
-- bring them back; an invitation of the same e-mail does.
alter table app_user alter column email drop not null;
alter table app_user add constraint app_user_email_len check (email is null or length(email) between 3 and 320);
alter table app_user add constraint app_user_sub_len check (auth0_sub is null or length(auth0_sub) between 1 and 255);
alter table app_user
    add column invited_by     text,
    add column last_login_at  timestamptz,
    add column removed_at     timestamptz;
create unique index app_user_by_identity on app_user (org_id, auth0_sub) where auth0_sub is not null;

-- API keys: a prefix shown in listings (the key itself is shown once and stored only as its
-- SHA-256), an optional expiry, when it was last used (updated at most once per cache period per
-- service), and who made it.
alter table api_key
    add column prefix        text,
    add column expires_at    timestamptz,
    add column last_used_at  timestamptz,
    add column created_by    text;
alter table api_key add constraint api_key_name_len check (length(name) between 1 and 100);
alter table api_key add constraint api_key_scopes_known
    check (cardinality(scopes) > 0 and scopes <@ array['ingest', 'read', 'write']::text[]);
create index api_key_by_org on api_key (org_id, created_at);

-- The key lookup (still the one query made without an org) now also refuses expired keys and
-- records the use. It updates only the key's own row, through a policy for the owner alone.
create policy api_key_touch_by_owner on api_key for update to current_user using (true) with check (true);

drop function logai_resolve_api_key(text);
create function logai_resolve_api_key(p_hash text)
    returns table (org_id text, key_id text, scopes text[], source_id text, expires_at timestamptz)
    language sql volatile security definer
    set search_path = public
as $$
    update api_key k set last_used_at = now()
    where k.hash = p_hash and k.revoked_at is null and (k.expires_at is null or k.expires_at > now())
    returning k.org_id, k.id, k.scopes, k.source_id, k.expires_at
$$;

revoke all on function logai_resolve_api_key(text) from public;
grant execute on function logai_resolve_api_key(text) to ${app_role};
