import "server-only";
import { cookies } from "next/headers";
import { cache } from "react";
import { config } from "./config";
import { seal, unseal } from "./seal";

/** What the session cookie holds: the person's access token for the APIs and the chosen org. */
export type Session = {
  accessToken: string;
  expiresAt: number; // epoch seconds
  email?: string;
  sub: string;
  orgId?: string;
};

export const SESSION_COOKIE = "logai_session";
export const LOGIN_COOKIE = "logai_login";

function secure() {
  return config().publicUrl.startsWith("https://");
}

export const getSession = cache(async (): Promise<Session | null> => {
  const jar = await cookies();
  const session = await unseal<Session>(jar.get(SESSION_COOKIE)?.value, config().sessionSecret);
  if (!session || session.expiresAt * 1000 <= Date.now() + 5_000) return null;
  return session;
});

export async function writeSession(session: Session) {
  const maxAge = Math.max(60, session.expiresAt - Math.floor(Date.now() / 1000));
  const jar = await cookies();
  jar.set(SESSION_COOKIE, await seal(session, config().sessionSecret, maxAge), {
    httpOnly: true,
    sameSite: "lax",
    secure: secure(),
    path: "/",
    maxAge,
  });
}

export async function clearSession() {
  const jar = await cookies();
  jar.delete(SESSION_COOKIE);
}

/** The PKCE verifier, state and nonce of a login in flight, for ten minutes. */
export type PendingLogin = { verifier: string; state: string; nonce: string; returnTo: string };

export async function writePendingLogin(login: PendingLogin) {
  const jar = await cookies();
  jar.set(LOGIN_COOKIE, await seal(login, config().sessionSecret, 600), {
    httpOnly: true,
    sameSite: "lax",
    secure: secure(),
    path: "/api/auth",
    maxAge: 600,
  });
}

export async function takePendingLogin(): Promise<PendingLogin | null> {
  const jar = await cookies();
  const login = await unseal<PendingLogin>(jar.get(LOGIN_COOKIE)?.value, config().sessionSecret);
  jar.delete({ name: LOGIN_COOKIE, path: "/api/auth" });
  return login;
}
