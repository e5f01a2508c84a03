package dev.logai.tools.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The client side of LogAi's upload flow over HTTP: {@code POST /v1/logs/upload-url} on the
 * gateway, the PUT of the file straight to the pre-signed URL, {@code POST /v1/logs/register-upload},
 * then {@code GET /v1/uploads/{id}} on the query API. Used by {@code ./logai upload} and {@code
 * ./logai bench upload}.
 */
public final class UploadClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String gatewayUrl;
    private final String apiUrl;
    private final String apiKey;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** A failed call: the service's problem detail, or what went wrong. */
    public static final class UploadException extends IOException {
        UploadException(String message) {
            super(message);
        }
    }

    /**
     * @param gatewayUrl the gateway's base URL (upload-url, register-upload)
     * @param apiUrl the query API's base URL (sources, uploads)
     * @param apiKey a key with the ingest scope for the source and the read scope
     */
    public UploadClient(String gatewayUrl, String apiUrl, String apiKey) {
        this.gatewayUrl = strip(gatewayUrl);
        this.apiUrl = strip(apiUrl);
        this.apiKey = apiKey;
    }

    /** A file to upload: its size in bytes and SHA-256 (hex), read once. */
    public record FileFacts(Path path, long size, String sha256) {
        /**
         * Reads {@code path} once for its size and SHA-256.
         *
         * @throws FileNotFoundException when it is not a regular file; IOException when it cannot be read
         */
        public static FileFacts of(Path path) throws IOException {
            if (!Files.isRegularFile(path)) {
                throw new FileNotFoundException(path + " is not a file");
            }
            try (InputStream in = Files.newInputStream(path)) {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[1 << 16];
                long size = 0;
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha.update(buffer, 0, n);
                    size += n;
                }
                return new FileFacts(path, size, HexFormat.of().formatHex(sha.digest()));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * The id of the source named {@code nameOrId} ({@code src_…} ids are taken as they are).
     *
     * @throws UploadException when the org has no source of that name
     */
    public String sourceId(String nameOrId) throws IOException, InterruptedException {
        if (nameOrId.matches("src_[a-z2-7]+")) {
            return nameOrId;
        }
        for (JsonNode source : get("/v1/sources").get("items")) {
            if (source.get("name").asText().equals(nameOrId)) {
                return source.get("id").asText();
            }
        }
        throw new UploadException("Your org has no source named '" + nameOrId + "' (see GET /v1/sources).");
    }

    /** upload-url, then the PUT ({@code progress} gets the bytes sent so far); the answer of upload-url. */
    public JsonNode put(FileFacts file, String sourceId, LongConsumer progress)
            throws IOException, InterruptedException {
        String name = file.path().getFileName().toString();
        String body = JSON.createObjectNode()
                .put("source_id", sourceId)
                .put("filename", name)
                .put("size", file.size())
                .put("sha256", file.sha256())
                .toString();
        JsonNode url = send(gatewayUrl, "/v1/logs/upload-url", "POST", body, 200);
        HttpRequest.Builder put = HttpRequest.newBuilder(
                        URI.create(url.get("url").asText()))
                .PUT(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> counting(file, progress)), file.size()));
        url.get("headers").fields().forEachRemaining(h -> {
            if (!h.getKey().equalsIgnoreCase("content-length")) {
                put.header(h.getKey(), h.getValue().asText());
            }
        });
        HttpResponse<String> stored = http.send(put.build(), HttpResponse.BodyHandlers.ofString());
        if (stored.statusCode() != 200) {
            throw new UploadException("The object store refused the file (" + stored.statusCode() + "): "
                    + stored.body().replaceAll("\\s+", " "));
        }
        return url;
    }

    /** register-upload of what {@link #put} stored; the answer ({@code upload_id}, {@code status}). */
    public JsonNode register(FileFacts file, JsonNode url, String sourceId) throws IOException, InterruptedException {
        String body = JSON.createObjectNode()
                .put("object_key", url.get("object_key").asText())
                .put("size", file.size())
                .put("hash", "sha256:" + file.sha256())
                .put("source_id", sourceId)
                .toString();
        return send(gatewayUrl, "/v1/logs/register-upload", "POST", body, 202);
    }

    /** {@code GET /v1/uploads/{id}}: the upload, its chunks and results. */
    public JsonNode upload(String uploadId) throws IOException, InterruptedException {
        return get("/v1/uploads/" + uploadId);
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return send(apiUrl, path, "GET", null, 200);
    }

    private JsonNode send(String base, String path, String method, String body, int expected)
            throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(60))
                        .header("Authorization", "Bearer " + apiKey)
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            String detail = r.body();
            try {
                JsonNode problem = JSON.readTree(r.body());
                detail = problem.path("title").asText() + ": "
                        + problem.path("detail").asText();
            } catch (IOException notJson) {
                // keep the raw body
            }
            throw new UploadException(method + " " + path + " answered " + r.statusCode() + " — " + detail);
        }
        return JSON.readTree(r.body());
    }

    /**
     * The file's first {@code file.size()} bytes, the ones hashed: a log still being appended to is
     * uploaded as it was when hashed, so the signed length and checksum hold.
     */
    private static InputStream counting(FileFacts file, LongConsumer progress) {
        try {
            AtomicLong sent = new AtomicLong();
            return new java.io.FilterInputStream(Files.newInputStream(file.path())) {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) == 1 ? one[0] & 0xFF : -1;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    long left = file.size() - sent.get();
                    if (left <= 0) return -1;
                    int n = super.read(b, off, (int) Math.min(len, left));
                    if (n > 0) progress.accept(sent.addAndGet(n));
                    return n;
                }
            };
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
