package dev.logai.gateway.protocol;

import dev.logai.common.web.ApiProblem;
import dev.logai.common.web.RequestBodyLimitFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;
import org.xerial.snappy.Snappy;

/**
 * Reads a shipper's whole request body into memory, decoded: {@code Content-Encoding} gzip, deflate
 * or snappy (block format, as Loki's protobuf push), each bounded before and after decoding by the
 * gateway's body limit (a compression bomb stops at the limit). Shipper protocols are framed
 * messages (protobuf, JSON documents), so they are parsed whole; the bytes are held against the
 * request's memory budget by the caller.
 */
final class ShipperBodies {
    private ShipperBodies() {}

    /** The decoded body and the bytes received on the wire. */
    record Body(byte[] bytes, long wireBytes) {}

    /**
     * The decoded body of {@code request}.
     *
     * @param snappyBlock the body is snappy block-compressed whatever its headers say (Loki protobuf)
     * @param request the request, its body still unread
     * @param memory the request's memory reservation: every byte read and decoded is held first
     * @param limit the most bytes read and the most bytes after decoding
     * @throws ApiProblem 413 past the limit, 415 for an unknown content encoding, 400 for a body that
     *     does not decode (corrupt gzip or snappy) or cannot be read, 408 for a body sent too slowly
     */
    static Body read(HttpServletRequest request, long limit, boolean snappyBlock, ShipperIngest.Request memory) {
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            throw tooLarge("The request body", limit);
        }
        String encoding = encoding(request.getHeader("Content-Encoding"));
        byte[] wire;
        try (InputStream in = request.getInputStream()) {
            wire = readAll(in, limit, "The request body", memory, declared);
        } catch (RequestBodyLimitFilter.BodyTooLargeException | OverLimit e) {
            throw tooLarge("The request body", limit);
        } catch (RequestBodyLimitFilter.SlowBodyException e) {
            throw new ApiProblem(408, "Body too slow", e.getMessage() + "; nothing was accepted.");
        } catch (IOException e) {
            throw new ApiProblem(
                    400, "Unreadable body", "The request body could not be read completely (" + e.getMessage() + ").");
        }
        byte[] decoded = wire;
        try {
            decoded = switch (encoding) {
                case "gzip" ->
                    readAll(new GZIPInputStream(new java.io.ByteArrayInputStream(wire)), limit, "decoded", memory, -1);
                case "deflate" ->
                    readAll(
                            new InflaterInputStream(new java.io.ByteArrayInputStream(wire)),
                            limit,
                            "decoded",
                            memory,
                            -1);
                case "snappy" -> unsnappy(wire, limit, memory);
                default -> wire;
            };
            if (snappyBlock && !"snappy".equals(encoding)) {
                decoded = unsnappy(decoded, limit, memory);
            }
        } catch (ZipException | EOFException e) {
            throw new ApiProblem(
                    400,
                    "Corrupt " + encoding + " body",
                    "The body is declared 'Content-Encoding: " + encoding + "' but does not decode (" + e.getMessage()
                            + "). Nothing was accepted.");
        } catch (OverLimit e) {
            throw tooLarge("The decoded body", limit);
        } catch (IOException e) {
            throw new ApiProblem(400, "Undecodable body", "The body does not decode: " + e.getMessage() + ".");
        }
        return new Body(decoded, wire.length);
    }

    /** Snappy block format (not the framing format), bounded by the length it declares. */
    private static byte[] unsnappy(byte[] compressed, long limit, ShipperIngest.Request memory) {
        try {
            if (!Snappy.isValidCompressedBuffer(compressed)) {
                throw new ApiProblem(
                        400,
                        "Corrupt snappy body",
                        "The body is not snappy block-compressed data (Loki's protobuf push is a snappy-compressed"
                                + " PushRequest). Nothing was accepted.");
            }
            int length = Snappy.uncompressedLength(compressed);
            if (length > limit) {
                throw tooLarge("The decoded body", limit);
            }
            memory.hold(length);
            return Snappy.uncompress(compressed);
        } catch (IOException e) {
            throw new ApiProblem(
                    400, "Corrupt snappy body", "The snappy body does not decode (" + e.getMessage() + ").");
        }
    }

    private static String encoding(String header) {
        if (header == null || header.isBlank()) {
            return "identity";
        }
        String e = header.trim().toLowerCase(Locale.ROOT);
        return switch (e) {
            case "gzip", "x-gzip" -> "gzip";
            case "deflate", "snappy", "identity" -> e;
            default ->
                throw new ApiProblem(
                        415,
                        "Unsupported content encoding",
                        "Content-Encoding '" + header + "' is not supported. Send gzip, deflate, snappy or an"
                                + " uncompressed body.");
        };
    }

    /**
     * Reads {@code in} to its end, holding every byte against {@code memory} before it is stored:
     * into one array of the declared length when there is one, else into a growing buffer (held
     * three times over: the buffer doubles, then is copied out).
     */
    private static byte[] readAll(InputStream in, long limit, String what, ShipperIngest.Request memory, long declared)
            throws IOException {
        if (declared >= 0 && declared <= limit) {
            memory.hold(declared);
            byte[] body = new byte[(int) declared];
            int at = 0;
            int n;
            while (at < body.length && (n = in.read(body, at, body.length - at)) > 0) {
                at += n;
            }
            if (at < body.length) {
                throw new EOFException("the body ended after " + at + " of its " + declared + " declared bytes");
            }
            if (in.read() >= 0) {
                throw new OverLimit(what + " is longer than its Content-Length");
            }
            return body;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > limit) {
                throw new OverLimit(what + " exceeds " + limit + " bytes");
            }
            memory.hold(3L * n);
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /**
     * How many messages lie at {@code path} (field numbers, outermost first) of a protobuf message,
     * counted without building them: what parsing it will cost is held before it is parsed. Returns
     * what it counted before any malformed part (the parse then refuses the body).
     */
    static long protobufMessages(byte[] message, int... path) {
        return countAt(com.google.protobuf.CodedInputStream.newInstance(message), path, 0);
    }

    private static long countAt(com.google.protobuf.CodedInputStream in, int[] path, int depth) {
        long count = 0;
        try {
            int tag;
            while ((tag = in.readTag()) != 0) {
                boolean wanted = com.google.protobuf.WireFormat.getTagFieldNumber(tag) == path[depth]
                        && com.google.protobuf.WireFormat.getTagWireType(tag)
                                == com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED;
                if (!wanted) {
                    in.skipField(tag);
                } else if (depth == path.length - 1) {
                    count++;
                    in.skipField(tag);
                } else {
                    int length = in.readRawVarint32();
                    int old = in.pushLimit(length);
                    count += countAt(in, path, depth + 1);
                    in.popLimit(old);
                }
            }
        } catch (IOException | RuntimeException malformed) {
            // counted so far; the real parse reports the error
        }
        return count;
    }

    /**
     * Holds what parsing a JSON document into a tree costs, from a token scan that builds nothing:
     * objects and arrays count as records (refused past {@link
     * ShipperIngest#MAX_RECORDS_PER_REQUEST}, {@link ShipperIngest#BYTES_PER_PARSED_RECORD} each),
     * scalars 48 bytes each. With {@code oneValueAtATime} (concatenated values parsed and dropped one
     * by one, as HEC's envelopes) only the largest value's tree is held. A malformed document is held
     * as far as it scanned; its parse then refuses it.
     */
    static void holdJsonTree(ShipperIngest.Request memory, byte[] json, boolean oneValueAtATime) {
        long containers = 0;
        long scalars = 0;
        long records = 0;
        long largest = 0;
        try (com.fasterxml.jackson.core.JsonParser p =
                JsonLine.MAPPER.getFactory().createParser(json)) {
            com.fasterxml.jackson.core.JsonToken t;
            int depth = 0;
            while ((t = p.nextToken()) != null) {
                if (t == com.fasterxml.jackson.core.JsonToken.START_OBJECT
                        || t == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                    containers++;
                    depth++;
                } else if (t == com.fasterxml.jackson.core.JsonToken.END_OBJECT
                        || t == com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                    depth--;
                } else if (t.isScalarValue()) {
                    scalars++;
                }
                if (depth == 0 && t != com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                    records++;
                    largest = Math.max(largest, containers * ShipperIngest.BYTES_PER_PARSED_RECORD + 48 * scalars);
                    if (oneValueAtATime) {
                        containers = 0;
                        scalars = 0;
                    }
                }
            }
        } catch (IOException malformed) {
            // held as far as it scanned
        }
        long open = containers * ShipperIngest.BYTES_PER_PARSED_RECORD + 48 * scalars;
        if (oneValueAtATime) {
            holdParsed(memory, records, 64);
            memory.hold(Math.max(largest, open));
        } else {
            holdParsed(memory, containers, ShipperIngest.BYTES_PER_PARSED_RECORD);
            memory.hold(48 * scalars);
        }
    }

    /**
     * Holds {@code bytesEach} for each of {@code records} parsed records, refusing a request with more
     * than {@link ShipperIngest#MAX_RECORDS_PER_REQUEST}.
     *
     * @throws ApiProblem 413 past the record limit; 429/503/413 from the memory budget
     */
    static void holdParsed(ShipperIngest.Request memory, long records, long bytesEach) {
        requireRecords(records);
        memory.hold(records * bytesEach);
    }

    /** As {@link #holdParsed(ShipperIngest.Request, long, long)} at {@link ShipperIngest#BYTES_PER_PARSED_RECORD} each. */
    static void holdParsed(ShipperIngest.Request memory, long records) {
        holdParsed(memory, records, ShipperIngest.BYTES_PER_PARSED_RECORD);
    }

    /** @throws ApiProblem 413 when one request carries more than {@link ShipperIngest#MAX_RECORDS_PER_REQUEST} records */
    static void requireRecords(long records) {
        if (records > ShipperIngest.MAX_RECORDS_PER_REQUEST) {
            throw new ApiProblem(
                    413,
                    "Too many records",
                    "This request holds more than " + ShipperIngest.MAX_RECORDS_PER_REQUEST + " records, the most one"
                            + " request may carry. Nothing was accepted; send smaller batches.");
        }
    }

    /** More bytes than the limit were read or decoded. */
    private static final class OverLimit extends IOException {
        OverLimit(String message) {
            super(message);
        }
    }

    /** The headers a refusal carries in every protocol's answer: its own ({@code LogAi-Quota-*}…) and {@code Retry-After}. */
    static org.springframework.http.HttpHeaders headersOf(ApiProblem problem) {
        org.springframework.http.HttpHeaders headers = new org.springframework.http.HttpHeaders();
        problem.headers().forEach(headers::set);
        if (problem.retryAfterSeconds() != null) {
            headers.set(org.springframework.http.HttpHeaders.RETRY_AFTER, String.valueOf(problem.retryAfterSeconds()));
        }
        return headers;
    }

    static ApiProblem tooLarge(String what, long limit) {
        return new ApiProblem(
                413,
                "Body too large",
                what + " is larger than " + limit + " bytes. Nothing was accepted; send smaller batches (most"
                        + " shippers have a batch size setting).");
    }
}
