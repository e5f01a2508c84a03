package dev.logai.gateway.ingest;

import dev.logai.common.contract.IdempotencyKeys;
import dev.logai.common.contract.LogBatch;
import dev.logai.common.contract.LogBatchWriter;
import dev.logai.common.contract.RecordKeys;
import dev.logai.common.plan.OrgPlans;
import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.web.ApiKeyFilter;
import dev.logai.common.web.ApiProblem;
import dev.logai.common.web.RequestBodyLimitFilter;
import dev.logai.gateway.GatewaySettings;
import dev.logai.gateway.auth.IngestAccess;
import dev.logai.gateway.plan.UsageMeter;
import jakarta.servlet.http.HttpServletRequest;
import java.io.EOFException;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/logs/stream}: NDJSON or plain-text lines, optionally gzip-compressed.
 * The key was checked by {@link ApiKeyFilter} before anything of the body was read; the other
 * checks run cheapest first (scope, source, content type, idempotency key, declared size). The body
 * is then framed straight into the Kafka record ({@link LogBatchWriter}), every byte of it reserved
 * from {@link IngestAdmission} first, and nothing is written until the whole body has been read and
 * validated; the answer is 202 only after Kafka acknowledged. An error before the end of the body
 * answers at once, without reading the rest (the connection is closed). An optional {@code
 * Idempotency-Key} header travels in the batch so the pipeline counts a retried request once; the
 * gateway itself keeps no record of keys.
 */
@RestController
class StreamIngestController {
    private static final Logger LOG = LoggerFactory.getLogger(StreamIngestController.class);
    /** The inflater's input buffer of a gzip body. */
    static final int GZIP_BUFFER_BYTES = 64 * 1024;

    private final SourceDirectory sources;
    private final BatchPublisher publisher;
    private final IngestAdmission admission;
    private final GatewaySettings.Ingest limits;
    private final LineFramer framer;
    private final NdjsonValidator ndjson = new NdjsonValidator();
    private final UsageMeter meter;
    private final OrgPlans plans;

    StreamIngestController(
            SourceDirectory sources,
            BatchPublisher publisher,
            IngestAdmission admission,
            GatewaySettings settings,
            UsageMeter meter,
            OrgPlans plans) {
        this.sources = sources;
        this.publisher = publisher;
        this.admission = admission;
        this.meter = meter;
        this.plans = plans;
        this.limits = settings.ingest();
        this.framer = new LineFramer(limits.maxLineBytes());
    }

    @PostMapping("/v1/logs/stream")
    ResponseEntity<Map<String, Object>> stream(
            HttpServletRequest request,
            @RequestHeader(value = "X-Source-Id", required = false) String sourceId,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            @RequestHeader(value = HttpHeaders.CONTENT_ENCODING, required = false) String contentEncoding) {
        ApiPrincipal tenant = ApiKeyFilter.principal(request);
        IngestAccess.require(tenant, sourceId == null ? "" : sourceId);
        String parserHint = sources.requireSource(tenant.orgId(), sourceId);
        LogBatch.PayloadFormat format = payloadFormat(contentType);
        boolean gzip = isGzip(contentEncoding);
        String idempotencyKey = idempotencyKey(request);
        long declaredLength = request.getContentLengthLong();
        if (declaredLength > limits.maxBodyBytes()) {
            throw tooLarge("The request body");
        }

        try (IngestAdmission.Reservation reservation = admission.open(tenant.orgId(), tenant.keyId())) {
            long working = framer.workingBytes() + (gzip ? GZIP_BUFFER_BYTES : 0);
            reservation.reserve(working);
            LogBatchWriter batch = new LogBatchWriter(
                    tenant.orgId(),
                    sourceId,
                    UUID.randomUUID().toString(),
                    System.currentTimeMillis(),
                    format,
                    idempotencyKey,
                    reservation);
            BodyRead read = readLines(request, gzip, format, batch);
            long truncated = read.truncated();
            reservation.released(working);
            int lines = batch.lineCount();
            if (lines == 0) {
                UsageMeter.Quota quota = meter.quota(tenant.orgId());
                return ResponseEntity.accepted()
                        .headers(h -> UsageMeter.quotaHeaders(quota.plan(), quota.usedBytes(), quota.resetsAt())
                                .forEach(h::set))
                        .body(Map.of("accepted", 0));
            }
            // The plan's hard stops, cheapest first, before anything is written: the org's ingest
            // rate, then the month's quota (charged in the same transaction as its check).
            meter.takeIngestRate(tenant.orgId(), plans, read.bytes());
            UsageMeter.Charge charge =
                    meter.charge(tenant.orgId(), sourceId, idempotencyKey, read.bytes(), read.wireBytes(), lines, 0);
            try {
                publish(tenant.orgId(), sourceId, batch.finish(), lines, parserHint);
            } catch (RuntimeException e) {
                meter.refund(charge);
                throw e;
            }
            return ResponseEntity.accepted()
                    .headers(h -> charge.headers().forEach(h::set))
                    .body(
                            truncated == 0
                                    ? Map.of("accepted", lines)
                                    : Map.of(
                                            "accepted",
                                            lines,
                                            "truncated",
                                            truncated,
                                            "max_line_bytes",
                                            limits.maxLineBytes()));
        }
    }

