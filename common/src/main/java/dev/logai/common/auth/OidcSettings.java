package dev.logai.common.auth;

import java.time.Duration;

/**
 * Where people's access tokens come from and what they must say ({@code LOGAI_OIDC_*}). Auth0 in
 * production, the local issuer of {@code ./logai up}, or any standards-compliant OIDC issuer.
 *
 * @param issuer the exact {@code iss} of accepted tokens (Auth0: {@code https://TENANT.auth0.com/},
 *     with the trailing slash); blank: sign-in is off and only API keys are accepted
 * @param audience the {@code aud} a token must contain (Auth0: the API identifier)
 * @param jwksUri where the issuer publishes its signing keys; blank: {@code <issuer>/.well-known/jwks.json}
 *     (Auth0's address)
 * @param claimNamespace prefix of LogAi's custom claims {@code <ns>org_id}, {@code <ns>role} and
 *     {@code <ns>email}; Auth0 reserves the plain names {@code org_id} and {@code roles}
 * @param emailClaim the claim holding the person's e-mail, read before {@code <ns>email}
 * @param clockSkew tolerance on {@code exp} and {@code nbf}
 * @param jwksCacheTtl how long fetched signing keys are used without asking again
 * @param jwksRefetchInterval a token with an unknown {@code kid} refetches the keys at most twice
 *     per this interval (Nimbus' rate limit) (key rotation works without a restart; random kids cannot flood the issuer)
 */
public record OidcSettings(
        String issuer,
        String audience,
        String jwksUri,
        String claimNamespace,
        String emailClaim,
        Duration clockSkew,
        Duration jwksCacheTtl,
        Duration jwksRefetchInterval) {

    /** Whether sign-in with tokens is configured at all. */
    public boolean enabled() {
        return issuer != null && !issuer.isBlank();
    }

    /** The signing keys' address: {@link #jwksUri} or Auth0's default under the issuer. */
    public String effectiveJwksUri() {
        if (jwksUri != null && !jwksUri.isBlank()) {
            return jwksUri;
        }
        return (issuer.endsWith("/") ? issuer : issuer + "/") + ".well-known/jwks.json";
    }

    /** The claim naming the org a token was issued for. */
    public String orgClaim() {
        return claimNamespace + "org_id";
    }

    /** The claim naming the role a first login gets in that org. */
    public String roleClaim() {
        return claimNamespace + "role";
    }

    /** The namespaced e-mail claim, read when {@link #emailClaim} is absent. */
    public String namespacedEmailClaim() {
        return claimNamespace + "email";
    }
}
