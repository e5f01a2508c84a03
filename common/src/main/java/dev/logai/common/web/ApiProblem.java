package dev.logai.common.web;

/**
 * An error a client can act on: HTTP status, a short title and a detail sentence that says what to
 * do. The services render it as RFC 9457 {@code application/problem+json}.
 */
public class ApiProblem extends RuntimeException {
    private final int status;
    private final String title;
    private Integer retryAfterSeconds;
    private final java.util.Map<String, Object> properties = new java.util.LinkedHashMap<>();
    private final java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();

    public ApiProblem(int status, String title, String detail) {
        // No stack trace: a problem is an answer, not a fault, and is never logged with one; this
        // keeps a flood of refused requests (429s) cheap.
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
    }

    public static ApiProblem badRequest(String detail) {
        return new ApiProblem(400, "Bad request", detail);
    }

    public static ApiProblem unauthorized(String detail) {
        return new ApiProblem(401, "Unauthorized", detail);
    }

    public static ApiProblem notFound(String title, String detail) {
        return new ApiProblem(404, title, detail);
    }

    public static ApiProblem unavailable(String title, String detail, int retryAfterSeconds) {
        return new ApiProblem(503, title, detail).retryAfterSeconds(retryAfterSeconds);
    }

    public ApiProblem retryAfterSeconds(int seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    /** Adds a member to the problem body beside title and detail (RFC 9457 extension member). */
    public ApiProblem property(String name, Object value) {
        properties.put(name, value);
        return this;
    }

    /** Adds a response header, e.g. the remaining quota. */
    public ApiProblem header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Extension members of the body, in insertion order. */
    public java.util.Map<String, Object> properties() {
        return properties;
    }

    /** Extra response headers. */
    public java.util.Map<String, String> headers() {
        return headers;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
