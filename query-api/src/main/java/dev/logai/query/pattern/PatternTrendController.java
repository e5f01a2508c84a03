package dev.logai.query.pattern;

import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.tenancy.Permissions;
import dev.logai.common.web.ApiProblem;
import dev.logai.query.ListQuery;
import dev.logai.query.Page;
import dev.logai.query.auth.RequiresScope;
import java.time.Duration;
import java.time.Instant;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/patterns/trends?source_id&since&until&limit&buckets}: the answer of {@code GET
 * /v1/patterns} (same patterns, order and fields) with each pattern's {@code windows} summed into
 * at most {@code buckets} (default 60) equal buckets of whole minutes from {@code since}, for the
 * dashboard's sparklines. {@code source_id}, {@code since} and {@code until} are required, the
 * range at most 90 days.
 */
@RestController
class PatternTrendController {
    static final int MAX_BUCKETS = 500;

    private final PatternTrendRepository trends;

    PatternTrendController(PatternTrendRepository trends) {
        this.trends = trends;
    }

    @GetMapping("/v1/patterns/trends")
    Page<PatternRow> trends(
            @RequiresScope(Permissions.READ) ApiPrincipal caller,
            ListQuery query,
            @RequestParam(name = "buckets", required = false) Integer buckets) {
        Instant since = query.range().since();
        Instant until = query.range().until();
        if (query.sourceId() == null || since == null || until == null) {
            throw ApiProblem.badRequest("'source_id', 'since' and 'until' are required for pattern trends.");
        }
        if (Duration.between(since, until).compareTo(Duration.ofDays(90)) > 0) {
            throw ApiProblem.badRequest("The range may span at most 90 days; ask for a shorter one.");
        }
        int n = buckets == null ? 60 : buckets;
        if (n < 1 || n > MAX_BUCKETS) {
            throw ApiProblem.badRequest("'buckets' must be between 1 and " + MAX_BUCKETS + "; got " + n + ".");
        }
        long minutes = (Duration.between(since, until).toSeconds() + 59) / 60;
        long step = Math.max(1, (minutes + n - 1) / n) * 60;
        return new Page<>(trends.trends(caller.orgId(), query, since, step), query.limit());
    }
}
