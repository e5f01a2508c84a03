package dev.logai.localissuer;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * The local issuer's users, clients, signing key and token claims. Spring Boot's authorization
 * server auto-configuration supplies the endpoints (discovery, {@code /oauth2/authorize}, {@code
 * /oauth2/token}, {@code /oauth2/jwks}) and the login form.
 *
 * <ul>
 *   <li>users {@code viewer@logai.local}, {@code member@…}, {@code admin@…}, {@code owner@…}, one
 *       per role, password {@link LocalIssuerSettings#secret};
 *   <li>{@code logai-dashboard}: a public client (authorization code with PKCE, as a browser app
 *       uses it) for the dashboard's login;
 *   <li>{@code logai-cli-<role>}: a confidential client per role (client credentials, secret {@link
 *       LocalIssuerSettings#secret}) for {@code ./logai token --role <role>}.
 * </ul>
 *
 * Every access token of a role has the same {@code sub} ({@code local|<role>}), {@code email},
 * {@code aud}, the namespaced org and role claims and {@code typ: at+jwt} (RFC 9068), whether it came
 * from the login or the CLI, so both are the same member in the services. The RSA key is generated
 * at each start: the services pick up the new key through their unknown-kid refetch.
 */
@Configuration
class LocalIssuerConfig {
    private final LocalIssuerSettings settings;
    private final PasswordEncoder passwords = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    LocalIssuerConfig(LocalIssuerSettings settings) {
        this.settings = settings;
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings() {
        return AuthorizationServerSettings.builder().issuer(settings.issuer()).build();
    }

    @Bean
    UserDetailsService devUsers() {
        List<UserDetails> users = new ArrayList<>();
        String hash = passwords.encode(settings.secret());
        for (String role : LocalIssuerSettings.ROLES) {
            users.add(User.withUsername(LocalIssuerSettings.userOf(role))
                    .password(hash)
                    .roles(role.toUpperCase(java.util.Locale.ROOT))
                    .build());
        }
        return new InMemoryUserDetailsManager(users);
    }

    @Bean
    RegisteredClientRepository clients() {
        List<RegisteredClient> clients = new ArrayList<>();
        RegisteredClient.Builder dashboard = RegisteredClient.withId(
                        UUID.randomUUID().toString())
                .clientId("logai-dashboard")
                .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                .scope(OidcScopes.OPENID)
                .scope(OidcScopes.PROFILE)
                .scope(OidcScopes.EMAIL)
                .clientSettings(ClientSettings.builder()
                        .requireProofKey(true)
                        .requireAuthorizationConsent(false)
                        .build())
                // a public client gets no refresh token: an hour's access token is a working session
                .tokenSettings(TokenSettings.builder()
                        .accessTokenTimeToLive(Duration.ofHours(1))
                        .build());
        settings.redirectUris().forEach(dashboard::redirectUri);
        clients.add(dashboard.build());
        for (String role : LocalIssuerSettings.ROLES) {
            clients.add(RegisteredClient.withId(UUID.randomUUID().toString())
                    .clientId(LocalIssuerSettings.cliClientOf(role))
                    .clientSecret(passwords.encode(settings.secret())) // salted: each hash differs
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                    // an hour, so a token printed for curl lasts a working session
                    .tokenSettings(TokenSettings.builder()
                            .accessTokenTimeToLive(Duration.ofHours(1))
                            .build())
                    .build());
        }
        return new InMemoryRegisteredClientRepository(clients);
    }

    @Bean
    JWKSource<SecurityContext> signingKeys() throws Exception {
        RSAKey key =
                new RSAKeyGenerator(2048).keyID("local-" + UUID.randomUUID()).generate();
        return new ImmutableJWKSet<>(new JWKSet(key));
    }

    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> logaiClaims() {
        return context -> {
            if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
                return;
            }
            Optional<String> role = roleOf(context.getPrincipal().getName());
            if (role.isEmpty()) {
                return; // not a dev user: the services refuse a token without an org
            }
            context.getJwsHeader().type("at+jwt");
            context.getClaims()
                    .subject("local|" + role.get())
                    .audience(List.of(settings.audience()))
                    .claim("email", LocalIssuerSettings.userOf(role.get()))
                    .claim(settings.claimNamespace() + "org_id", settings.orgId())
                    .claim(settings.claimNamespace() + "role", role.get());
        };
    }

    /** The role of a dev user's name or a CLI client's id. */
    static Optional<String> roleOf(String principal) {
        return LocalIssuerSettings.ROLES.stream()
                .filter(r -> principal.equals(LocalIssuerSettings.userOf(r))
                        || principal.equals(LocalIssuerSettings.cliClientOf(r)))
                .findFirst();
    }
}
