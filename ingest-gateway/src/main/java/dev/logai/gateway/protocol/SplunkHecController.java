package dev.logai.gateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
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
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Splunk's HTTP Event Collector: {@code POST /services/collector[/event][/1.0]} (JSON event
 * envelopes, concatenated), {@code POST /services/collector/raw[/1.0]} (lines), {@code GET
 * /services/collector/health[/1.0]}; the key in {@code Authorization: Splunk <key>} (or Bearer).
 * Source of the format: Splunk's "Format events for HTTP Event Collector" and the HEC REST reference.
 *
 * <p>An event with a string {@code event} becomes {@code {"time", "message", "host", "source",
 * "sourcetype", "index", "fields"}}; an object {@code event} is kept as it is, with the envelope
 * under {@code splunk} (and {@code time} added when it has none). Raw lines are stored as sent, and
 * the pipeline detects their format. Source: field {@code logai.source}, then the envelope's (or the
 * raw query's) {@code source}, then {@code sourcetype} ({@link SourceRouter}).
 *
 * <p>Answers as HEC: {@code {"text": "Success", "code": 0}}; errors carry HEC's codes (5 no data, 6
 * invalid data format with {@code invalid-event-number}, 12 event field required, 9 server busy)
 * with the HTTP status; nothing of a request with an invalid event is stored.
 */
@RestController
class SplunkHecController {
    private final ShipperIngest ingest;

    SplunkHecController(ShipperIngest ingest) {
        this.ingest = ingest;
    }

    /** A HEC error: the status, HEC's code and text, and the event number when one event was at fault. */
    static final class HecError extends RuntimeException {
        final int status;
        final int code;
        final Integer eventNumber;

        HecError(int status, int code, String text, Integer eventNumber) {
            super(text);
            this.status = status;
            this.code = code;
            this.eventNumber = eventNumber;
        }
    }

    @GetMapping({"/services/collector/health", "/services/collector/health/1.0"})
    ResponseEntity<byte[]> health() {
        return answer(200, 17, "HEC is healthy", null, null);
    }

    @PostMapping({"/services/collector", "/services/collector/event", "/services/collector/event/1.0"})
    ResponseEntity<byte[]> event(HttpServletRequest http) {
        ApiPrincipal caller = ApiKeyFilter.principal(http);
        try (ShipperIngest.Request request = ingest.open(caller, "splunk-hec", http.getHeader("Idempotency-Key"))) {
            ShipperBodies.Body body = ShipperBodies.read(http, ingest.maxBodyBytes(), false, request);
            ShipperBodies.holdJsonTree(request, body.bytes(), true);
            JsonLine line = new JsonLine();
            int number = 0;
            try (MappingIterator<JsonNode> events =
                    JsonLine.MAPPER.readerFor(JsonNode.class).readValues(body.bytes())) {
                while (hasNext(events, number)) {
                    JsonNode envelope = next(events, number);
                    addEvent(request, line, envelope, number);
                    number++;
                }
            } catch (IOException e) {
                throw new HecError(400, 6, "Invalid data format", number);
            }
            if (number == 0) {
                throw new HecError(400, 5, "No data", null);
            }
            return committed(request, body.wireBytes());
        }
    }

    @PostMapping({"/services/collector/raw", "/services/collector/raw/1.0"})
    ResponseEntity<byte[]> raw(HttpServletRequest http) {
        // From the query string itself: asking the servlet for parameters would read a body sent
        // as form data (curl's default type) as form fields before the handler sees it.
        Map<String, String> query = queryParameters(http.getQueryString());
        String source = query.get("source");
        String sourcetype = query.get("sourcetype");
        ApiPrincipal caller = ApiKeyFilter.principal(http);
        try (ShipperIngest.Request request = ingest.open(caller, "splunk-hec", http.getHeader("Idempotency-Key"))) {
            ShipperBodies.Body body = ShipperBodies.read(http, ingest.maxBodyBytes(), false, request);
            byte[] b = body.bytes();
            ShipperIngest.Group group =
                    request.group(source != null ? source : sourcetype, LogBatch.PayloadFormat.TEXT);
            int at = 0;
            while (at < b.length) {
                int end = at;
                while (end < b.length && b[end] != '\n') {
                    end++;
                }
                int lineEnd = end > at && b[end - 1] == '\r' ? end - 1 : end;
                if (lineEnd > at) {
                    request.add(group, b, at, lineEnd - at, false, 0);
                }
                at = end + 1;
            }
            if (request.lineCount() == 0) {
                throw new HecError(400, 5, "No data", null);
            }
            return committed(request, body.wireBytes());
        }
    }

    /** The query string's parameters, URL-decoded (the first of each name). */
    static Map<String, String> queryParameters(String query) {
        Map<String, String> out = new java.util.HashMap<>();
        if (query == null) {
            return out;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(name, value);
        }
        return out;
    }

    private ResponseEntity<byte[]> committed(ShipperIngest.Request request, long wireBytes) {
        ShipperIngest.Result result = ingest.commit(request, wireBytes);
        ApiProblem failure = result.firstFailure();
        if (failure != null) {
            throw failure;
        }
        return answer(200, 0, "Success", null, result.quotaHeaders());
    }

