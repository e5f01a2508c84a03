package dev.logai.query.apikey;

import dev.logai.common.tenancy.ApiKeyAuthenticator;
import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.tenancy.Ids;
import dev.logai.common.tenancy.Permissions;
import dev.logai.common.web.ApiProblem;
import dev.logai.common.web.FailedAuthLimiter;
import dev.logai.query.Items;
import dev.logai.query.auth.RequiresScope;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST/GET /v1/api-keys}, {@code DELETE /v1/api-keys/{id}}: an org's API keys, managed by
 * people with the {@code keys} permission (admin, owner; never by a key). The key is shown once, on
 * creation; listings show its prefix. A revoked key stops working on this service at once and on
 * every other within the auth cache period ({@code LOGAI_AUTH_CACHE_TTL}, 4 s: within 5 s).
 */
@RestController
class ApiKeyController {
    /** Keys an org may create per minute (spec §3: rate-limited). */
    static final int CREATES_PER_MINUTE = 20;
    /** The furthest expiry accepted: about five years. */
    static final Duration MAX_LIFETIME = Duration.ofDays(5 * 366);

    private final ApiKeyRepository keys;
    private final ApiKeyAuthenticator authenticator;
    private final FailedAuthLimiter creations = new FailedAuthLimiter(CREATES_PER_MINUTE, Duration.ofMinutes(1));

    ApiKeyController(ApiKeyRepository keys, ApiKeyAuthenticator authenticator) {
        this.keys = keys;
        this.authenticator = authenticator;
    }

    /** Request body of POST /v1/api-keys: {@code expires_at} an ISO-8601 instant or absent. */
    record KeyRequest(String name, List<String> scopes, String sourceId, String expiresAt) {}

    /**
     * 201 with the key (shown this once) and its {@code Location}; 400 naming the field that is
     * wrong, 404 for a source the org does not have, 409 past {@value ApiKeyRepository#MAX_ACTIVE_KEYS}
     * active keys, 429 past {@value #CREATES_PER_MINUTE} creations a minute.
     */
    @PostMapping("/v1/api-keys")
    ResponseEntity<NewApiKey> create(
            @RequiresScope(Permissions.KEYS) ApiPrincipal caller, @RequestBody(required = false) KeyRequest body) {
        if (body == null) {
            throw ApiProblem.badRequest("Send a JSON body such as {\"name\": \"ci\", \"scopes\": [\"ingest\"],"
                    + " \"source_id\": \"src_…\", \"expires_at\": \"2030-01-01T00:00:00Z\"}.");
        }
        String name = body.name() == null ? "" : body.name().strip();
        if (name.isEmpty() || name.length() > 100 || name.chars().anyMatch(Character::isISOControl)) {
            throw ApiProblem.badRequest("'name' is required: 1 to 100 characters without control characters.");
        }
        List<String> scopes = body.scopes() == null
                ? List.of()
                : body.scopes().stream().distinct().sorted().toList();
        if (scopes.isEmpty() || !Permissions.KEY_SCOPES.containsAll(scopes)) {
            throw ApiProblem.badRequest("'scopes' must be a non-empty list of " + Permissions.KEY_SCOPES
                    + ": ingest sends lines and files, read reads, write manages sources, alert rules and the budget.");
        }
        String sourceId = body.sourceId() == null || body.sourceId().isBlank() ? null : body.sourceId();
        if (sourceId != null && !Ids.looksLikeId(sourceId)) {
            throw ApiProblem.badRequest("'source_id' must be a source id such as 'src_…' (GET /v1/sources).");
        }
        Instant expiresAt = expiry(body.expiresAt());
        if (creations.isBlocked(caller.orgId())) {
            throw new ApiProblem(
                            429,
                            "Too many new keys",
                            "Your org created " + CREATES_PER_MINUTE + " keys in the last minute. Retry after the"
                                    + " Retry-After delay.")
                    .retryAfterSeconds(60);
        }
        creations.recordFailure(caller.orgId()); // a fixed-window count per org, as for failed sign-ins
        ApiKeyRepository.CreateResult result =
                keys.create(caller.orgId(), name, scopes, sourceId, expiresAt, caller.userId());
        if (result instanceof ApiKeyRepository.CreateResult.Created created) {
            return ResponseEntity.created(
                            URI.create("/v1/api-keys/" + created.key().id()))
                    .body(created.key());
        }
        if (result instanceof ApiKeyRepository.CreateResult.UnknownSource) {
            throw ApiProblem.notFound("Unknown source", "Source '" + sourceId + "' does not exist in your org.");
        }
        throw new ApiProblem(
                409,
                "Too many keys",
                "Your org has " + ApiKeyRepository.MAX_ACTIVE_KEYS + " active keys. Revoke unused ones"
                        + " (DELETE /v1/api-keys/{id}) first.");
    }

    /** {@code {"items": [ApiKeyRow...]}}, newest first, revoked ones included. */
    @GetMapping("/v1/api-keys")
    Items<ApiKeyRow> list(@RequiresScope(Permissions.KEYS) ApiPrincipal caller) {
        return new Items<>(keys.list(caller.orgId()));
    }

    /** 204 once revoked (again: still 204); 404 when the org has no such key. */
    @DeleteMapping("/v1/api-keys/{id}")
    ResponseEntity<Void> revoke(@RequiresScope(Permissions.KEYS) ApiPrincipal caller, @PathVariable("id") String id) {
        Optional<Boolean> revoked = Ids.looksLikeId(id) ? keys.revoke(caller.orgId(), id) : Optional.empty();
        if (revoked.isEmpty()) {
            throw ApiProblem.notFound("Unknown API key", "API key '" + id + "' does not exist in your org.");
        }
        authenticator.forget(id);
        return ResponseEntity.noContent().build();
    }

    private static Instant expiry(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Instant at;
        try {
            at = Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest("'expires_at' must be an ISO-8601 instant such as 2030-01-01T00:00:00Z.");
        }
        Instant now = Instant.now();
        if (!at.isAfter(now) || at.isAfter(now.plus(MAX_LIFETIME))) {
            throw ApiProblem.badRequest("'expires_at' must be in the future and at most 5 years away.");
        }
        return at;
    }
}
