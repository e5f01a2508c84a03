package dev.logai.query.summary;

import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.tenancy.Permissions;
import dev.logai.common.web.ApiProblem;
import dev.logai.query.auth.RequiresScope;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/summaries/{id}}: one incident summary (the dashboard's incident page); 404 when the org has none. */
@RestController
class SummaryByIdController {
    private final SummaryLookup summaries;

    SummaryByIdController(SummaryLookup summaries) {
        this.summaries = summaries;
    }

    @GetMapping("/v1/summaries/{id}")
    SummaryRow get(@RequiresScope(Permissions.READ) ApiPrincipal caller, @PathVariable("id") String id) {
        if (id.length() > 200) {
            throw notFound(id.substring(0, 40));
        }
        return summaries.find(caller.orgId(), id).orElseThrow(() -> notFound(id));
    }

    private static ApiProblem notFound(String id) {
        return ApiProblem.notFound("Unknown summary", "Summary '" + id + "' does not exist in your org.");
    }
}
