package dev.logai.query.anomaly;

import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.query.ListQuery;
import dev.logai.query.Page;
import dev.logai.query.auth.RequiresScope;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/anomalies?source_id&since&until&limit}: {@code {"items": [AnomalyRow...], "limit"}},
 * newest first, highest score first within a window. {@code since}/{@code until} bound the window
 * start. Without {@code source_id}, all sources of the caller's org; another org's source is 404.
 */
@RestController
class AnomalyController {
    private final AnomalyRepository anomalies;

    AnomalyController(AnomalyRepository anomalies) {
        this.anomalies = anomalies;
    }

    @GetMapping("/v1/anomalies")
    Page<AnomalyRow> list(@RequiresScope("read") ApiPrincipal caller, ListQuery query) {
        return new Page<>(anomalies.list(caller.orgId(), query), query.limit());
    }
}
