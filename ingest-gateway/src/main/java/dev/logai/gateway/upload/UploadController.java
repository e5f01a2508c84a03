package dev.logai.gateway.upload;

import dev.logai.common.contract.UploadKeys;
import dev.logai.common.contract.UploadRegistered;
import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.tenancy.Ids;
import dev.logai.common.web.ApiKeyFilter;
import dev.logai.common.web.ApiProblem;
import dev.logai.gateway.auth.IngestAccess;
import dev.logai.gateway.ingest.SourceDirectory;
import dev.logai.gateway.plan.UsageMeter;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The upload flow's two calls to LogAi (seed spec §3, §12A); the file itself goes straight to S3.
 *
 * <ol>
 *   <li>{@code POST /v1/logs/upload-url} {@code {source_id, filename, size, sha256, content_type?,
 *       content_encoding?}} → 200 {@code {upload_id, url, method:"PUT", headers, object_key,
 *       expires_at}}: a pre-signed PUT that S3 accepts only with exactly {@code size} bytes whose
 *       SHA-256 is {@code sha256}, under {@code org/source/yyyy/mm/dd/upload-<id>[.gz]}; the
 *       upload's row is recorded {@code pending}.
 *   <li>{@code POST /v1/logs/register-upload} {@code {object_key, size, hash:"sha256:…",
 *       source_id}} → 202 {@code {upload_id, status:"queued"}}: the object is looked up (HEAD, with
 *       brief retries), its size and checksum checked, the row set {@code queued} and an "upload
 *       registered" event written to Kafka, in that order within one transaction. Registering the
 *       same object again answers 202 with the upload's current status and processes nothing again.
 * </ol>
 *
 * <p>Both need a key with the {@code ingest} scope for the source. Every refusal is problem+json
 * saying which check failed and what to do.
 */
@RestController
class UploadController {
    private static final Logger LOG = LoggerFactory.getLogger(UploadController.class);
    static final String UPLOAD_ID_PREFIX = "upl";

    private final UploadSettings settings;
    private final UploadObjects objects;
    private final UploadRepository uploads;
    private final UploadEvents events;
    private final SourceDirectory sources;
    private final UsageMeter meter;

    UploadController(
            UploadSettings settings,
            UploadObjects objects,
            UploadRepository uploads,
            UploadEvents events,
            SourceDirectory sources,
            UsageMeter meter) {
        this.meter = meter;
        this.settings = settings;
        this.objects = objects;
        this.uploads = uploads;
        this.events = events;
        this.sources = sources;
    }

    /** Body of upload-url; {@code size} in bytes, {@code sha256} 64 hex digits of the file as PUT. */
    record UploadUrlRequest(
            String sourceId, String filename, Long size, String sha256, String contentType, String contentEncoding) {}

    /** Body of register-upload, exactly the seed spec's: {@code hash} is {@code sha256:<64 hex>}. */
    record RegisterRequest(String objectKey, Long size, String hash, String sourceId) {}

