package dev.logai.query.member;

import java.time.Instant;

/**
 * A member of an org. JSON: {@code id, email} (null when the identity provider sent none), {@code
 * role} ({@code owner}, {@code admin}, {@code member}, {@code viewer}), {@code status} ({@code
 * invited} until the first sign-in, then {@code active}), {@code created_at}, {@code last_login_at}.
 */
public record Member(String id, String email, String role, String status, Instant createdAt, Instant lastLoginAt) {}
