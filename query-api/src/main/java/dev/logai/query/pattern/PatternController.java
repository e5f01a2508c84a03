package dev.logai.query.pattern;

import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.query.ListQuery;
import dev.logai.query.Page;
import dev.logai.query.auth.RequiresScope;
import org.springframework.web.bind.annotation.GetMapping;
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
}
