package dev.logai.query.pattern;

import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.web.ApiProblem;
import dev.logai.query.ListQuery;
import dev.logai.query.Page;
import dev.logai.query.auth.RequiresScope;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/patterns?source_id&since&until&limit}: {@code {"items": [PatternRow...], "limit"}},
 * the templates with lines in the range (window start in [since, until)), most lines first, each
 * with its counts per window. Without {@code source_id}, all sources of the caller's org; another
 * org's source is 404. {@code is_new} marks templates whose first appearance (after the source's
 * warm-up) falls in the range.
 */
@RestController
class PatternController {
    private final PatternRepository patterns;

    PatternController(PatternRepository patterns) {
        this.patterns = patterns;
    }

    @GetMapping("/v1/patterns")
    Page<PatternRow> list(@RequiresScope("read") ApiPrincipal caller, ListQuery query) {
        return new Page<>(patterns.list(caller.orgId(), query), query.limit());
    }

    /**
     * {@code GET /v1/patterns/{template_id}?source_id=}: the pattern an id lives in now. An id the
     * miner generalised (one an older anomaly or alert names) answers the live pattern with {@code
     * merged_into} set. 400 without a well-formed id or source; 404 for an unknown id or another
     * org's source.
     */
    @GetMapping("/v1/patterns/{templateId}")
    PatternRow one(
            @RequiresScope("read") ApiPrincipal caller,
            @PathVariable String templateId,
            @RequestParam(name = "source_id", required = false) String sourceId) {
        if (!templateId.matches("[0-9a-f]{16}")) {
            throw ApiProblem.badRequest("template_id must be 16 lower-case hex digits, as /v1/patterns lists them");
        }
        if (sourceId == null || sourceId.isBlank()) {
            throw ApiProblem.badRequest("source_id is required: a pattern's counts and merges are per source"
                    + " (the same text has the same template_id in every source)");
        }
        return patterns.find(caller.orgId(), sourceId, templateId)
                .orElseThrow(() -> ApiProblem.notFound(
                        "Unknown pattern",
                        "No pattern " + templateId + " in source " + sourceId + "; list them with GET /v1/patterns"));
    }
}
