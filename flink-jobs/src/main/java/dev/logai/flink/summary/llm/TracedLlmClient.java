package dev.logai.flink.summary.llm;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.net.URI;
import java.util.List;

/**
 * An {@link LlmClient} whose every call is a client span, a child of the current span (the
 * summary's), named and attributed by OpenTelemetry's generative-AI conventions: {@code chat
 * <model>}, {@code gen_ai.operation.name}, {@code gen_ai.request.model}, {@code gen_ai.response.model},
 * {@code gen_ai.usage.input_tokens}/{@code output_tokens}, {@code server.address}, and {@code
 * error.type} on failure. Prompts and answers are never put on spans (they hold tenants' log lines).
 */
public final class TracedLlmClient implements LlmClient {
    private final LlmClient delegate;
    private final Tracer tracer;
    private final String host;

    /**
     * @param delegate the client that makes the call
     * @param tracer where the spans go
     * @param baseUrl the endpoint's base URL, for {@code server.address} (its host only)
     */
    public TracedLlmClient(LlmClient delegate, Tracer tracer, String baseUrl) {
        this.delegate = delegate;
        this.tracer = tracer;
        String h;
        try {
            h = URI.create(baseUrl).getHost();
        } catch (IllegalArgumentException | NullPointerException e) {
            h = null;
        }
        this.host = h == null ? "" : h;
    }

    @Override
    public Reply chat(List<Message> messages) throws LlmException {
        Span span = tracer.spanBuilder("chat " + delegate.model())
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute("gen_ai.operation.name", "chat")
                .setAttribute("gen_ai.provider.name", "openai")
                .setAttribute("gen_ai.request.model", delegate.model())
                .setAttribute("server.address", host)
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            Reply reply = delegate.chat(messages);
            span.setAttribute("gen_ai.response.model", reply.model() == null ? "" : reply.model());
            span.setAttribute("gen_ai.usage.input_tokens", reply.tokensIn());
            span.setAttribute("gen_ai.usage.output_tokens", reply.tokensOut());
            return reply;
        } catch (LlmException | RuntimeException e) {
            span.setAttribute("error.type", e.getClass().getName());
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            span.end();
        }
    }

    @Override
    public String model() {
        return delegate.model();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
