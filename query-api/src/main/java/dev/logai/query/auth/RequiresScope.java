package dev.logai.query.auth;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a handler's {@link dev.logai.common.tenancy.ApiPrincipal} parameter: the scope the caller's
 * API key must have ({@code read} or {@code write}). A key without it gets 403 problem+json.
 * Without the annotation the parameter needs {@code read}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface RequiresScope {
    String value();
}
