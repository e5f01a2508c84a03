package dev.logai.common.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import dev.logai.common.web.ApiProblem;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Validates a person's access token with Spring Security's {@link NimbusJwtDecoder}, following RFC
 * 8725 (JSON Web Token Best Current Practices):
 *
 * <ul>
 *   <li>signature algorithms RS256 and ES256 only: {@code none} and every HMAC algorithm are refused,
 *       so a token "signed" with the issuer's public key as an HMAC secret never verifies (§2.1, §3.1);
 *   <li>keys only from the configured JWKS address ({@link OidcSettings#effectiveJwksUri}); {@code
 *       jku}, {@code x5u} and embedded {@code jwk} headers are ignored (§3.10);
 *   <li>{@code typ} must be {@code JWT} or {@code at+jwt} (RFC 9068) (§3.11);
 *   <li>{@code iss} exact, {@code aud} containing the audience, {@code exp} required, {@code exp}
 *       and {@code nbf} with {@link OidcSettings#clockSkew}, {@code sub} required (§3.8, §3.9).
 * </ul>
 *
 * Keys are cached ({@link OidcSettings#jwksCacheTtl}); a token whose {@code kid} is not in the cache
 * refetches the set at most twice per {@link OidcSettings#jwksRefetchInterval} (Nimbus'
 * rate-limited source, which keeps the second for a legitimate rotation), so the issuer can rotate
 * keys without a LogAi restart and random kids cannot flood it. No token is ever
 * logged: errors name only what was wrong.
 */
public final class AccessTokens {
    /** Longest token read: far above any issuer's access tokens, a bound on parsing work. */
    public static final int MAX_TOKEN_CHARS = 16 * 1024;

    private final NimbusJwtDecoder decoder;

    /**
     * @throws IllegalArgumentException when the JWKS address is not a URL
     */
    public AccessTokens(OidcSettings settings) {
        DefaultResourceRetriever retriever = new DefaultResourceRetriever(2_000, 2_000, 256 * 1024);
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.<SecurityContext>create(
                            URI.create(settings.effectiveJwksUri()).toURL(), retriever)
                    .cache(settings.jwksCacheTtl().toMillis(), 5_000)
                    .rateLimited(settings.jwksRefetchInterval().toMillis())
                    .refreshAheadCache(false)
                    .retrying(false)
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("LOGAI_OIDC_JWKS_URI is not a URL: " + settings.effectiveJwksUri(), e);
        }
        this.decoder = NimbusJwtDecoder.withJwkSource(keys)
                .jwsAlgorithm(SignatureAlgorithm.RS256)
                .jwsAlgorithm(SignatureAlgorithm.ES256)
                .jwtProcessorCustomizer(processor -> processor.setJWSTypeVerifier(
                        new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"))))
                .build();
        JwtTimestampValidator times = new JwtTimestampValidator(settings.clockSkew());
        times.setAllowEmptyExpiryClaim(false);
        this.decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(List.of(
                times,
                new JwtIssuerValidator(settings.issuer()),
                new JwtAudienceValidator(settings.audience()),
                new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull),
                new JwtClaimValidator<String>(JwtClaimNames.SUB, sub -> sub != null && !sub.isBlank()))));
    }

    /**
     * The validated token.
     *
     * @param token the compact JWS from {@code Authorization: Bearer <token>}
     * @throws ApiProblem 401 naming what was wrong (signature, algorithm, type, issuer, audience,
     *     time) but never echoing the token
     */
    public Jwt validate(String token) {
        if (token.length() > MAX_TOKEN_CHARS) {
            throw ApiProblem.unauthorized("The access token is longer than " + MAX_TOKEN_CHARS + " characters.");
        }
        try {
            return decoder.decode(token);
        } catch (JwtValidationException invalid) {
            String reasons = invalid.getErrors().stream()
                    .map(OAuth2Error::getDescription)
                    .filter(Objects::nonNull)
                    .collect(Collectors.joining("; "));
            throw ApiProblem.unauthorized("The access token was refused: " + reasons
                    + ". Sign in again to get a new token from LogAi's issuer.");
        } catch (BadJwtException bad) {
            throw ApiProblem.unauthorized("The access token is malformed, unsigned, signed with an algorithm other"
                    + " than RS256/ES256, of another type than JWT/at+jwt, or not signed by one of the issuer's keys."
                    + " Sign in again to get a new token.");
        } catch (JwtException failed) {
            if (rateLimitedRefetch(failed)) {
                // An unknown kid while the last refetch is recent: the key is not the issuer's (yet).
                throw ApiProblem.unauthorized("The access token's key id (kid) is not one of the issuer's current"
                        + " keys. Sign in again to get a new token.");
            }
            throw ApiProblem.unavailable(
                    "Sign-in unavailable",
                    "The issuer's signing keys cannot be fetched right now; nothing was accepted or changed."
                            + " Retry shortly, or use an API key.",
                    5);
        }
    }

    private static boolean rateLimitedRefetch(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RateLimitReachedException) {
                return true;
            }
        }
        return false;
    }
}
