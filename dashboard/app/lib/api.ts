import "server-only";
import { redirect } from "next/navigation";
import { headers } from "next/headers";
import { cache } from "react";
import { config } from "./config";
import { getSession, type Session } from "./session";
import type { Me } from "./types";

/** An API refusal, as a person should read it: what happened and what to do. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
  ) {
    super(`${status} ${title}: ${detail}`);
  }
}

export type Problem = { status: number; title: string; detail: string };

type Options = { method?: string; body?: unknown; service?: "query" | "gateway"; orgId?: string | null };

/** The path of the page being rendered, to come back to after signing in again. */
async function currentPath(): Promise<string> {
  const h = await headers();
  return h.get("x-logai-path") ?? "/";
}

async function send(session: Session, path: string, opts: Options): Promise<Response> {
  const c = config();
  const base = opts.service === "gateway" ? c.gatewayUrl : c.apiUrl;
  const h: Record<string, string> = { Authorization: `Bearer ${session.accessToken}`, Accept: "application/json" };
  const org = opts.orgId === undefined ? session.orgId : opts.orgId;
  if (org) h["X-Org-Id"] = org;
  if (opts.body !== undefined) h["Content-Type"] = "application/json";
  try {
    return await fetch(`${base}${path}`, {
      method: opts.method ?? "GET",
      headers: h,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      cache: "no-store",
      signal: AbortSignal.timeout(15_000),
    });
  } catch {
    const which = opts.service === "gateway" ? "ingest gateway" : "query API";
    throw new ApiError(503, `The ${which} is not reachable`, `LogAi's ${which} at ${base} did not answer. Is it running (./logai up)?`);
  }
}

/**
 * Calls the query API (or the gateway) server-side with the person's access token and the chosen
 * org. Without a session, or when the API no longer accepts the token, it sends the browser to sign
 * in again and come back. Any other refusal is an {@link ApiError} with the API's own explanation.
 */
export async function api<T>(path: string, opts: Options = {}): Promise<T> {
  const session = await getSession();
  if (!session) redirect(`/api/auth/login?returnTo=${encodeURIComponent(await currentPath())}`);
  const res = await send(session, path, opts);
  if (res.status === 401) redirect(`/api/auth/login?returnTo=${encodeURIComponent(await currentPath())}`);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  if (!res.ok) throw problem(res.status, text);
  return (text ? JSON.parse(text) : undefined) as T;
}

function problem(status: number, text: string): ApiError {
  let title = `Request failed (${status})`;
  let detail = "";
  try {
    const body = JSON.parse(text);
    title = body.title ?? title;
    detail = body.detail ?? "";
  } catch {
    detail = text.slice(0, 300);
  }
  if (status === 403 && !detail) detail = "Your role does not allow this. Ask an admin of the org.";
  return new ApiError(status, title, detail);
}

/** Like {@link api}, but the failure is a value to render (an error state), not a thrown error. */
export async function attempt<T>(
  path: string,
  opts: Options = {},
): Promise<{ ok: true; data: T } | { ok: false; error: Problem }> {
  try {
    return { ok: true, data: await api<T>(path, opts) };
  } catch (e) {
    if (e instanceof ApiError) return { ok: false, error: { status: e.status, title: e.title, detail: e.detail } };
    throw e; // redirects (sign in again) and programming errors
  }
}

/** The signed-in person in the chosen org: role, permissions and their other orgs. Once per request. */
export const getMe = cache(async (): Promise<Me> => api<Me>("/v1/me"));

export function may(me: Me, permission: string) {
  return me.permissions.includes(permission);
}
