package dev.logai.query.upload;

import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.tenancy.Ids;
import dev.logai.common.web.ApiProblem;
import dev.logai.query.ListQuery;
import dev.logai.query.Page;
import dev.logai.query.auth.RequiresScope;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/uploads?source_id&status&since&until&limit}: {@code {"items": [UploadRow...],
 * "limit"}}, the org's uploads, newest first ({@code since}/{@code until} bound their creation);
 * {@code GET /v1/uploads/{id}}: one upload with its chunks and results ({@link UploadDetail}). 400
 * for an unknown status; another org's source or upload is 404, like one that does not exist.
 */
@RestController
class UploadController {
    static final Set<String> STATUSES = Set.of("pending", "queued", "processing", "processed", "failed");

    private final UploadRepository uploads;

    UploadController(UploadRepository uploads) {
        this.uploads = uploads;
    }

    @GetMapping("/v1/uploads")
    Page<UploadRow> list(
            @RequiresScope("read") ApiPrincipal caller,
            @RequestParam(name = "status", required = false) String status,
            ListQuery query) {
        if (status != null && !STATUSES.contains(status)) {
            throw ApiProblem.badRequest("'status' must be one of pending, queued, processing, processed, failed");
        }
        return new Page<>(uploads.list(caller.orgId(), query, status), query.limit());
    }

    @GetMapping("/v1/uploads/{id}")
    UploadDetail get(@RequiresScope("read") ApiPrincipal caller, @PathVariable("id") String id) {
        if (!Ids.looksLikeId(id)) {
            throw notFound(id);
        }
        return uploads.detail(caller.orgId(), id).orElseThrow(() -> notFound(id));
    }

    private static ApiProblem notFound(String id) {
        return ApiProblem.notFound(
                "Unknown upload",
                "Upload '" + id + "' does not exist in your org. List your uploads with GET /v1/uploads.");
    }
}
