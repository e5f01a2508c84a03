package dev.logai.query.overview;

import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.tenancy.Permissions;
import dev.logai.common.web.ApiProblem;
import dev.logai.query.SourceChecks;
import dev.logai.query.TimeRange;
import dev.logai.query.auth.RequiresScope;
import java.time.Clock;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The dashboard's aggregate reads. {@code GET /v1/overview?since&until&buckets}: every source with
 * its volume in at most {@code buckets} buckets (default 120), lines, errors and error rate over
 * the range, last line, incidents overlapping the range and alerts firing now. {@code GET
 * /v1/windows/histogram?source_id&since&until&buckets}: one source's lines per bucket and level.
 * {@code until} defaults to now, {@code since} to 24 h before it; at most 90 days.
 */
@RestController
class OverviewController {
    private final OverviewRepository repository;
    private final Clock clock = Clock.systemUTC();

    OverviewController(OverviewRepository repository) {
        this.repository = repository;
    }

    @GetMapping("/v1/overview")
    Overview overview(
            @RequiresScope(Permissions.READ) ApiPrincipal caller,
            @RequestParam(name = "since", required = false) String since,
            @RequestParam(name = "until", required = false) String until,
            @RequestParam(name = "buckets", required = false) Integer buckets) {
        return repository.overview(
                caller.orgId(), BucketRange.of(TimeRange.parse(since, until), buckets, clock.instant()));
    }

    @GetMapping("/v1/windows/histogram")
    Histogram histogram(
            @RequiresScope(Permissions.READ) ApiPrincipal caller,
            @RequestParam(name = "source_id", required = false) String sourceId,
            @RequestParam(name = "since", required = false) String since,
            @RequestParam(name = "until", required = false) String until,
            @RequestParam(name = "buckets", required = false) Integer buckets) {
        if (sourceId == null || sourceId.isBlank()) {
            throw ApiProblem.badRequest("'source_id' is required, e.g. source_id=src_….");
        }
        SourceChecks.requireWellFormed(sourceId);
        return repository.histogram(
                caller.orgId(), sourceId, BucketRange.of(TimeRange.parse(since, until), buckets, clock.instant()));
    }
}
