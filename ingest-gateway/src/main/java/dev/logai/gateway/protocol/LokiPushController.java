package dev.logai.gateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.logai.common.contract.LogBatch;
import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.web.ApiKeyFilter;
import dev.logai.common.web.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Grafana Loki's push API: {@code POST /loki/api/v1/push}, a snappy-compressed protobuf {@code
 * PushRequest} ({@code application/x-protobuf}, as Promtail, Alloy, Fluent Bit's {@code loki} output
 * and the Docker driver send it) or JSON ({@code application/json}, optionally gzip). Source of the
 * format: Loki's {@code pkg/push/push.proto} and the HTTP API docs ("Ingest logs").
 *
 * <p>Each entry becomes one JSON line: {@code time}, {@code message} (the entry's line), {@code
 * level} (label or structured metadata {@code level} / {@code detected_level} / {@code severity}),
 * {@code service.name} (label {@code service_name}), the stream's {@code labels} and the entry's
 * {@code metadata} (structured metadata). Source: label {@code logai_source} (metadata {@code
 * logai.source}), then {@code service_name}, {@code job}, {@code app} ({@link SourceRouter}).
 *
 * <p>Answers as Loki: 204 when every entry was stored; errors are the status with a plain-text
 * reason (400 bad body, nothing accepted; 413; 429/503 with {@code Retry-After}).
 */
@RestController
class LokiPushController {
    private static final String[] SOURCE_LABELS = {"logai_source", "service_name", "job", "app"};

    private final ShipperIngest ingest;

    LokiPushController(ShipperIngest ingest) {
        this.ingest = ingest;
    }

    /** One stream: its labels and entries. */
    private record Stream(Map<String, String> labels, List<Entry> entries) {}

    /** One entry: time in ns since the epoch, the line, structured metadata. */
    private record Entry(long nanos, String line, Map<String, String> metadata) {}

    @PostMapping("/loki/api/v1/push")
    ResponseEntity<Void> push(HttpServletRequest http) {
        ApiPrincipal caller = ApiKeyFilter.principal(http);
        String type = http.getContentType() == null
                ? "application/x-protobuf"
                : http.getContentType().split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        boolean json = type.equals("application/json");
        if (!json && !type.equals("application/x-protobuf") && !type.equals("application/protobuf")) {
            throw new ApiProblem(
                    415,
                    "Unsupported content type",
                    "Loki push takes application/x-protobuf (snappy) or application/json, not '" + type + "'.");
        }
        try (ShipperIngest.Request request = ingest.open(caller, "loki", http.getHeader("Idempotency-Key"))) {
            ShipperBodies.Body body = ShipperBodies.read(http, ingest.maxBodyBytes(), !json, request);
            if (json) {
                ShipperBodies.holdJsonTree(request, body.bytes(), false);
            } else {
                // streams 1 → entries 2, and each entry's structured metadata 3
                ShipperBodies.holdParsed(
                        request,
                        ShipperBodies.protobufMessages(body.bytes(), 1, 2)
                                + ShipperBodies.protobufMessages(body.bytes(), 1, 2, 3));
            }
            List<Stream> streams = json ? fromJson(body.bytes()) : fromProtobuf(body.bytes());
            JsonLine line = new JsonLine();
            for (Stream s : streams) {
                String label = null;
                for (String name : SOURCE_LABELS) {
                    label = s.labels().get(name);
                    if (label != null) {
                        break;
                    }
                }
                // the stream's labels name its source; an entry's structured metadata only when the
                // stream has no logai_source label (README, "Shippers")
                boolean labelled = s.labels().containsKey("logai_source");
                ObjectNode labels = JsonNodeFactory.instance.objectNode();
                s.labels().forEach(labels::put);
                for (Entry e : s.entries()) {
                    String metaSource = labelled ? null : e.metadata().get("logai.source");
                    ShipperIngest.Group group =
                            request.group(metaSource != null ? metaSource : label, LogBatch.PayloadFormat.NDJSON);
                    line.start();
                    line.timeNanos("time", e.nanos());
                    line.field("level", level(s.labels(), e.metadata()));
                    line.field("message", e.line());
                    line.field("service.name", s.labels().get("service_name"));
                    if (!labels.isEmpty()) {
                        line.field("labels", labels);
                    }
                    if (!e.metadata().isEmpty()) {
                        ObjectNode meta = JsonNodeFactory.instance.objectNode();
                        e.metadata().forEach(meta::put);
                        line.field("metadata", meta);
                    }
                    byte[] bytes = line.finish();
                    request.add(group, bytes, 0, bytes.length, e.nanos() > 0, 0);
                }
            }
            ShipperIngest.Result result = ingest.commit(request, body.wireBytes());
            ApiProblem failure = result.firstFailure();
            if (failure != null) {
                throw failure;
            }
            HttpHeaders headers = new HttpHeaders();
            result.quotaHeaders().forEach(headers::set);
            return ResponseEntity.noContent().headers(headers).build();
        }
    }

    /** Loki answers errors as plain text with the status. */
    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<String> failed(ApiProblem problem) {
        HttpHeaders headers = ShipperBodies.headersOf(problem);
        return ResponseEntity.status(HttpStatus.valueOf(problem.status()))
                .headers(headers)
                .contentType(MediaType.TEXT_PLAIN)
                .body(problem.title() + ": " + problem.getMessage() + "\n");
    }

