import { NextRequest, NextResponse } from "next/server";
import { client, oidc, redirectUri } from "@/app/lib/oidc";
import { config } from "@/app/lib/config";
import { writePendingLogin } from "@/app/lib/session";
import { safeReturnTo } from "@/app/lib/paths";

/** Starts the sign-in: PKCE verifier, state and nonce sealed in a cookie, then the issuer's login. */
export async function GET(req: NextRequest) {
  const returnTo = safeReturnTo(req.nextUrl.searchParams.get("returnTo"));
  let configuration;
  try {
    configuration = await oidc();
  } catch {
    return NextResponse.redirect(`${config().publicUrl}/login?error=issuer`);
  }
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  await writePendingLogin({ verifier, state, nonce, returnTo });
  const params: Record<string, string> = {
    redirect_uri: redirectUri(),
    scope: config().scope,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
  };
  const audience = config().audience;
  if (audience) params.audience = audience;
  return NextResponse.redirect(client.buildAuthorizationUrl(configuration, params).href);
}
