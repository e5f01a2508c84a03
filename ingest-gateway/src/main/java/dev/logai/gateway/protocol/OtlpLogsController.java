package dev.logai.gateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.logai.common.contract.LogBatch;
import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.web.ApiKeyFilter;
import dev.logai.common.web.ApiProblem;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * OTLP/HTTP logs: {@code POST /v1/logs} with an {@code ExportLogsServiceRequest}, binary protobuf
 * ({@code application/x-protobuf}) or OTLP/JSON ({@code application/json}), optionally gzip, as the
 * OpenTelemetry Collector's {@code otlphttp} exporter and the SDKs' OTLP/HTTP log exporters send it
 * (spec: opentelemetry.io/docs/specs/otlp, "OTLP/HTTP").
 *
 * <p>Each log record becomes one JSON line: {@code time} (time, else observed time), {@code level}
 * (severity text, else the severity number's name), {@code message} (a string body; other bodies as
 * {@code body}), {@code service.name}, {@code trace_id}/{@code span_id} (hex), {@code scope}, {@code
 * event_name}, and the record's and resource's attributes under {@code attributes} and {@code
 * resource}. Source: {@code logai.source} (record, then resource attribute), then the resource's
 * {@code service.name} ({@link SourceRouter}).
 *
 * <p>Answers in the request's encoding: 200 with an {@code ExportLogsServiceResponse} whose {@code
 * partial_success} counts the records refused for good (a source the plan has no room for); 400
 * for a body that does not parse (nothing accepted); 429/502/503/504 with {@code Retry-After} for
 * what a retry can fix; other errors are final. Error bodies are a {@code google.rpc.Status}.
 */
@RestController
class OtlpLogsController {
    private static final String PROTOBUF = "application/x-protobuf";

    private final ShipperIngest ingest;

    OtlpLogsController(ShipperIngest ingest) {
        this.ingest = ingest;
    }

    /** Decoded content of one log record, from either encoding. */
    private record Record(
            long timeNanos,
            long observedNanos,
            int severityNumber,
            String severityText,
            JsonNode body,
            ObjectNode attributes,
            ObjectNode resource,
            String scope,
            String traceId,
            String spanId,
            String eventName) {}

