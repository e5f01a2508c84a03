package dev.logai.query.summary;

import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.query.ListQuery;
import dev.logai.query.Page;
import dev.logai.query.auth.RequiresScope;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/summaries?source_id&since&until&limit}: {@code {"items": [SummaryRow...], "limit"}},
 * one summary per incident, newest first. {@code since}/{@code until} select incidents that
 * overlap the range. Without {@code source_id}, all sources of the caller's org; another org's
 * source is 404.
 */
@RestController
class SummaryController {
    private final SummaryRepository summaries;

    SummaryController(SummaryRepository summaries) {
        this.summaries = summaries;
    }

    @GetMapping("/v1/summaries")
    Page<SummaryRow> list(@RequiresScope("read") ApiPrincipal caller, ListQuery query) {
        return new Page<>(summaries.list(caller.orgId(), query), query.limit());
    }
}
