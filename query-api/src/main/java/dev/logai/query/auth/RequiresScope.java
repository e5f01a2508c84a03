package dev.logai.query.auth;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a handler's {@link dev.logai.common.tenancy.ApiPrincipal} parameter: the permission the caller
 * must have, a constant of {@link dev.logai.common.tenancy.Permissions} (the one matrix of roles and
 * key scopes). A caller without it gets 403 problem+json. Without the annotation the parameter
 * needs {@code read}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface RequiresScope {
    String value();
}
