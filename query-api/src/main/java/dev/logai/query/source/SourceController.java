package dev.logai.query.source;

import dev.logai.common.parse.ParserHints;
import dev.logai.common.plan.Plans;
import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.tenancy.Ids;
import dev.logai.common.tenancy.Permissions;
import dev.logai.common.web.ApiProblem;
import dev.logai.query.Items;
import dev.logai.query.auth.RequiresScope;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET/POST /v1/sources}, {@code GET /v1/sources/{id}}: the caller's org's sources. Another
 * org's id answers 404, a missing key 401, creating without the write scope 403.
 */
@RestController
class SourceController {
    private final SourceRepository sources;
    private final dev.logai.query.retention.ArchiveObjects archive;

    SourceController(SourceRepository sources, dev.logai.query.retention.ArchiveObjects archive) {
        this.sources = sources;
        this.archive = archive;
    }

    /** Request body of POST /v1/sources; {@code env} defaults to production. */
    record NewSource(String name, String env, String parserHint) {}

    /** {@code {"items": [Source...]}}, oldest first. */
    @GetMapping("/v1/sources")
    Items<Source> list(@RequiresScope("read") ApiPrincipal caller) {
        return new Items<>(sources.list(caller.orgId()));
    }

    /** The source with its counted and late lines; 404 problem when the org has no such source. */
    @GetMapping("/v1/sources/{id}")
    SourceDetail get(@RequiresScope("read") ApiPrincipal caller, @PathVariable("id") String id) {
        if (!Ids.looksLikeId(id)) {
            throw notFound(id);
        }
        return sources.detail(caller.orgId(), id).orElseThrow(() -> notFound(id));
    }

    /**
     * 201 with the source and its {@code Location}; 400 for a missing or too long name, env or
     * hint, 403 when the plan's source quota is used up, 409 when the name is taken.
     */
    @PostMapping("/v1/sources")
    ResponseEntity<Source> create(
            @RequiresScope(Permissions.SOURCES) ApiPrincipal caller, @RequestBody(required = false) NewSource body) {
        if (body == null) {
            throw ApiProblem.badRequest(
                    "Send a JSON body such as {\"name\": \"checkout-api\", \"env\": \"production\"}.");
        }
        String name = body.name() == null ? "" : body.name().strip();
        if (name.isEmpty() || name.length() > 200) {
            throw ApiProblem.badRequest("'name' is required and must be 1 to 200 characters.");
        }
        String env = body.env() == null || body.env().isBlank()
                ? "production"
                : body.env().strip();
        if (env.length() > 64) {
            throw ApiProblem.badRequest("'env' must be at most 64 characters.");
        }
        String hint = body.parserHint() == null || body.parserHint().isBlank() ? null : body.parserHint();
        if (hint != null && hint.length() > 4000) {
            throw ApiProblem.badRequest("'parser_hint' must be at most 4000 characters.");
        }
        if (hasControlCharacter(name) || hasControlCharacter(env) || (hint != null && hint.indexOf('\u0000') >= 0)) {
            throw ApiProblem.badRequest(
                    "'name' and 'env' must not contain control characters, and 'parser_hint' no NUL character.");
        }
        if (hint != null && !ParserHints.isFormatName(hint)) {
            try {
                ParserHints.compile(hint); // what the pipeline will parse with: refused here, not ignored there
            } catch (IllegalArgumentException e) {
                throw ApiProblem.badRequest(e.getMessage() + ". See docs/parsing.md for the hints LogAi reads.");
            }
        }
        SourceRepository.CreateResult result = sources.create(caller.orgId(), name, env, hint);
        if (result instanceof SourceRepository.CreateResult.Created created) {
            return ResponseEntity.created(
                            URI.create("/v1/sources/" + created.source().id()))
                    .body(created.source());
        }
        if (result instanceof SourceRepository.CreateResult.OverPlanLimit over) {
            throw new ApiProblem(
                    403,
                    "Source quota reached",
                    "Your '" + over.plan() + "' plan allows " + over.limit() + " source(s). "
                            + Plans.sourceUpgradeHint(over.plan()));
        }
        throw new ApiProblem(
                409,
                "Source exists",
                "Your org already has a source named '" + name
                        + "'. Pick another name or use the existing one (GET /v1/sources).");
    }

    /**
     * {@code DELETE /v1/sources/{id}} (the sources permission): deletes the source with every row
     * of it (windows, patterns, anomalies, summaries, uploads, alerts: they cascade from the source)
     * and its objects under {@code org/source/}; lines already sent are not counted afterwards. 404
     * when the org has no such source. Frees a place in the plan's source quota.
     */
    @DeleteMapping("/v1/sources/{id}")
    java.util.Map<String, Object> delete(
            @RequiresScope(Permissions.SOURCES) ApiPrincipal caller, @PathVariable("id") String id) {
        if (!Ids.looksLikeId(id) || !sources.delete(caller.orgId(), id)) {
            throw notFound(id);
        }
        java.util.Map<String, Object> answer = new java.util.LinkedHashMap<>();
        answer.put("source_id", id);
        answer.put("deleted", true);
        try {
            answer.put("objects_deleted", archive.deleteUnder(caller.orgId() + "/" + id + "/", null));
        } catch (RuntimeException e) {
            // its rows are gone; the org-wide retention sweep removes the objects with their age
            answer.put("objects_deleted", 0);
            answer.put(
                    "objects_pending",
                    "The object store could not be reached; the source's archived lines are"
                            + " deleted with the plan's retention.");
        }
        return answer;
    }

    private static ApiProblem notFound(String id) {
        return ApiProblem.notFound("Unknown source", "Source '" + id + "' does not exist in your org.");
    }

    /** Control characters (NUL, line breaks, escapes…) have no place in a name that is shown and logged. */
    private static boolean hasControlCharacter(String s) {
        return s.chars().anyMatch(Character::isISOControl);
    }
}
