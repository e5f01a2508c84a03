package dev.logai.gateway.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * For bodies declared NDJSON: every line must be one JSON object. The check streams over tokens
 * without building objects. Lines the gateway truncated are exempt (a cut object cannot be valid);
 * they keep their flag and are parsed as text downstream.
 */
final class NdjsonValidator {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    /**
     * Checks the first {@code length} bytes of {@code line}.
     *
     * @return why the line is not one JSON object, or null when it is
     */
    String check(byte[] line, int length) {
        try (JsonParser parser = JSON.createParser(line, 0, length)) {
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
