package dev.logai.gateway.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.logai.common.contract.RawLine;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * For bodies declared NDJSON: every line must be one JSON object. The check streams over tokens
 * without building objects. Lines the gateway truncated are exempt (a cut object cannot be valid);
 * they keep their flag and are parsed as text downstream.
 */
final class NdjsonValidator {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** Returns a description of the first invalid line, or empty when all are valid. */
    Optional<String> firstError(List<RawLine> lines) {
        for (int i = 0; i < lines.size(); i++) {
            RawLine line = lines.get(i);
            if (line.truncated()) {
                continue;
            }
            String error = check(line.bytes());
            if (error != null) {
                return Optional.of("line " + (i + 1) + " (counting non-blank lines) is not a JSON object: " + error);
            }
        }
        return Optional.empty();
    }

    private static String check(byte[] bytes) {
        try (JsonParser parser = JSON.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return "it does not start with '{'";
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                return "there is more than one JSON value on the line";
            }
            return null;
        } catch (JsonProcessingException e) {
            return e.getOriginalMessage();
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