    private void publish(String orgId, String sourceId, byte[] record, int lines, String parserHint) {
        try {
            publisher.publish(RecordKeys.of(orgId, sourceId), record, parserHint);
        } catch (BatchPublisher.KafkaUnavailableException e) {
            LOG.warn("Kafka unavailable, answering 503 for org {} source {}: {}", orgId, sourceId, e.getMessage());
            throw new ApiProblem(
                            503,
                            "Ingest temporarily unavailable",
                            "The log stream could not be stored right now; nothing from this request was accepted."
                                    + " Retry the same request after the Retry-After delay.")
                    .retryAfterSeconds(5);
        } catch (BatchPublisher.BatchTooLargeException e) {
            LOG.warn("Batch too large for Kafka for org {} source {}: {}", orgId, sourceId, e.getMessage());
            throw new ApiProblem(
                    413,
                    "Batch too large",
                    "These " + lines + " lines are too large to store as one batch; nothing was accepted."
                            + " Split the body into several smaller requests.");
        }
    }

    /**
     * What reading a body found.
     *
     * @param truncated lines cut at the line limit
     * @param wireBytes bytes received
     * @param bytes bytes after decompression (the same as {@code wireBytes} for a plain body): what
     *     the plan meters
     */
    record BodyRead(long truncated, long wireBytes, long bytes) {}

