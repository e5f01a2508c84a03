package dev.logai.query.window;

import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.query.ListQuery;
import dev.logai.query.Page;
import dev.logai.query.auth.RequiresScope;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/windows?source_id&since&until&limit}: {@code {"items": [WindowStats...], "limit"}},
 * newest windows first. {@code since}/{@code until} bound the window start (inclusive/exclusive).
 * Without {@code source_id}, all sources of the caller's org; another org's source is 404.
 */
@RestController
class WindowController {
    private final WindowRepository windows;

    WindowController(WindowRepository windows) {
        this.windows = windows;
    }

    @GetMapping("/v1/windows")
    Page<WindowStatsRow> list(@RequiresScope("read") ApiPrincipal caller, ListQuery query) {
        return new Page<>(windows.list(caller.orgId(), query), query.limit());
    }
}
