import "server-only";
import * as client from "openid-client";
import { config } from "./config";

/**
 * The OIDC client (openid-client): authorization code with PKCE as a public client. Locally the
 * issuer is ./logai up's (http on 127.0.0.1, allowed only for loopback); in production Auth0 by
 * LOGAI_OIDC_ISSUER, LOGAI_OIDC_CLIENT_ID and LOGAI_OIDC_AUDIENCE.
 */
let discovered: Promise<client.Configuration> | null = null;

function loopback(url: URL) {
  return url.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
}

export function oidc(): Promise<client.Configuration> {
  if (!discovered) {
    const c = config();
    const issuer = new URL(c.issuer);
    discovered = client
      .discovery(issuer, c.clientId, undefined, client.None(), loopback(issuer) ? { execute: [client.allowInsecureRequests] } : undefined)
      .catch((e) => {
        discovered = null;
        throw e;
      });
  }
  return discovered;
}

export function redirectUri() {
  return `${config().publicUrl}/api/auth/callback/logai`;
}

export { client };
