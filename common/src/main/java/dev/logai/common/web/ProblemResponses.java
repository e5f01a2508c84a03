package dev.logai.common.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error of a LogAi service leaves as RFC 9457 problem+json with a message a person can act
 * on, never a stack trace or class name. Spring's own errors (bad parameter, wrong method, ...)
 * are rendered by the {@link ResponseEntityExceptionHandler} base class in the same format.
 */
@RestControllerAdvice
public class ProblemResponses extends ResponseEntityExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponses.class);

    /** Request attribute holding the {@link ApiProblem} answered, for the request metrics. */
    public static final String PROBLEM_ATTRIBUTE = ProblemResponses.class.getName() + ".problem";

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ProblemDetail> apiProblem(ApiProblem problem, HttpServletRequest request) {
        request.setAttribute(PROBLEM_ATTRIBUTE, problem);
        return apiProblem(problem);
    }

    private ResponseEntity<ProblemDetail> apiProblem(ApiProblem problem) {
        HttpStatus status = HttpStatus.valueOf(problem.status());
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, problem.getMessage());
        body.setTitle(problem.title());
        body.setType(URI.create("about:blank"));
        problem.properties().forEach(body::setProperty);
        HttpHeaders headers = new HttpHeaders();
        problem.headers().forEach(headers::set);
        if (problem.retryAfterSeconds() != null) {
            headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(problem.retryAfterSeconds()));
        }
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(body, headers, status);
    }

    /** A body cut off by {@link RequestBodyLimitFilter} is 413 or 408, not a 400 about its JSON. */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestBodyLimitFilter.BodyTooLargeException
                    || cause instanceof RequestBodyLimitFilter.SlowBodyException) {
                ApiProblem problem = cause instanceof RequestBodyLimitFilter.BodyTooLargeException
                        ? new ApiProblem(413, "Body too large", cause.getMessage() + "; nothing was done. Send less.")
                        : new ApiProblem(
                                408,
                                "Body too slow",
                                cause.getMessage() + "; nothing was done. Send it" + " again at a higher rate.");
                return ResponseEntity.status(problem.status())
                        .headers(h -> h.set(HttpHeaders.CONNECTION, "close"))
                        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                        .body(apiProblem(problem).getBody());
            }
        }
        // Spring's own detail ("Failed to read request") says nothing a person can act on; the
        // parser's message is not echoed either, since it may quote the body.
        return ResponseEntity.status(HttpStatus.BAD_REQUEST)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(apiProblem(new ApiProblem(
                                400,
                                "Malformed request body",
                                "The request body is not a JSON object this endpoint can read: check its quotes,"
                                        + " commas and field types (see docs/openapi.yaml). Nothing was changed."))
                        .getBody());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        LOG.error("Unexpected error while handling a request", e);
        ProblemDetail body = ProblemDetail.forStatusAndDetail(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "Something went wrong on our side; nothing from this request was changed. Retry, and contact"
                        + " support if it persists.");
        body.setTitle("Internal error");
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(body);
    }
}
