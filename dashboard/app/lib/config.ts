import "server-only";

/**
 * The dashboard's settings, from the environment (the same build runs locally and in production):
 * where the APIs are, which OIDC issuer signs people in, and the key that seals the session cookie.
 */
export type DashboardConfig = {
  apiUrl: string;
  gatewayUrl: string;
  issuer: string;
  clientId: string;
  audience: string | undefined;
  scope: string;
  publicUrl: string;
  sessionSecret: string;
};

function trimSlash(url: string) {
  return url.replace(/\/+$/, "");
}

export function config(): DashboardConfig {
  const env = process.env;
  const port = env.LOGAI_DASHBOARD_PORT ?? "3000";
  const secret = env.LOGAI_DASHBOARD_SECRET ?? "";
  if (secret.length < 32) {
    throw new Error(
      "LOGAI_DASHBOARD_SECRET must be set to at least 32 random characters (./logai up makes one in .logai/dashboard.secret).",
    );
  }
  return {
    apiUrl: trimSlash(env.LOGAI_API_URL ?? "http://127.0.0.1:8081"),
    gatewayUrl: trimSlash(env.LOGAI_GATEWAY_URL ?? "http://127.0.0.1:8080"),
    issuer: env.LOGAI_OIDC_ISSUER ?? "http://127.0.0.1:19400",
    clientId: env.LOGAI_OIDC_CLIENT_ID ?? "logai-dashboard",
    audience: env.LOGAI_OIDC_AUDIENCE || undefined,
    scope: env.LOGAI_OIDC_SCOPE ?? "openid profile email",
    publicUrl: trimSlash(env.LOGAI_DASHBOARD_URL ?? `http://127.0.0.1:${port}`),
    sessionSecret: secret,
  };
}