    @PostMapping("/v1/logs")
    ResponseEntity<byte[]> export(HttpServletRequest http) {
        boolean json = isJson(http.getContentType());
        http.setAttribute(JSON_ATTRIBUTE, json);
        ApiPrincipal caller = ApiKeyFilter.principal(http);
        try (ShipperIngest.Request request = ingest.open(caller, "otlp", http.getHeader("Idempotency-Key"))) {
            long limit = ingest.maxBodyBytes();
            ShipperBodies.Body body = ShipperBodies.read(http, limit, false, request);
            // the parsed message: its records counted (resource_logs 1 → scope_logs 2 → log_records 2)
            // and held before it is built
            if (json) {
                ShipperBodies.holdJsonTree(request, body.bytes(), false);
            } else {
                ShipperBodies.holdParsed(
                        request,
                        ShipperBodies.protobufMessages(body.bytes(), 1, 2, 2)
                                + ShipperBodies.protobufMessages(body.bytes(), 1, 2, 2, 6));
            }
            List<Record> records = json ? fromJson(body.bytes()) : fromProtobuf(body.bytes());
            JsonLine line = new JsonLine();
            long rejected = 0;
            String rejection = null;
            for (Record r : records) {
                ShipperIngest.Group group;
                try {
                    group = request.group(sourceLabel(r), LogBatch.PayloadFormat.NDJSON);
                } catch (ApiProblem p) {
                    if (p.status() == 403 || p.status() == 404) {
                        rejected++;
                        rejection = p.getMessage();
                        continue;
                    }
                    throw p;
                }
                byte[] bytes = render(line, r);
                request.add(group, bytes, 0, bytes.length, r.timeNanos() > 0 || r.observedNanos() > 0, 0);
            }
            ShipperIngest.Result result = ingest.commit(request, body.wireBytes());
            for (ShipperIngest.GroupOutcome g : result.groups()) {
                if (!g.accepted()) {
                    if (g.failure().status() != 413) {
                        throw g.failure();
                    }
                    rejected += g.lines();
                    rejection = g.failure().getMessage();
                }
            }
            ExportLogsServiceResponse.Builder response = ExportLogsServiceResponse.newBuilder();
            if (rejected > 0) {
                response.setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
                        .setRejectedLogRecords(rejected)
                        .setErrorMessage(rejection == null ? "" : rejection));
            }
            HttpHeaders headers = new HttpHeaders();
            result.quotaHeaders().forEach(headers::set);
            return ResponseEntity.ok()
                    .headers(headers)
                    .header(HttpHeaders.CONTENT_TYPE, json ? "application/json" : PROTOBUF)
                    .body(
                            json
                                    ? responseJson(rejected, rejection)
                                    : response.build().toByteArray());
        }
    }

    private static final String JSON_ATTRIBUTE = OtlpLogsController.class.getName() + ".json";

    /** Errors as OTLP/HTTP wants them: the status code, {@code Retry-After}, a {@code google.rpc.Status} body. */
    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<byte[]> failed(ApiProblem problem, HttpServletRequest http) {
        boolean json = Boolean.TRUE.equals(http.getAttribute(JSON_ATTRIBUTE));
        int status = problem.status();
        String message = problem.title() + ": " + problem.getMessage();
        HttpHeaders headers = ShipperBodies.headersOf(problem);
        headers.set(HttpHeaders.CONTENT_TYPE, json ? "application/json" : PROTOBUF);
        return ResponseEntity.status(HttpStatus.valueOf(status))
                .headers(headers)
                .body(json ? statusJson(grpcCode(status), message) : statusProto(grpcCode(status), message));
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "application/json" -> true;
            case PROTOBUF, "application/protobuf" -> false;
            default ->
                throw new ApiProblem(
                        415,
                        "Unsupported content type",
                        "OTLP/HTTP takes application/x-protobuf or application/json, not '" + contentType + "'.");
        };
    }

    private static String sourceLabel(Record r) {
        String label = text(r.attributes().get("logai.source"));
        if (label == null) {
            label = text(r.resource().get("logai.source"));
        }
        if (label == null) {
            label = text(r.resource().get("service.name"));
        }
        return label;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || n.isContainerNode() ? null : n.asText();
    }

    private static byte[] render(JsonLine line, Record r) {
        line.start();
        line.timeNanos("time", r.timeNanos() > 0 ? r.timeNanos() : r.observedNanos());
        String level = r.severityText() == null || r.severityText().isEmpty()
                ? JsonLine.otelSeverity(r.severityNumber())
                : r.severityText();
        line.field("level", level);
        if (r.body() != null && r.body().isValueNode()) {
            line.field("message", r.body().asText());
        } else {
            line.field("body", r.body());
        }
        line.field("service.name", text(r.resource().get("service.name")));
        line.field("trace_id", r.traceId());
        line.field("span_id", r.spanId());
        line.field("scope", r.scope());
        line.field("event_name", r.eventName());
        if (!r.attributes().isEmpty()) {
            line.field("attributes", r.attributes());
        }
        if (!r.resource().isEmpty()) {
            line.field("resource", r.resource());
        }
        return line.finish();
    }

    // --- binary protobuf ---

    private static List<Record> fromProtobuf(byte[] body) {
        ExportLogsServiceRequest message;
        try {
            message = ExportLogsServiceRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new ApiProblem(
                    400,
                    "Invalid OTLP protobuf",
                    "The body is not an ExportLogsServiceRequest (" + e.getMessage() + "). Nothing was accepted.");
        }
        List<Record> out = new java.util.ArrayList<>();
        for (ResourceLogs rl : message.getResourceLogsList()) {
            ObjectNode resource = attributes(rl.getResource().getAttributesList());
            for (ScopeLogs sl : rl.getScopeLogsList()) {
                for (LogRecord lr : sl.getLogRecordsList()) {
                    out.add(new Record(
                            lr.getTimeUnixNano(),
                            lr.getObservedTimeUnixNano(),
                            lr.getSeverityNumberValue(),
                            lr.getSeverityText(),
                            lr.hasBody() ? value(lr.getBody()) : null,
                            attributes(lr.getAttributesList()),
                            resource,
                            sl.getScope().getName(),
                            hex(lr.getTraceId().toByteArray()),
                            hex(lr.getSpanId().toByteArray()),
                            lr.getEventName()));
                }
            }
        }
        return out;
    }

    private static ObjectNode attributes(List<KeyValue> kvs) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (KeyValue kv : kvs) {
            out.set(kv.getKey(), value(kv.getValue()));
        }
        return out;
    }

    private static JsonNode value(AnyValue v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (v.getValueCase()) {
            case STRING_VALUE -> f.textNode(v.getStringValue());
            case BOOL_VALUE -> f.booleanNode(v.getBoolValue());
            case INT_VALUE -> f.numberNode(v.getIntValue());
            case DOUBLE_VALUE -> f.numberNode(v.getDoubleValue());
            case BYTES_VALUE ->
                f.textNode(Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
            case ARRAY_VALUE -> {
                ArrayNode a = f.arrayNode();
                v.getArrayValue().getValuesList().forEach(x -> a.add(value(x)));
                yield a;
            }
            case KVLIST_VALUE -> attributes(v.getKvlistValue().getValuesList());
            default -> f.nullNode();
        };
    }

    private static String hex(byte[] id) {
        for (byte b : id) {
            if (b != 0) {
                return HexFormat.of().formatHex(id);
            }
        }
        return null;
    }

    // --- OTLP/JSON (proto3 JSON mapping; ids in hex, as the OTLP spec says) ---

    private static List<Record> fromJson(byte[] body) {
        JsonNode root;
        try {
            root = JsonLine.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new ApiProblem(
                    400,
                    "Invalid OTLP JSON",
                    "The body is not JSON (" + JsonLine.reason(e) + "). Nothing was accepted.");
        }
        if (root == null || !root.isObject()) {
            throw new ApiProblem(400, "Invalid OTLP JSON", "The body must be an ExportLogsServiceRequest object.");
        }
        List<Record> out = new java.util.ArrayList<>();
        for (JsonNode rl : array(root, "resourceLogs", "resource_logs")) {
            JsonNode res = rl.path("resource");
            ObjectNode resource = jsonAttributes(res.path("attributes"));
            for (JsonNode sl : array(rl, "scopeLogs", "scope_logs")) {
                String scope = sl.path("scope").path("name").asText(null);
                for (JsonNode lr : array(sl, "logRecords", "log_records")) {
                    if (!lr.isObject()) {
                        throw new ApiProblem(400, "Invalid OTLP JSON", "A logRecords entry is not an object.");
                    }
                    out.add(new Record(
                            nanos(either(lr, "timeUnixNano", "time_unix_nano")),
                            nanos(either(lr, "observedTimeUnixNano", "observed_time_unix_nano")),
                            severity(either(lr, "severityNumber", "severity_number")),
                            either(lr, "severityText", "severity_text").asText(""),
                            lr.has("body") ? jsonValue(lr.get("body")) : null,
                            jsonAttributes(lr.path("attributes")),
                            resource,
                            scope,
                            blankToNull(either(lr, "traceId", "trace_id").asText("")),
                            blankToNull(either(lr, "spanId", "span_id").asText("")),
                            blankToNull(either(lr, "eventName", "event_name").asText(""))));
                }
            }
        }
        return out;
    }

    private static Iterable<JsonNode> array(JsonNode parent, String camel, String snake) {
        JsonNode a = either(parent, camel, snake);
        if (a.isMissingNode() || a.isNull()) {
            return List.of();
        }
        if (!a.isArray()) {
            throw new ApiProblem(400, "Invalid OTLP JSON", "'" + camel + "' must be an array.");
        }
        return a;
    }

    private static JsonNode either(JsonNode n, String camel, String snake) {
        JsonNode v = n.get(camel);
        return v != null ? v : n.path(snake);
    }

    private static long nanos(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return 0;
        }
        try {
            return n.isNumber() ? n.asLong() : Long.parseUnsignedLong(n.asText().trim());
        } catch (NumberFormatException e) {
            throw new ApiProblem(400, "Invalid OTLP JSON", "A timestamp is not a number of nanoseconds: " + n);
        }
    }

    private static int severity(JsonNode n) {
        if (n.isNumber()) {
            return n.asInt();
        }
        String name = n.asText("");
        if (name.startsWith("SEVERITY_NUMBER_")) {
            String level = name.substring("SEVERITY_NUMBER_".length());
            int base = switch (level.replaceAll("\\d", "")) {
                case "TRACE" -> 1;
                case "DEBUG" -> 5;
                case "INFO" -> 9;
                case "WARN" -> 13;
                case "ERROR" -> 17;
                case "FATAL" -> 21;
                default -> 0;
            };
            String digit = level.replaceAll("\\D", "");
            if (base == 0 || digit.length() > 1) {
                return base; // SEVERITY_NUMBER_INFO, or a name no enum has: its level's first number
            }
            return base + (digit.isEmpty() ? 0 : Math.min(3, Math.max(0, Integer.parseInt(digit) - 1)));
        }
        return 0;
    }

    private static ObjectNode jsonAttributes(JsonNode list) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (list.isArray()) {
            for (JsonNode kv : list) {
                String key = kv.path("key").asText(null);
                if (key != null) {
                    out.set(key, jsonValue(kv.path("value")));
                }
            }
        }
        return out;
    }

    private static JsonNode jsonValue(JsonNode v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (v.has("stringValue") || v.has("string_value")) {
            return f.textNode(either(v, "stringValue", "string_value").asText());
        }
        if (v.has("boolValue") || v.has("bool_value")) {
            return f.booleanNode(either(v, "boolValue", "bool_value").asBoolean());
        }
        if (v.has("intValue") || v.has("int_value")) {
            JsonNode i = either(v, "intValue", "int_value");
            try {
                return f.numberNode(
                        i.isNumber() ? i.asLong() : Long.parseLong(i.asText().trim()));
            } catch (NumberFormatException e) {
                return f.textNode(i.asText());
            }
        }
        if (v.has("doubleValue") || v.has("double_value")) {
            return f.numberNode(either(v, "doubleValue", "double_value").asDouble());
        }
        if (v.has("bytesValue") || v.has("bytes_value")) {
            return f.textNode(either(v, "bytesValue", "bytes_value").asText());
        }
        if (v.has("arrayValue") || v.has("array_value")) {
            ArrayNode a = f.arrayNode();
            either(v, "arrayValue", "array_value").path("values").forEach(x -> a.add(jsonValue(x)));
            return a;
        }
        if (v.has("kvlistValue") || v.has("kvlist_value")) {
            return jsonAttributes(either(v, "kvlistValue", "kvlist_value").path("values"));
        }
        return f.nullNode();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.toLowerCase(Locale.ROOT);
    }

    // --- answers ---

    private static byte[] responseJson(long rejected, String message) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        if (rejected > 0) {
            ObjectNode partial = root.putObject("partialSuccess");
            partial.put("rejectedLogRecords", String.valueOf(rejected));
            partial.put("errorMessage", message == null ? "" : message);
        }
        return root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The gRPC code OTLP pairs with an HTTP status (google.rpc.Code). */
    private static int grpcCode(int status) {
        return switch (status) {
            case 400, 413, 415 -> 3; // INVALID_ARGUMENT
            case 401 -> 16; // UNAUTHENTICATED
            case 403 -> 7; // PERMISSION_DENIED
            case 404 -> 5; // NOT_FOUND
            case 408, 504 -> 4; // DEADLINE_EXCEEDED
            case 429 -> 8; // RESOURCE_EXHAUSTED
            case 503, 502 -> 14; // UNAVAILABLE
            default -> 13; // INTERNAL
        };
    }

    private static byte[] statusJson(int code, String message) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("code", code);
        root.put("message", message);
        return root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** {@code google.rpc.Status}: field 1 code (int32), field 2 message (string). */
    private static byte[] statusProto(int code, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodedOutputStream coded = CodedOutputStream.newInstance(out);
        try {
            coded.writeInt32(1, code);
            coded.writeString(2, message);
            coded.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
