import { NextRequest, NextResponse } from "next/server";
import { decodeJwt } from "jose";
import { client, oidc, redirectUri } from "@/app/lib/oidc";
import { config } from "@/app/lib/config";
import { takePendingLogin, writeSession } from "@/app/lib/session";

/**
 * The issuer sends the browser back here with the code: it is exchanged (with the PKCE verifier,
 * state and nonce checked by openid-client) for the access token, which is sealed in the session
 * cookie and never reaches page scripts.
 */
export async function GET(req: NextRequest) {
  const base = config().publicUrl;
  const pending = await takePendingLogin();
  if (!pending) return NextResponse.redirect(`${base}/login?error=expired`);
  const current = new URL(redirectUri());
  current.search = req.nextUrl.search;
  let tokens;
  try {
    tokens = await client.authorizationCodeGrant(await oidc(), current, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
  } catch (e) {
    const reason = e instanceof Error ? e.message : "unknown";
    console.warn(`sign-in failed: ${reason}`);
    return NextResponse.redirect(`${base}/login?error=exchange`);
  }
  const claims = tokens.claims();
  const access = decodeJwt(tokens.access_token);
  const expiresAt = access.exp ?? Math.floor(Date.now() / 1000) + (tokens.expiresIn() ?? 300);
  await writeSession({
    accessToken: tokens.access_token,
    expiresAt,
    sub: String(claims?.sub ?? access.sub ?? ""),
    email: typeof claims?.email === "string" ? claims.email : typeof access.email === "string" ? access.email : undefined,
  });
  return NextResponse.redirect(`${base}${pending.returnTo}`);
}
