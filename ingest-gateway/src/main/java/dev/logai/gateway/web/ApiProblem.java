package dev.logai.gateway.web;

import org.springframework.http.HttpStatus;

/** An error a client can act on, rendered as {@code application/problem+json}. */
public class ApiProblem extends RuntimeException {
    private final HttpStatus status;
    private final String title;
    private Integer retryAfterSeconds;

    public ApiProblem(HttpStatus status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    public ApiProblem retryAfterSeconds(int seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
