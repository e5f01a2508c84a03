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
     * @param limit the most bytes read and the most bytes after decoding
     * @throws ApiProblem 413 past the limit, 415 for an unknown content encoding, 400 for a body that
     *     does not decode (corrupt gzip or snappy) or cannot be read, 408 for a body sent too slowly
     */
    static Body read(HttpServletRequest request, long limit, boolean snappyBlock) {
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            throw tooLarge("The request body", limit);
        }
        String encoding = encoding(request.getHeader("Content-Encoding"));
        byte[] wire;
        try (InputStream in = request.getInputStream()) {
            wire = readAll(in, limit, "The request body");
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
                case "gzip" -> readAll(new GZIPInputStream(new java.io.ByteArrayInputStream(wire)), limit, "decoded");
                case "deflate" ->
                    readAll(new InflaterInputStream(new java.io.ByteArrayInputStream(wire)), limit, "decoded");
                case "snappy" -> unsnappy(wire, limit);
                default -> wire;
            };
            if (snappyBlock && !"snappy".equals(encoding)) {
                decoded = unsnappy(decoded, limit);
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
    private static byte[] unsnappy(byte[] compressed, long limit) {
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

    private static byte[] readAll(InputStream in, long limit, String what) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > limit) {
                throw new OverLimit(what + " exceeds " + limit + " bytes");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
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
