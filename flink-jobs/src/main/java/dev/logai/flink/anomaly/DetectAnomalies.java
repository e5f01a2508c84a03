package dev.logai.flink.anomaly;

import dev.logai.flink.summary.WindowFindings;
import dev.logai.flink.window.WindowMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Judges each complete window of an (org, source) — keyed by {@code org/source}, as
 * {@link dev.logai.flink.window.MetricsKey} keys them — against that source's baselines: reads the
 * baselines from keyed state, calls each {@link WindowDetector} of {@link #DETECTORS} in order,
 * writes the baselines back. Each detector costs O(1) per metric, and only the services and
 * templates present in the window are read.
 *
 * <p>In: {@link WindowMetrics}; incomplete (early) windows and updates of a window already judged
 * (late lines) are ignored, so baselines move once per window. Out: the {@link Anomaly anomalies}
 * of the window (none during the first {@link DetectorSettings#warmup()} windows of a source), and
 * on {@link #FINDINGS} every judged window with its anomalies, for the summaries.
 */
public class DetectAnomalies extends KeyedProcessFunction<String, WindowMetrics, Anomaly> {
    /**
     * The detectors, in the order their anomalies are reported. They are stateless; the volume
     * detector comes first because it also accounts for the silent windows before this one.
     */
    static final List<WindowDetector> DETECTORS = List.of(
            new VolumeDetector(),
            new ErrorRateDetector(),
            new LatencyDetector(),
            new NewTemplatesDetector(),
            new ServiceErrorRateDetector(),
            new TemplateRateDetector());

    /** Every judged window with its anomalies (none during warm-up), for the summaries. */
    public static final OutputTag<WindowFindings> FINDINGS = new OutputTag<>("window-findings") {};

    private final AnomalySettings settings;
    private transient ValueState<SourceBaselines> baselines;
    private transient MapState<String, EwmDetector> serviceErrorRates;
    private transient MapState<String, TemplateRate> templateRates;

    /** @param settings the sensitivity per org and source, and whether volume is judged per hour of week */
    public DetectAnomalies(AnomalySettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext ctx) {
        baselines = getRuntimeContext().getState(new ValueStateDescriptor<>("baselines", SourceBaselines.class));
        serviceErrorRates = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("service-error-rates", String.class, EwmDetector.class));
        templateRates = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("template-rates", String.class, TemplateRate.class));
    }

    @Override
    public void processElement(WindowMetrics m, Context ctx, Collector<Anomaly> out) throws Exception {
        if (!m.complete) {
            return;
        }
        SourceBaselines source = baselines.value();
        if (source != null && m.windowStart <= source.lastWindowStart) {
            return; // an update to a window already judged (a late line): baselines move once per window
        }
        Baselines b = read(m, source);
        List<Anomaly> found = new ArrayList<>();
        for (WindowDetector detector : DETECTORS) {
            found.addAll(detector.judge(m, b));
        }
        write(b);
        if (b.source.windows <= b.settings.warmup()) {
            found.clear();
        }
        found.forEach(out::collect);
        ctx.output(FINDINGS, new WindowFindings(m, found.toArray(Anomaly[]::new)));
    }

    /** The baselines of this window's source, services and templates; new ones fresh. */
    private Baselines read(WindowMetrics m, SourceBaselines stored) throws Exception {
        SourceBaselines source = stored;
        if (source == null) {
            source = new SourceBaselines();
            if (settings.seasonal()) {
                source.seasonal = new SeasonalProfile();
            }
        }
        long previousWindowStart = source.lastWindowStart;
        source.lastWindowStart = m.windowStart;
        source.windows++;
        long window = m.windowStart / Math.max(1, m.windowEnd - m.windowStart);

        Map<String, TemplateRate> templates = new HashMap<>();
        Map<String, Double> usual = new HashMap<>();
        for (String id : m.templates.keySet()) {
            TemplateRate r = templateRates.get(id);
            templates.put(id, r == null ? TemplateRate.startingAt(window) : r);
            usual.put(id, r == null ? 0.0 : r.expected(window));
        }
        Map<String, EwmDetector> services = new HashMap<>();
        for (String service : m.services.keySet()) {
            EwmDetector d = serviceErrorRates.get(service);
            services.put(service, d == null ? new EwmDetector() : d);
        }
        return new Baselines(settings.forSource(m.orgId, m.sourceId), window, previousWindowStart, source, services,
                templates, new Explanations(m, usual));
    }

    private void write(Baselines b) throws Exception {
        serviceErrorRates.putAll(b.services);
        templateRates.putAll(b.templates);
        baselines.update(b.source);
    }
}
