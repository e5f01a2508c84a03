package dev.logai.common.observability;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;

/**
 * Carries the current trace from a service into the Kafka record it writes: the W3C {@code
 * traceparent} (and {@code tracestate} when there is one) of the span in scope — the HTTP request's
 * server span, which continues the client's own {@code traceparent} — as record headers, so the
 * pipeline and any consumer can continue the trace. Nothing is added when no span is in scope.
 */
public final class KafkaTraceHeaders {
    /** The W3C trace context header (https://www.w3.org/TR/trace-context/). */
    public static final String TRACEPARENT = dev.logai.common.contract.Topics.HEADER_TRACEPARENT;

    private final Tracer tracer;
    private final Propagator propagator;

    /** @param tracer the service's tracer; @param propagator its propagator (W3C by Spring Boot's default) */
    public KafkaTraceHeaders(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /**
     * Adds the current span's trace context to {@code headers} (replacing headers of the same
     * names) and returns them; {@code headers} unchanged when no span is in scope.
     */
    public Headers inject(Headers headers) {
        Span span = tracer.currentSpan();
        if (span != null) {
            propagator.inject(span.context(), headers, (carrier, key, value) -> {
                carrier.remove(key);
                carrier.add(key, value.getBytes(StandardCharsets.UTF_8));
            });
        }
        return headers;
    }
}