    @PostMapping("/v1/logs/upload-url")
    ResponseEntity<Map<String, Object>> uploadUrl(
            HttpServletRequest request, @RequestBody(required = false) UploadUrlRequest body) {
        if (body == null) {
            throw ApiProblem.badRequest("Send a JSON body {\"source_id\", \"filename\", \"size\", \"sha256\"}"
                    + " describing the file to upload.");
        }
        ApiPrincipal caller = ApiKeyFilter.principal(request);
        requireIngestScope(caller, body.sourceId());
        sources.requireSource(caller.orgId(), body.sourceId());
        String filename = UploadChecks.filename(body.filename());
        long size = UploadChecks.size(body.size(), settings.maxFileBytes());
        String sha256 = UploadChecks.sha256Hex(body.sha256(), "sha256");
        String contentType = UploadChecks.contentType(body.contentType());
        boolean gzip = UploadChecks.gzip(body.contentEncoding(), filename);
        // A file the month's quota cannot take gets no URL (it is charged at register-upload).
        UsageMeter.Quota quota = meter.quota(caller.orgId());
        if (size > quota.remainingBytes()) {
            throw meter.quotaExceeded(quota, size, meter.now());
        }

        String uploadId = Ids.newId(UPLOAD_ID_PREFIX);
        String key = UploadKeys.of(caller.orgId(), body.sourceId(), uploadId, Instant.now(), gzip);
        UploadObjects.PresignedPut put = objects.presignPut(key, size, sha256, contentType, null);
        try {
            uploads.createPending(
                    caller.orgId(),
                    uploadId,
                    body.sourceId(),
                    key,
                    size,
                    sha256,
                    filename,
                    contentType,
                    gzip ? "gzip" : null,
                    put.expiresAt());
        } catch (SQLException e) {
            throw unavailable(e);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("upload_id", uploadId);
        answer.put("url", put.url());
        answer.put("method", "PUT");
        answer.put("headers", put.headers());
        answer.put("object_key", key);
        answer.put("expires_at", put.expiresAt().toString());
        return ResponseEntity.ok()
                .headers(h -> UsageMeter.quotaHeaders(quota.plan(), quota.usedBytes(), quota.resetsAt())
                        .forEach(h::set))
                .body(answer);
    }

    @PostMapping("/v1/logs/register-upload")
    ResponseEntity<Map<String, Object>> register(
            HttpServletRequest request, @RequestBody(required = false) RegisterRequest body) {
        if (body == null) {
            throw ApiProblem.badRequest("Send a JSON body {\"object_key\", \"size\", \"hash\", \"source_id\"}:"
                    + " the object_key upload-url returned, the file's size and \"sha256:<hex>\".");
        }
        ApiPrincipal caller = ApiKeyFilter.principal(request);
        UploadKeys.Parsed key = UploadChecks.objectKey(body.objectKey(), caller.orgId(), body.sourceId());
        requireIngestScope(caller, key.sourceId());
        String parserHint = sources.requireSource(caller.orgId(), key.sourceId());
        long size = UploadChecks.size(body.size(), Long.MAX_VALUE);
        String sha256 = UploadChecks.hash(body.hash());
        // The store is asked before the row is locked: its retries (seconds when the object is not
        // there yet) never hold a database connection that other tenants' requests need.
        Optional<UploadObjects.StoredObject> head = head(body.objectKey());
        Optional<Map<String, Object>> answer;
        UsageMeter.Charge[] charged = {null};
        try {
            answer = uploads.register(caller.orgId(), body.objectKey(), (upload, queue) -> {
                if (!"pending".equals(upload.status())) {
                    Map<String, Object> again = new LinkedHashMap<>();
                    again.put("upload_id", upload.id());
                    again.put("status", upload.status());
                    again.put("already_registered", true);
                    return again;
                }
                UploadChecks.matchesDeclared(upload, size, sha256);
                UploadObjects.StoredObject stored =
                        head.orElseThrow(() -> UploadChecks.objectMissing(upload, Instant.now()));
                UploadChecks.matchesStored(upload, stored);
                // The file is metered as stored, once (only a pending upload gets here), in this
                // transaction: a refusal or a failure to queue rolls the charge back with it.
                UsageMeter.Charge charge = meter.chargeIn(
                        queue.connection(), caller.orgId(), upload.sourceId(), stored.size(), stored.size(), 0, 1);
                charged[0] = charge;
                {
                    publish(new UploadRegistered(
                            upload.id(),
                            caller.orgId(),
                            upload.sourceId(),
                            objects.bucket(),
                            upload.objectKey(),
                            stored.size(),
                            key.gzip(),
                            System.currentTimeMillis(),
                            parserHint));
                }
                queue.markQueued();
                Map<String, Object> queued = new LinkedHashMap<>();
                queued.put("upload_id", upload.id());
                queued.put("status", "queued");
                return queued;
            });
        } catch (SQLException e) {
            throw unavailable(e);
        }
        return ResponseEntity.accepted()
                .headers(h -> {
                    if (charged[0] != null) charged[0].headers().forEach(h::set);
                })
                .body(answer.orElseThrow(() -> ApiProblem.notFound(
                        "Unknown upload",
                        "No upload URL was issued for object_key '" + body.objectKey() + "' in your org. Request"
                                + " one with POST /v1/logs/upload-url and register the object_key it returns.")));
    }

    /** The stored object under {@code objectKey} (already checked to be under the caller's org), or empty. */
    private Optional<UploadObjects.StoredObject> head(String objectKey) {
        try {
            return objects.head(objectKey);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw storeUnavailable();
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            LOG.warn("HEAD of uploaded object {} failed: {}", objectKey, e.getMessage());
            throw storeUnavailable();
        }
    }

    private void publish(UploadRegistered event) {
        try {
            events.publish(event);
        } catch (Exception e) {
            LOG.warn("Kafka did not take the registration of upload {}: {}", event.uploadId(), e.toString());
            throw ApiProblem.unavailable(
                    "Registration temporarily unavailable",
                    "The upload could not be queued right now; it stays uploaded and unregistered. Send the same"
                            + " register-upload request again after the Retry-After delay.",
                    5);
        }
    }

    private static void requireIngestScope(ApiPrincipal caller, String sourceId) {
        if (sourceId == null || sourceId.isBlank()) {
            throw ApiProblem.badRequest("Send 'source_id': the source these lines belong to (see GET /v1/sources).");
        }
        IngestAccess.require(caller, sourceId);
    }

    private static ApiProblem unavailable(SQLException e) {
        LOG.warn("Upload bookkeeping failed: {}", e.getMessage());
        return ApiProblem.unavailable(
                "Uploads temporarily unavailable",
                "The upload could not be recorded right now; nothing was changed. Retry shortly.",
                5);
    }

    private static ApiProblem storeUnavailable() {
        return ApiProblem.unavailable(
                "Object store unavailable",
                "The uploaded object could not be checked right now; nothing was registered. Send the same"
                        + " register-upload request again shortly.",
                5);
    }
}
