package dev.logai.gateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.logai.common.contract.LogBatch;
import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.web.ApiKeyFilter;
import dev.logai.common.web.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Elasticsearch {@code _bulk} API ({@code POST|PUT /_bulk}, {@code /{index}/_bulk}), and the
 * handshake Filebeat, Logstash, Fluent Bit, Vector and rsyslog's omelasticsearch make first ({@code
 * GET /}, {@code /_license}, {@code /_xpack}, {@code /_cluster/health}, {@code /_cat/health},
 * template / ILM / pipeline probes), answered as an Elasticsearch {@value #DEFAULT_VERSION} server
 * would (version by setting: {@code LOGAI_ES_COMPAT_VERSION}). Source of the format: the
 * Elasticsearch REST API reference, "Bulk API".
 *
 * <p>Each {@code index} / {@code create} document is one JSON line, stored as sent (ECS fields such
 * as {@code @timestamp}, {@code message}, {@code log.level}, {@code service.name} are what the
 * pipeline reads). Source: the document's {@code logai.source}, else the item's or the path's index
 * name without a trailing date or version ({@code logs-app-2026.11.30} → {@code logs-app}). {@code
 * update} and {@code delete} items are refused (logs are append-only), as is a document that is not
 * a JSON object: per item, in the bulk answer, while the other items are stored (the bulk API's own
 * semantics). A retry-worthy failure of a source's items is answered per item (429/503), so
 * shippers retry just those.
 */
@RestController
class ElasticsearchBulkController {
    static final String DEFAULT_VERSION = "8.19.0";
    private static final String PRODUCT_HEADER = "X-Elastic-Product";

    private final ShipperIngest ingest;
    private final String version;

    ElasticsearchBulkController(
            ShipperIngest ingest,
            @Value("${logai.shippers.elasticsearch-version:" + DEFAULT_VERSION + "}") String version) {
        this.ingest = ingest;
        this.version = version;
    }

    /** One bulk item: its action, index, id, and the document (null when refused) or its error. */
    private static final class Item {
        String action;
        String index;
        String id;
        int status = 201;
        String errorType;
        String errorReason;
    }

    @RequestMapping(
            path = {"/_bulk", "/{index}/_bulk"},
            method = {RequestMethod.POST, RequestMethod.PUT})
    ResponseEntity<byte[]> bulk(HttpServletRequest http, @PathVariable(required = false) String index) {
        long started = System.nanoTime();
        ApiPrincipal caller = ApiKeyFilter.principal(http);
        List<Item> items = new ArrayList<>();
        try (ShipperIngest.Request request = ingest.open(caller, "elasticsearch", http.getHeader("Idempotency-Key"))) {
            ShipperBodies.Body body = ShipperBodies.read(http, ingest.maxBodyBytes(), false, request);
            byte[] b = body.bytes();
            // one document's tree at a time, each at most a line long (longer ones are not parsed)
            request.hold(8L * ingest.maxLineBytes());
            int at = 0;
            Item pending = null;
            while (at < b.length) {
                int end = at;
                while (end < b.length && b[end] != '\n') {
                    end++;
                }
                int lineEnd = end > at && b[end - 1] == '\r' ? end - 1 : end;
                if (lineEnd > at && !blank(b, at, lineEnd)) {
                    if (pending == null) {
                        // each item and its part of the answer, held as it comes
                        ShipperBodies.requireRecords(items.size() + 1L);
                        request.hold(ShipperIngest.BYTES_PER_PARSED_RECORD * 3L);
                        pending = action(b, at, lineEnd, index);
                        items.add(pending);
                        if (pending.action.equals("delete")) {
                            refuse(
                                    pending,
                                    400,
                                    "action_request_validation_exception",
                                    "LogAi stores logs" + " append-only: delete is not supported");
                            pending = null;
                        }
                    } else {
                        document(request, pending, items.size() - 1, b, at, lineEnd, ingest.maxLineBytes());
                        pending = null;
                    }
                }
                at = end + 1;
            }
            if (pending != null) {
                throw new ApiProblem(
                        400,
                        "illegal_argument_exception",
                        "The bulk request must be terminated by a newline [\\n] and every index/create action"
                                + " must be followed by its document; nothing was accepted.");
            }
            ShipperIngest.Result result = ingest.commit(request, body.wireBytes());
            for (ShipperIngest.GroupOutcome g : result.groups()) {
                if (!g.accepted()) {
                    for (int i : g.items()) {
                        refuse(
                                items.get(i),
                                g.failure().status(),
                                g.failure().status() == 413
                                        ? "illegal_argument_exception"
                                        : "unavailable_shards_exception",
                                g.failure().getMessage());
                    }
                }
            }
            HttpHeaders headers = new HttpHeaders();
            result.quotaHeaders().forEach(headers::set);
            return ResponseEntity.ok()
                    .headers(headers)
                    .header(PRODUCT_HEADER, "Elasticsearch")
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(answer(items, (System.nanoTime() - started) / 1_000_000));
        }
    }

    private Item action(byte[] b, int from, int to, String pathIndex) {
        JsonNode node;
        try {
            node = JsonLine.MAPPER.readTree(b, from, to - from);
        } catch (IOException e) {
            throw new ApiProblem(
                    400,
                    "x_content_parse_exception",
                    "A bulk action line is not JSON (" + e.getMessage() + "); nothing was accepted.");
        }
        if (node == null || !node.isObject() || node.size() != 1) {
            throw new ApiProblem(
                    400,
                    "illegal_argument_exception",
                    "Malformed action/metadata line: expected one of index, create, update, delete; nothing was"
                            + " accepted.");
        }
        Item item = new Item();
        item.action = node.fieldNames().next();
        JsonNode meta = node.get(item.action);
        item.index = meta.path("_index").asText(pathIndex);
        item.id = meta.path("_id").asText(null);
        if (item.id == null) {
            item.id = UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        } else if (item.id.length() > 512) {
            item.id = item.id.substring(0, 32) + "…";
            refuse(
                    item,
                    400,
                    "action_request_validation_exception",
                    "id is too long, must be no longer than 512" + " bytes");
        }
        switch (item.action) {
            case "index", "create", "delete" -> {}
            case "update" ->
                refuse(
                        item,
                        400,
                        "action_request_validation_exception",
                        "LogAi stores logs append-only: update is" + " not supported");
            default ->
                throw new ApiProblem(
                        400,
                        "illegal_argument_exception",
                        "Malformed action/metadata line: unknown action [" + item.action + "]; nothing was accepted.");
        }
        if (item.index == null && item.status < 300) {
            refuse(item, 400, "action_request_validation_exception", "index is missing");
        } else if (item.index != null && item.index.length() > SourceRouter.MAX_INDEX_CHARS) {
            String shown = item.index.substring(0, 32);
            item.index = shown + "…";
            refuse(
                    item,
                    400,
                    "invalid_index_name_exception",
                    "index name is longer than " + SourceRouter.MAX_INDEX_CHARS + " characters");
        }
        return item;
    }

    private static void document(
            ShipperIngest.Request request, Item item, int number, byte[] b, int from, int to, int maxLineBytes) {
        if (item.status >= 300) {
            return;
        }
        if (to - from > maxLineBytes) {
            // Longer than a line may be: stored cut and flagged truncated, like any long line, and
            // not parsed (a cut document cannot be valid JSON; the pipeline reads it as text).
            ShipperIngest.Group group;
            try {
                group = request.group(SourceRouter.indexAsSourceName(item.index), LogBatch.PayloadFormat.NDJSON);
            } catch (ApiProblem p) {
                if (p.status() == 403 || p.status() == 404) {
                    refuse(item, p.status(), "security_exception", p.getMessage());
                    return;
                }
                throw p;
            }
            request.add(group, b, from, to - from, false, number);
            return;
        }
        JsonNode doc;
        try {
            doc = JsonLine.MAPPER.readTree(b, from, to - from);
        } catch (IOException e) {
            refuse(item, 400, "document_parsing_exception", "failed to parse: " + JsonLine.reason(e));
            return;
        }
        if (doc == null || !doc.isObject()) {
            refuse(item, 400, "document_parsing_exception", "the document is not a JSON object");
            return;
        }
        String label = doc.path("logai.source").asText(null);
        if (label == null) {
            label = doc.path("logai").path("source").asText(null);
        }
        ShipperIngest.Group group;
        try {
            group = request.group(
                    label != null ? label : SourceRouter.indexAsSourceName(item.index), LogBatch.PayloadFormat.NDJSON);
        } catch (ApiProblem p) {
            if (p.status() == 403 || p.status() == 404) {
                refuse(item, p.status(), "security_exception", p.getMessage());
                return;
            }
            throw p;
        }
        boolean timestamped = doc.has("@timestamp") || doc.has("timestamp") || doc.has("time");
        request.add(group, b, from, to - from, timestamped, number);
    }

    private static void refuse(Item item, int status, String type, String reason) {
        item.status = status;
        item.errorType = type;
        item.errorReason = reason;
    }

    private static boolean blank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != ' ' && b[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    private static byte[] answer(List<Item> items, long tookMs) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("took", tookMs);
        root.put("errors", items.stream().anyMatch(i -> i.status >= 300));
        ArrayNode list = root.putArray("items");
        long seq = 0;
        for (Item i : items) {
            ObjectNode r = list.addObject().putObject(i.action);
            r.put("_index", i.index == null ? "" : i.index);
            r.put("_id", i.id);
            r.put("status", i.status);
            if (i.status < 300) {
                r.put("_version", 1);
                r.put("result", "created");
                ObjectNode shards = r.putObject("_shards");
                shards.put("total", 1);
                shards.put("successful", 1);
                shards.put("failed", 0);
                r.put("_seq_no", seq++);
                r.put("_primary_term", 1);
            } else {
                ObjectNode e = r.putObject("error");
                e.put("type", i.errorType);
                e.put("reason", i.errorReason);
            }
        }
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Errors in Elasticsearch's shape: {@code {"error": {"type", "reason", "root_cause"}, "status"}}. */
    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<byte[]> failed(ApiProblem problem) {
        return esError(problem);
    }

    static ResponseEntity<byte[]> esError(ApiProblem problem) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        ObjectNode error = root.putObject("error");
        String type = problem.title().matches("[a-z_]+")
                ? problem.title()
                : problem.status() == 429 ? "es_rejected_execution_exception" : "status_exception";
        String reason = problem.title().matches("[a-z_]+")
                ? problem.getMessage()
                : problem.title() + ": " + problem.getMessage();
        ObjectNode cause = error.putArray("root_cause").addObject();
        cause.put("type", type);
        cause.put("reason", reason);
        error.put("type", type);
        error.put("reason", reason);
        root.put("status", problem.status());
        HttpHeaders headers = ShipperBodies.headersOf(problem);
        return ResponseEntity.status(HttpStatus.valueOf(problem.status()))
                .headers(headers)
                .header(PRODUCT_HEADER, "Elasticsearch")
                .contentType(MediaType.APPLICATION_JSON)
                .body(root.toString().getBytes(StandardCharsets.UTF_8));
    }

    // --- the handshake ---

    @RequestMapping(
            path = "/",
            method = {RequestMethod.GET, RequestMethod.HEAD})
    ResponseEntity<byte[]> info(HttpServletRequest http) {
        ApiKeyFilter.principal(http);
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("name", "logai-gateway");
        root.put("cluster_name", "logai");
        root.put("cluster_uuid", "logai-elasticsearch-compatible");
        ObjectNode v = root.putObject("version");
        v.put("number", version);
        v.put("build_flavor", "default");
        v.put("build_type", "docker");
        v.put("build_hash", "logai");
        v.put("build_date", "2026-01-01T00:00:00.000Z");
        v.put("build_snapshot", false);
        v.put("lucene_version", "9.12.0");
        v.put("minimum_wire_compatibility_version", "7.17.0");
        v.put("minimum_index_compatibility_version", "7.0.0");
        root.put("tagline", "You Know, for Search");
        return json(root);
    }

    @RequestMapping(
            path = {"/_license", "/_xpack"},
            method = {RequestMethod.GET, RequestMethod.HEAD})
    ResponseEntity<byte[]> license(HttpServletRequest http) {
        ApiKeyFilter.principal(http);
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode license = root.putObject("license");
        license.put("status", "active");
        license.put("uid", "logai");
        license.put("type", "basic");
        license.put("mode", "basic");
        license.put("issue_date", Instant.EPOCH.toString());
        license.put("issue_date_in_millis", 0);
        license.put("max_nodes", 1000);
        license.put("issued_to", "logai");
        license.put("issuer", "logai");
        license.put("start_date_in_millis", -1);
        root.putObject("features");
        root.putObject("build").put("hash", "logai");
        return json(root);
    }

    @RequestMapping(
            path = {"/_cluster/health", "/_cluster/health/**"},
            method = {RequestMethod.GET, RequestMethod.HEAD})
    ResponseEntity<byte[]> health(HttpServletRequest http) {
        ApiKeyFilter.principal(http);
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("cluster_name", "logai");
        root.put("status", "green");
        root.put("timed_out", false);
        root.put("number_of_nodes", 1);
        root.put("number_of_data_nodes", 1);
        return json(root);
    }

    /** rsyslog's omelasticsearch checks this before it sends. */
    @RequestMapping(
            path = {"/_cat/health", "/_cat/health/**"},
            method = {RequestMethod.GET, RequestMethod.HEAD})
    ResponseEntity<byte[]> catHealth(HttpServletRequest http) {
        ApiKeyFilter.principal(http);
        return ResponseEntity.ok()
                .header(PRODUCT_HEADER, "Elasticsearch")
                .contentType(MediaType.TEXT_PLAIN)
                .body((Instant.now().getEpochSecond() + " 00:00:00 logai green 1 1 0 0 0 0 0 0 - 100.0%\n")
                        .getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Index template, ILM policy, ingest pipeline, data stream and node probes: every shipper's
     * set-up steps succeed (LogAi needs no mapping: it learns each source's format and templates).
     */
    @RequestMapping(
            path = {
                "/_index_template/**",
                "/_template/**",
                "/_component_template/**",
                "/_ilm/**",
                "/_ingest/**",
                "/_data_stream/**",
                "/_nodes",
                "/_nodes/**",
                "/_alias/**",
                "/_security/_authenticate"
            },
            method = {RequestMethod.GET, RequestMethod.HEAD, RequestMethod.PUT, RequestMethod.POST})
    ResponseEntity<byte[]> probe(HttpServletRequest http) {
        ApiKeyFilter.principal(http);
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        if (http.getMethod().equals("PUT") || http.getMethod().equals("POST")) {
            root.put("acknowledged", true);
        } else if (http.getRequestURI().startsWith("/_nodes")) {
            root.putObject("nodes");
        } else if (http.getRequestURI().startsWith("/_security")) {
            root.put("username", "logai");
            root.putArray("roles");
        }
        return json(root);
    }

    private static ResponseEntity<byte[]> json(ObjectNode root) {
        return ResponseEntity.ok()
                .header(PRODUCT_HEADER, "Elasticsearch")
                .contentType(MediaType.APPLICATION_JSON)
                .body(root.toString().getBytes(StandardCharsets.UTF_8));
    }
}
