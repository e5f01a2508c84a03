package dev.logai.gateway.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Writes one NDJSON line (a JSON object) for the pipeline from a shipper's record, reusing one
 * buffer: {@link #start}, the fields, {@link #finish} (the line's bytes, valid until the next
 * start). Field names follow what the pipeline's JSON parser reads (docs/parsing.md): {@code time},
 * {@code level}, {@code message}, {@code service.name}, {@code trace_id}, {@code span_id}, and the
 * shipper's labels and attributes under {@code attributes} / {@code resource}.
 */
final class JsonLine {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
    private JsonGenerator g;

    /** Begins a new line (the object's opening brace). */
    JsonGenerator start() {
        buffer.reset();
        try {
            g = MAPPER.getFactory().createGenerator(buffer);
            g.writeStartObject();
            return g;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code name: value} unless the value is null or empty. */
    void field(String name, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        try {
            g.writeStringField(name, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code name: value} (a JSON tree) unless null. */
    void field(String name, JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return;
        }
        try {
            g.writeFieldName(name);
            MAPPER.writeTree(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code name: "<RFC 3339 instant>"} for nanoseconds since the epoch, unless 0. */
    void timeNanos(String name, long epochNanos) {
        if (epochNanos <= 0) {
            return;
        }
        field(
                name,
                Instant.ofEpochSecond(epochNanos / 1_000_000_000L, epochNanos % 1_000_000_000L)
                        .toString());
    }

    /** Ends the object; the line's bytes (no line end). */
    byte[] finish() {
        try {
            g.writeEndObject();
            g.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    /** Why JSON did not parse, without Jackson's location dump of the input. */
    static String reason(IOException e) {
        return e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                ? j.getOriginalMessage()
                : e.getMessage();
    }

    /** The OTLP severity number (1–24) as a level name, or null for 0 / out of range. */
    static String otelSeverity(int number) {
        if (number <= 0 || number > 24) {
            return null;
        }
        return switch ((number - 1) / 4) {
            case 0 -> "TRACE";
            case 1 -> "DEBUG";
            case 2 -> "INFO";
            case 3 -> "WARN";
            case 4 -> "ERROR";
            default -> "FATAL";
        };
    }
}
