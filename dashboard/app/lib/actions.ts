"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { attempt, type Problem } from "./api";
import { getSession, writeSession } from "./session";
import type { AlertRule, ApiKey, Member, RulePreview, Source, Upload } from "./types";

/**
 * Everything the dashboard changes goes through these server actions: the browser never holds the
 * access token, and the API decides what the role may do (a 403 comes back as a message).
 */
export type Result<T> = { ok: true; data: T } | { ok: false; error: Problem };

export async function switchOrg(orgId: string) {
  const session = await getSession();
  if (!session) redirect("/login");
  // the API confirms the membership before the org is remembered
  const me = await attempt("/v1/me", { orgId });
  if (me.ok) await writeSession({ ...session, orgId });
  redirect("/");
}

export async function createSource(input: { name: string; env: string; parser_hint?: string }): Promise<Result<Source>> {
  const body: Record<string, string> = { name: input.name.trim(), env: input.env.trim() || "production" };
  if (input.parser_hint?.trim()) body.parser_hint = input.parser_hint.trim();
  const r = await attempt<Source>("/v1/sources", { method: "POST", body });
  if (r.ok) revalidatePath("/");
  return r;
}

export async function createApiKey(input: { name: string; scopes: string[]; source_id?: string }): Promise<Result<ApiKey>> {
  const body: Record<string, unknown> = { name: input.name.trim(), scopes: input.scopes };
  if (input.source_id) body.source_id = input.source_id;
  const r = await attempt<ApiKey>("/v1/api-keys", { method: "POST", body });
  if (r.ok) revalidatePath("/settings/keys");
  return r;
}

export async function revokeApiKey(id: string): Promise<Result<void>> {
  const r = await attempt<void>(`/v1/api-keys/${encodeURIComponent(id)}`, { method: "DELETE" });
  if (r.ok) revalidatePath("/settings/keys");
  return r;
}

export type RuleInput = {
  name: string;
  source_id?: string;
  condition: Record<string, unknown>;
  channels: Record<string, unknown>;
  page_max_age?: string;
};

export async function previewRule(input: { source_id?: string; condition: Record<string, unknown> }): Promise<Result<RulePreview>> {
  return attempt<RulePreview>("/v1/alert-rules/preview", {
    method: "POST",
    body: { source_id: input.source_id || undefined, condition: input.condition },
  });
}

export async function createRule(input: RuleInput): Promise<Result<AlertRule>> {
  const r = await attempt<AlertRule>("/v1/alert-rules", {
    method: "POST",
    body: { ...input, source_id: input.source_id || undefined, page_max_age: input.page_max_age || undefined },
  });
  if (r.ok) revalidatePath("/alerts");
  return r;
}

export async function setRuleActive(id: string, active: boolean): Promise<Result<AlertRule>> {
  const r = await attempt<AlertRule>(`/v1/alert-rules/${encodeURIComponent(id)}`, { method: "PATCH", body: { is_active: active } });
  if (r.ok) revalidatePath("/alerts");
  return r;
}

export async function deleteRule(id: string): Promise<Result<void>> {
  const r = await attempt<void>(`/v1/alert-rules/${encodeURIComponent(id)}`, { method: "DELETE" });
  if (r.ok) revalidatePath("/alerts");
  return r;
}

export async function inviteMember(input: { email: string; role: string }): Promise<Result<Member>> {
  const r = await attempt<Member>("/v1/members", { method: "POST", body: { email: input.email.trim(), role: input.role } });
  if (r.ok) revalidatePath("/settings/members");
  return r;
}

export async function changeRole(id: string, role: string): Promise<Result<Member>> {
  const r = await attempt<Member>(`/v1/members/${encodeURIComponent(id)}`, { method: "PATCH", body: { role } });
  if (r.ok) revalidatePath("/settings/members");
  return r;
}

export async function removeMember(id: string): Promise<Result<void>> {
  const r = await attempt<void>(`/v1/members/${encodeURIComponent(id)}`, { method: "DELETE" });
  if (r.ok) revalidatePath("/settings/members");
  return r;
}

export async function setPlan(plan: string): Promise<Result<unknown>> {
  const r = await attempt<unknown>("/v1/org/plan", { method: "PUT", body: { plan } });
  if (r.ok) revalidatePath("/usage");
  return r;
}

export type UploadTicket = {
  upload_id: string;
  url: string;
  method: string;
  headers: Record<string, string>;
  object_key: string;
  expires_at: string;
};

/** A pre-signed PUT for exactly this file (size and SHA-256 signed), from the gateway. */
export async function startUpload(input: { source_id: string; filename: string; size: number; sha256: string }): Promise<Result<UploadTicket>> {
  return attempt<UploadTicket>("/v1/logs/upload-url", { method: "POST", body: input, service: "gateway" });
}

export async function registerUpload(input: { source_id: string; object_key: string; size: number; sha256: string }): Promise<Result<{ upload_id: string; status: string }>> {
  return attempt("/v1/logs/register-upload", {
    method: "POST",
    service: "gateway",
    body: { source_id: input.source_id, object_key: input.object_key, size: input.size, hash: `sha256:${input.sha256}` },
  });
}

export async function uploadStatus(id: string): Promise<Result<{ upload: Upload; results?: { windows: number; final_windows: number; window_lines: number; anomalies: number; summaries: { id: string; title: string }[] } }>> {
  return attempt(`/v1/uploads/${encodeURIComponent(id)}`);
}

/** The lines a person pastes on a source page, sent as text to the gateway (member role and up). */
export async function sendLines(sourceId: string, text: string): Promise<Result<{ accepted: number }>> {
  const session = await getSession();
  if (!session) redirect("/login");
  const { config } = await import("./config");
  const c = config();
  const headers: Record<string, string> = {
    Authorization: `Bearer ${session.accessToken}`,
    "X-Source-Id": sourceId,
    "Content-Type": "text/plain",
  };
  if (session.orgId) headers["X-Org-Id"] = session.orgId;
  try {
    const res = await fetch(`${c.gatewayUrl}/v1/logs/stream`, { method: "POST", headers, body: text, cache: "no-store" });
    const body = await res.text();
    if (!res.ok) {
      let p: { title?: string; detail?: string } = {};
      try {
        p = JSON.parse(body);
      } catch {}
      return { ok: false, error: { status: res.status, title: p.title ?? `Refused (${res.status})`, detail: p.detail ?? body.slice(0, 200) } };
    }
    return { ok: true, data: JSON.parse(body) };
  } catch {
    return { ok: false, error: { status: 503, title: "The ingest gateway is not reachable", detail: `Nothing answered at ${c.gatewayUrl}.` } };
  }
}

/** Sets how sensitive anomaly detection is for one source; null inherits the org's (or the deployment's) level. */
export async function setSourceSensitivity(sourceId: string, sensitivity: "low" | "medium" | "high" | null): Promise<Result<{ source_id: string; sensitivity: string | null }>> {
  const r = await attempt<{ source_id: string; sensitivity: string | null }>(
    `/v1/sources/${encodeURIComponent(sourceId)}/anomaly-settings`,
    { method: "PUT", body: { sensitivity } },
  );
  if (r.ok) revalidatePath(`/sources/${sourceId}`);
  return r;
}