    private static boolean hasNext(MappingIterator<JsonNode> events, int number) {
        try {
            return events.hasNextValue();
        } catch (IOException e) {
            throw new HecError(400, 6, "Invalid data format", number);
        }
    }

    private static JsonNode next(MappingIterator<JsonNode> events, int number) {
        try {
            return events.nextValue();
        } catch (IOException e) {
            throw new HecError(400, 6, "Invalid data format", number);
        }
    }

    private static void addEvent(ShipperIngest.Request request, JsonLine line, JsonNode envelope, int number) {
        if (envelope == null || !envelope.isObject()) {
            throw new HecError(400, 6, "Invalid data format", number);
        }
        JsonNode event = envelope.get("event");
        if (event == null || event.isNull()) {
            throw new HecError(400, 12, "Event field is required", number);
        }
        if (event.isTextual() && event.asText().isBlank()) {
            throw new HecError(400, 13, "Event field cannot be blank", number);
        }
        JsonNode fields = envelope.path("fields");
        String label = fields.path("logai.source").asText(null);
        if (label == null) {
            label = envelope.path("source").asText(null);
        }
        if (label == null) {
            label = envelope.path("sourcetype").asText(null);
        }
        Instant time = time(envelope.get("time"), number);
        ShipperIngest.Group group = request.group(label, LogBatch.PayloadFormat.NDJSON);
        byte[] bytes;
        if (event.isObject()) {
            ObjectNode copy = ((ObjectNode) event).deepCopy();
            ObjectNode splunk = JsonNodeFactory.instance.objectNode();
            for (String key : new String[] {"host", "source", "sourcetype", "index"}) {
                if (envelope.hasNonNull(key)) {
                    splunk.set(key, envelope.get(key));
                }
            }
            if (fields.isObject() && !fields.isEmpty()) {
                splunk.set("fields", fields);
            }
            if (!splunk.isEmpty()) {
                copy.set("splunk", splunk);
            }
            if (time != null && !copy.has("time") && !copy.has("@timestamp") && !copy.has("timestamp")) {
                copy.put("time", time.toString());
            }
            bytes = copy.toString().getBytes(StandardCharsets.UTF_8);
        } else {
            line.start();
            line.field("time", time == null ? null : time.toString());
            line.field("message", event.asText());
            for (String key : new String[] {"host", "source", "sourcetype", "index"}) {
                line.field(key, envelope.path(key).asText(null));
            }
            if (fields.isObject() && !fields.isEmpty()) {
                line.field("fields", fields);
            }
            bytes = line.finish();
        }
        request.add(group, bytes, 0, bytes.length, time != null, number);
    }

    /**
     * HEC's {@code time}: epoch seconds, a number or a numeric string, with a fraction. Read as a
     * double (microsecond precision for current times) and bounded, so no value can cost more than
     * a parse.
     */
    private static Instant time(JsonNode t, int number) {
        if (t == null || t.isNull()) {
            return null;
        }
        String text = t.asText().trim();
        double seconds;
        try {
            seconds = text.length() > 32 ? Double.NaN : Double.parseDouble(text);
        } catch (NumberFormatException e) {
            seconds = Double.NaN;
        }
        // 0 to year 5138: anything else is not an event time
        if (!(seconds >= 0 && seconds < 1e11)) {
            throw new HecError(400, 6, "Invalid data format", number);
        }
        long whole = (long) Math.floor(seconds);
        long nanos = Math.round((seconds - whole) * 1e6) * 1000;
        return Instant.ofEpochSecond(whole, Math.min(nanos, 999_999_000L));
    }

    @ExceptionHandler(HecError.class)
    ResponseEntity<byte[]> hecError(HecError e) {
        return answer(e.status, e.code, e.getMessage(), e.eventNumber, null);
    }

    /** LogAi's own refusals (limits, quota, Kafka) with HEC's "server is busy" code or the nearest one. */
    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<byte[]> failed(ApiProblem problem) {
        int code = switch (problem.status()) {
            case 401 -> 3;
            case 403 -> 4;
            case 400, 413, 415 -> 6;
            default -> 9;
        };
        HttpHeaders headers = ShipperBodies.headersOf(problem);
        ResponseEntity<byte[]> base =
                answer(problem.status(), code, problem.title() + ": " + problem.getMessage(), null, null);
        return ResponseEntity.status(base.getStatusCode())
                .headers(headers)
                .contentType(MediaType.APPLICATION_JSON)
                .body(base.getBody());
    }

    private static ResponseEntity<byte[]> answer(
            int status, int code, String text, Integer eventNumber, java.util.Map<String, String> extraHeaders) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("text", text);
        root.put("code", code);
        if (eventNumber != null) {
            root.put("invalid-event-number", eventNumber);
        }
        HttpHeaders headers = new HttpHeaders();
        if (extraHeaders != null) {
            extraHeaders.forEach(headers::set);
        }
        return ResponseEntity.status(HttpStatus.valueOf(status))
                .headers(headers)
                .contentType(MediaType.APPLICATION_JSON)
                .body(root.toString().getBytes(StandardCharsets.UTF_8));
    }
}
