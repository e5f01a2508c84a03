package dev.logai.flink.runtime;

import dev.logai.flink.PipelineOptions;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;

/**
 * The pipeline's OpenTelemetry traces: the request traces the gateway put on the raw-lines records
 * ({@code traceparent}, W3C Trace Context, https://www.w3.org/TR/trace-context/) continue into the
 * spans of the job's outbound calls, the LLM summary and each alert delivery, exported over OTLP/HTTP
 * ({@code LOGAI_OTEL_EXPORT_ENABLED}, {@code LOGAI_OTEL_ENDPOINT}, {@code LOGAI_TRACE_SAMPLING}, as for
 * the services). The SDK is closed (its last spans flushed) when Flink releases the job's user-code
 * class loader ({@link #closeOnRelease}).
 *
 * <p>A summary or an alert comes from a window of many requests: its span continues the first of
 * the window's traces (an error line's request when there is one) and links the others, as
 * OpenTelemetry's messaging conventions do for a batch. Sampling follows the continued trace's
 * decision ({@code parentBased}); a span without a trace to continue is sampled at the ratio.
 */
public final class JobTracing {
    /** The instrumentation scope of the job's spans. */
    public static final String SCOPE = "dev.logai.flink";

    /** {@code 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>}, not all zeros (W3C, version 00). */
    private static final Pattern TRACEPARENT =
            Pattern.compile("00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}");

    /** One SDK per settings in a JVM (a TaskManager runs several operators that trace). */
    private static final Map<Settings, OpenTelemetry> SDKS = new ConcurrentHashMap<>();

    private JobTracing() {}

    /**
     * How the job exports its spans.
     *
     * @param export false: no spans at all (a no-op tracer)
     * @param endpoint the OTLP/HTTP traces URL, e.g. {@code http://127.0.0.1:4318/v1/traces}
     * @param sampling the share of new traces kept, 0–1 (continued traces keep their own decision)
     * @param serviceName {@code service.name} of the spans
     */
    public record Settings(boolean export, String endpoint, double sampling, String serviceName)
            implements Serializable {
        /** No tracing (tests, {@code ./logai analyze}). */
        public static final Settings OFF = new Settings(false, "", 0, "logai-pipeline");

        public Settings {
            if (sampling < 0 || sampling > 1) {
                throw new IllegalArgumentException("trace sampling must be within 0 and 1, was " + sampling);
            }
            if (export) {
                // checked here, when the job is built, not in an operator's open(): a bad URL would
                // otherwise fail every restart
                java.net.URI uri;
                try {
                    uri = java.net.URI.create(endpoint);
                } catch (IllegalArgumentException e) {
                    uri = null;
                }
                if (uri == null
                        || uri.getHost() == null
                        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                    throw new IllegalArgumentException(
                            "LOGAI_OTEL_ENDPOINT must be an http(s) URL such as http://127.0.0.1:4318/v1/traces");
                }
            }
        }

        /** The deployment's settings ({@code LOGAI_OTEL_*}, {@code LOGAI_TRACE_SAMPLING}). */
        public static Settings from(Configuration config) {
            return new Settings(
                    config.get(PipelineOptions.OTEL_EXPORT_ENABLED),
                    config.get(PipelineOptions.OTEL_ENDPOINT),
                    config.get(PipelineOptions.TRACE_SAMPLING),
                    "logai-pipeline");
        }
    }

    /**
     * The tracer of {@code settings} in this JVM: spans go to an OTLP/HTTP exporter in batches
     * (flushed when the JVM stops); a no-op tracer when export is off.
     */
    public static Tracer tracer(Settings settings) {
        if (!settings.export()) {
            return OpenTelemetry.noop().getTracer(SCOPE);
        }
        return SDKS.computeIfAbsent(settings, JobTracing::sdk).getTracer(SCOPE);
    }

    private static OpenTelemetry sdk(Settings s) {
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault()
                        .merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), s.serviceName()))))
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(s.sampling())))
                .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder()
                                .setEndpoint(s.endpoint())
                                .setTimeout(Duration.ofSeconds(10))
                                .build())
                        .setScheduleDelay(Duration.ofSeconds(2))
                        .build())
                .build();
        return OpenTelemetrySdk.builder()
                .setTracerProvider(provider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
    }

    /**
     * A header value that is a W3C {@code traceparent} of version 00, lower-case hex and not the
     * invalid all-zero ids; anything else (it came over the network) is null.
     */
    public static String validTraceParent(String header) {
        if (header == null) return null;
        String value = header.strip();
        return TRACEPARENT.matcher(value).matches() ? value : null;
    }

    /** The remote span context of a valid {@code traceparent}, or the invalid context. */
    public static SpanContext remoteContext(String traceParent) {
        String valid = validTraceParent(traceParent);
        if (valid == null) return SpanContext.getInvalid();
        return SpanContext.createFromRemoteParent(
                valid.substring(3, 35),
                valid.substring(36, 52),
                TraceFlags.fromHex(valid, 53),
                TraceState.getDefault());
    }

    /**
     * A span that continues {@code traceParents[0]} and links the others (invalid ones skipped):
     * start it, make it current around the work, end it.
     *
     * @param traceParents the requests behind the work, most telling first; empty: a new trace
     */
    public static Span start(Tracer tracer, String name, SpanKind kind, String[] traceParents) {
        SpanBuilder builder = tracer.spanBuilder(name).setSpanKind(kind);
        boolean parented = false;
        for (String traceParent : traceParents) {
            SpanContext remote = remoteContext(traceParent);
            if (!remote.isValid()) continue;
            if (!parented) {
                builder.setParent(Context.root().with(Span.wrap(remote)));
                parented = true;
            } else {
                builder.addLink(remote);
            }
        }
        if (!parented) {
            builder.setNoParent();
        }
        return builder.startSpan();
    }

    /**
     * Adds the current span's {@code traceparent} to {@code headers} (an outbound HTTP request's),
     * so the receiver can continue the trace. Only a span of this job is passed on: with tracing
     * off the current span is the request's own context, wrapped, and nothing is added.
     */
    public static void inject(Map<String, String> headers) {
        if (Span.current().getSpanContext().isRemote()
                || !Span.current().getSpanContext().isValid()) {
            return;
        }
        W3CTraceContextPropagator.getInstance().inject(Context.current(), headers, Map::put);
    }

    /**
     * Flushes and closes every SDK this class loader made (the job is cancelled, or its user-code
     * class loader released: a TaskManager of a session cluster must not keep the exporter thread
     * and the loader alive). Registered by each tracing operator ({@link #closeOnRelease}).
     */
    public static void closeAll() {
        SDKS.values().forEach(sdk -> {
            if (sdk instanceof OpenTelemetrySdk s) s.close();
        });
        SDKS.clear();
    }

    /**
     * Closes the SDKs when Flink releases the job's user-code class loader; nothing for a function
     * opened outside a running job (tests drive some directly).
     */
    public static void closeOnRelease(org.apache.flink.api.common.functions.AbstractRichFunction function) {
        try {
            function.getRuntimeContext()
                    .registerUserCodeClassLoaderReleaseHookIfAbsent("logai-tracing", JobTracing::closeAll);
        } catch (IllegalStateException notInAJob) {
            // no class loader to release
        }
    }
}
