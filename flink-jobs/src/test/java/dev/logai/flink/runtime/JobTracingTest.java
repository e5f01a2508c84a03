package dev.logai.flink.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class JobTracingTest {
    static final String SAMPLED = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    static final String NOT_SAMPLED = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00";

    @Test
    void onlyWellFormedVersionZeroTraceParentsAreRead() {
        assertThat(JobTracing.validTraceParent(" " + SAMPLED + " ")).isEqualTo(SAMPLED);
        assertThat(JobTracing.validTraceParent(null)).isNull();
        assertThat(JobTracing.validTraceParent("00-00000000000000000000000000000000-00f067aa0ba902b7-01"))
                .isNull();
        assertThat(JobTracing.validTraceParent("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"))
                .isNull();
        assertThat(JobTracing.validTraceParent(SAMPLED.toUpperCase())).isNull();
        assertThat(JobTracing.validTraceParent("01" + SAMPLED.substring(2))).isNull();
        assertThat(JobTracing.validTraceParent(SAMPLED + "-extra")).isNull();
    }

    @Test
    void aSpanContinuesTheFirstTraceLinksTheOthersAndFollowsItsSamplingDecision() {
        List<SpanData> ended = new CopyOnWriteArrayList<>();
        SpanExporter collect = new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                ended.addAll(spans);
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
        try (SdkTracerProvider provider = SdkTracerProvider.builder()
                .setSampler(Sampler.parentBased(Sampler.alwaysOff()))
                .addSpanProcessor(SimpleSpanProcessor.create(collect))
                .build()) {
            var tracer = provider.get("test");
            JobTracing.start(tracer, "kept", SpanKind.INTERNAL, new String[] {"garbage", SAMPLED, NOT_SAMPLED})
                    .end();
            JobTracing.start(tracer, "dropped", SpanKind.INTERNAL, new String[] {NOT_SAMPLED, SAMPLED})
                    .end();
            Span root = JobTracing.start(tracer, "new trace", SpanKind.INTERNAL, new String[0]);
            assertThat(root.getSpanContext().isSampled())
                    .as("a new trace at the ratio (0 here)")
                    .isFalse();
            root.end();
        }
        assertThat(ended).singleElement().satisfies(span -> {
            assertThat(span.getName()).isEqualTo("kept");
            assertThat(span.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
            assertThat(span.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
            assertThat(span.getLinks())
                    .singleElement()
                    .satisfies(l ->
                            assertThat(l.getSpanContext().getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c"));
        });
    }

    @Test
    void withTracingOffNothingIsPassedOnAndABadEndpointIsRefusedAtBuildTime() {
        Span span = JobTracing.start(
                JobTracing.tracer(JobTracing.Settings.OFF), "off", SpanKind.CLIENT, new String[] {SAMPLED});
        java.util.Map<String, String> headers = new java.util.HashMap<>();
        try (var ignored = span.makeCurrent()) {
            JobTracing.inject(headers);
        }
        assertThat(headers)
                .as("the request's own trace context is not forwarded")
                .isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new JobTracing.Settings(true, "collector:4318/v1/traces", 0.1, "logai-pipeline"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LOGAI_OTEL_ENDPOINT");
        assertThat(new JobTracing.Settings(false, "not a url", 0.1, "logai-pipeline").export())
                .isFalse();
    }
}