    private static String level(Map<String, String> labels, Map<String, String> metadata) {
        for (String key : new String[] {"level", "detected_level", "severity", "lvl"}) {
            String v = metadata.get(key);
            if (v == null) {
                v = labels.get(key);
            }
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    // --- protobuf: PushRequest { repeated StreamAdapter streams = 1; } ---

    private static List<Stream> fromProtobuf(byte[] body) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(body);
            List<Stream> streams = new ArrayList<>();
            int tag;
            while ((tag = in.readTag()) != 0) {
                if (WireFormat.getTagFieldNumber(tag) == 1) {
                    streams.add(stream(in.readByteArray()));
                } else if (!in.skipField(tag)) {
                    break;
                }
            }
            return streams;
        } catch (IOException | RuntimeException e) {
            throw invalid("The body is not a snappy-compressed Loki PushRequest (" + e.getMessage() + ").");
        }
    }

    /** StreamAdapter { string labels = 1; repeated EntryAdapter entries = 2; uint64 hash = 3; }. */
    private static Stream stream(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        Map<String, String> labels = Map.of();
        List<Entry> entries = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> labels = parseLabels(in.readStringRequireUtf8());
                case 2 -> entries.add(entry(in.readByteArray()));
                default -> in.skipField(tag);
            }
        }
        return new Stream(labels, entries);
    }

    /** EntryAdapter { Timestamp timestamp = 1; string line = 2; repeated LabelPairAdapter structuredMetadata = 3; }. */
    private static Entry entry(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        long nanos = 0;
        String line = "";
        Map<String, String> metadata = new LinkedHashMap<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> nanos = timestamp(in.readByteArray());
                case 2 -> line = in.readStringRequireUtf8();
                case 3 -> {
                    String[] pair = labelPair(in.readByteArray());
                    metadata.put(pair[0], pair[1]);
                }
                default -> in.skipField(tag);
            }
        }
        return new Entry(nanos, line, metadata);
    }

    private static long timestamp(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        long seconds = 0;
        int nanos = 0;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> seconds = in.readInt64();
                case 2 -> nanos = in.readInt32();
                default -> in.skipField(tag);
            }
        }
        return seconds * 1_000_000_000L + nanos;
    }

    private static String[] labelPair(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        String[] pair = {"", ""};
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> pair[0] = in.readStringRequireUtf8();
                case 2 -> pair[1] = in.readStringRequireUtf8();
                default -> in.skipField(tag);
            }
        }
        return pair;
    }

    /**
     * A stream selector's labels, {@code {name="value", …}} (Prometheus text format: values are
     * double-quoted with backslash escapes).
     *
     * @throws ApiProblem 400 when it is not of that shape
     */
    static Map<String, String> parseLabels(String selector) {
        Map<String, String> labels = new LinkedHashMap<>();
        String s = selector.strip();
        if (s.isEmpty() || s.equals("{}")) {
            return labels;
        }
        if (!s.startsWith("{") || !s.endsWith("}")) {
            throw invalid("Stream labels must look like {name=\"value\"}, not '" + selector + "'.");
        }
        int i = 1;
        int end = s.length() - 1;
        while (i < end) {
            while (i < end && (s.charAt(i) == ' ' || s.charAt(i) == ',')) {
                i++;
            }
            if (i >= end) {
                break;
            }
            int eq = s.indexOf('=', i);
            if (eq < 0 || eq + 1 >= end || s.charAt(eq + 1) != '"') {
                throw invalid("Stream labels must look like {name=\"value\"}, not '" + selector + "'.");
            }
            String name = s.substring(i, eq).strip();
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            while (j < end && s.charAt(j) != '"') {
                char c = s.charAt(j);
                if (c == '\\' && j + 1 < end) {
                    char n = s.charAt(++j);
                    value.append(n == 'n' ? '\n' : n == 't' ? '\t' : n);
                } else {
                    value.append(c);
                }
                j++;
            }
            if (j >= end) {
                throw invalid("A label value in '" + selector + "' is not closed by a double quote.");
            }
            labels.put(name, value.toString());
            i = j + 1;
        }
        return labels;
    }

    // --- JSON: {"streams":[{"stream":{labels},"values":[["<ns>","line",{metadata}]]}]} ---

    private static List<Stream> fromJson(byte[] body) {
        JsonNode root;
        try {
            root = JsonLine.MAPPER.readTree(body);
        } catch (IOException e) {
            throw invalid("The body is not JSON (" + e.getMessage() + ").");
        }
        if (root == null || !root.path("streams").isArray()) {
            throw invalid("The body must be {\"streams\": [...]}.");
        }
        List<Stream> streams = new ArrayList<>();
        for (JsonNode s : root.get("streams")) {
            Map<String, String> labels = new LinkedHashMap<>();
            s.path("stream")
                    .fields()
                    .forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
            List<Entry> entries = new ArrayList<>();
            for (JsonNode v : s.path("values")) {
                if (!v.isArray() || v.size() < 2 || !v.get(1).isTextual()) {
                    throw invalid("Each value must be [\"<unix epoch in nanoseconds>\", \"<log line>\"], got " + v);
                }
                long nanos;
                try {
                    nanos = Long.parseLong(v.get(0).asText().trim());
                } catch (NumberFormatException e) {
                    throw invalid("The timestamp '" + v.get(0).asText() + "' is not nanoseconds since the epoch.");
                }
                Map<String, String> metadata = new LinkedHashMap<>();
                if (v.size() > 2 && v.get(2).isObject()) {
                    v.get(2)
                            .fields()
                            .forEachRemaining(
                                    f -> metadata.put(f.getKey(), f.getValue().asText()));
                }
                entries.add(new Entry(nanos, v.get(1).asText(), metadata));
            }
            streams.add(new Stream(labels, entries));
        }
        return streams;
    }

    private static ApiProblem invalid(String detail) {
        return new ApiProblem(400, "Invalid push request", detail + " Nothing was accepted.");
    }
}
