package dev.logai.localissuer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The local OpenID Connect provider of {@code ./logai up}: Spring Authorization Server on 127.0.0.1
 * with one dev user per role ({@link LocalIssuerConfig}). The services trust it exactly as they
 * trust Auth0 in production: by {@code LOGAI_OIDC_ISSUER}, {@code LOGAI_OIDC_AUDIENCE} and its JWKS.
 */
@SpringBootApplication
@EnableConfigurationProperties(LocalIssuerSettings.class)
public class LocalIssuerApplication {
    /** Starts the issuer; settings from {@code LOGAI_LOCAL_OIDC_*} (application.yml). */
    public static void main(String[] args) {
        SpringApplication.run(LocalIssuerApplication.class, args);
    }
}