    /**
     * Frames the body into {@code batch}, validating NDJSON lines as they come.
     *
     * @return how many lines were truncated and the bytes read
     * @throws ApiProblem 400 for an invalid line or body, 413 past a size limit, 429/503 from admission
     */
    private BodyRead readLines(
            HttpServletRequest request, boolean gzip, LogBatch.PayloadFormat format, LogBatchWriter batch) {
        long[] truncated = {0};
        boolean checkJson = format == LogBatch.PayloadFormat.NDJSON;
        LineFramer.LineSink sink = (buffer, length, cut) -> {
            if (cut) {
                truncated[0]++;
            } else if (checkJson) {
                String error = ndjson.check(buffer, length);
                if (error != null) {
                    throw new ApiProblem(
                            400,
                            "Invalid NDJSON",
                            "Nothing was accepted: line " + (batch.lineCount() + 1) + " (counting non-blank lines)"
                                    + " is not a JSON object: " + error
                                    + ". Fix the line, or send the body as text/plain.");
                }
            }
            batch.line(buffer, 0, length, cut);
        };
        try (LimitedInputStream body =
                new LimitedInputStream(request.getInputStream(), limits.maxBodyBytes(), "The request body")) {
            LimitedInputStream decoded = body;
            if (gzip) {
                decoded = new LimitedInputStream(
                        new GZIPInputStream(body, GZIP_BUFFER_BYTES), limits.maxBodyBytes(), "The decompressed body");
            }
            framer.frame(decoded, sink);
            return new BodyRead(truncated[0], body.count(), decoded.count());
        } catch (LimitedInputStream.LimitExceededException e) {
            throw tooLarge(e.what);
        } catch (RequestBodyLimitFilter.BodyTooLargeException e) {
            throw tooLarge("The request body");
        } catch (RequestBodyLimitFilter.SlowBodyException e) {
            throw new ApiProblem(
                    408,
                    "Body too slow",
                    e.getMessage() + "; nothing was accepted. Send the request again at a higher rate.");
        } catch (ZipException | EOFException e) {
            throw new ApiProblem(
                    400,
                    "Corrupt gzip body",
                    "The body is declared 'Content-Encoding: gzip' but is not valid gzip (" + e.getMessage()
                            + "). Nothing was accepted; compress with gzip or drop the header.");
        } catch (IOException e) {
            throw new ApiProblem(
                    400,
                    "Unreadable body",
                    "The request body could not be read completely (" + e.getMessage() + "). Nothing was accepted.");
        }
    }

    private ApiProblem tooLarge(String what) {
        return new ApiProblem(
                413,
                "Body too large",
                what + " is larger than " + limits.maxBodyBytes() + " bytes. Nothing was accepted; split it into"
                        + " several requests of at most that size (after decompression).");
    }

    private static LogBatch.PayloadFormat payloadFormat(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return LogBatch.PayloadFormat.TEXT;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "application/x-ndjson",
                    "application/ndjson",
                    "application/jsonl",
                    "application/x-jsonlines",
                    "application/json" -> LogBatch.PayloadFormat.NDJSON;
            // curl --data-binary sends form-urlencoded unless told otherwise; the body is still lines
            case "text/plain", "application/octet-stream", "application/x-www-form-urlencoded" ->
                LogBatch.PayloadFormat.TEXT;
            default ->
                throw new ApiProblem(
                        415,
                        "Unsupported content type",
                        "Content-Type '" + contentType
                                + "' is not supported. Send application/x-ndjson (one JSON object"
                                + " per line) or text/plain (one log line per line).");
        };
    }

    /**
     * The request's {@code Idempotency-Key}, or null without one. Read from the raw headers rather
     * than a {@code @RequestHeader} string because Spring would join two headers into one key.
     *
     * @throws ApiProblem 400 when it is sent twice or is not 1 to 255 printable ASCII characters
     */
    private static String idempotencyKey(HttpServletRequest request) {
        List<String> values = Collections.list(request.getHeaders(IdempotencyKeys.HEADER));
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new ApiProblem(
                    400,
                    "Invalid Idempotency-Key",
                    "The Idempotency-Key header was sent " + values.size() + " times; nothing was accepted. Send it"
                            + " once per request.");
        }
        String key = values.get(0);
        if (!IdempotencyKeys.isValid(key)) {
            // The key itself is not echoed: it may be long or hold characters a client cannot display.
            throw new ApiProblem(400, "Invalid Idempotency-Key", IdempotencyKeys.RULE + " Nothing was accepted.");
        }
        return key;
    }

    private static boolean isGzip(String contentEncoding) {
        if (contentEncoding == null || contentEncoding.isBlank()) {
            return false;
        }
        String encoding = contentEncoding.trim().toLowerCase(Locale.ROOT);
        return switch (encoding) {
            case "gzip", "x-gzip" -> true;
            case "identity" -> false;
            default ->
                throw new ApiProblem(
                        415,
                        "Unsupported content encoding",
                        "Content-Encoding '" + contentEncoding
                                + "' is not supported. Send gzip or an uncompressed body.");
        };
    }
}
