package dev.logai.flink.anomaly;

import dev.logai.flink.summary.WindowFindings;
import dev.logai.flink.window.ServiceCount;
import dev.logai.flink.window.TemplateCount;
import dev.logai.flink.window.WindowMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Judges each complete window of an (org, source) against that source's baselines, kept in keyed
 * state and updated in O(1) per metric:
 *
 * <ul>
 *   <li>volume (optionally against the same hour of the week) and error rate of the source;</li>
 *   <li>error rate of each service;</li>
 *   <li>p95 latency, where lines carry durations;</li>
 *   <li>each template's lines against its usual rate (only templates present are visited);</li>
 *   <li>new templates: any new template with error lines, or a burst of new ones.</li>
 * </ul>
 *
 * A statistical flag also needs an effect an SRE would care about (for example at least 5 error
 * lines and 2 points more error rate), so a quiet source's noise never pages anyone. Every anomaly
 * carries its explanation ({@link Explanations}).
 */
public class DetectAnomalies extends KeyedProcessFunction<String, WindowMetrics, Anomaly> {
    /** Effect sizes below which nothing is flagged, whatever the statistics say. */
    static final double MIN_VOLUME_CHANGE = 20;
    static final long MIN_ERRORS = 5;
    static final double MIN_ERROR_RATE_RISE = 0.02;
    static final double MIN_SERVICE_ERROR_RATE_RISE = 0.05;
    /** An error-rate rise must also be this many times the threshold in binomial deviations. */
    static final double BINOMIAL_FACTOR = 1.5;
    static final long MIN_LATENCY_SAMPLES = 20;
    static final double MIN_LATENCY_RATIO = 1.5;
    static final long MIN_TEMPLATE_LINES = 20;
    static final double MIN_TEMPLATE_RATIO = 4;
    static final int NEW_TEMPLATE_BURST = 3;
    static final int MAX_TEMPLATE_ANOMALIES = 3;
    /** Silent windows between two windows are counted as zero volume, up to this many. */
    static final int MAX_GAP_WINDOWS = 60;

    /** Every judged window with its anomalies (none during warm-up), for the summaries. */
    public static final OutputTag<WindowFindings> FINDINGS = new OutputTag<>("window-findings") {};

    private final AnomalySettings settings;
    private transient ValueState<SourceBaselines> baselines;
    private transient MapState<String, EwmDetector> serviceErrorRates;
    private transient MapState<String, TemplateRate> templateRates;

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
        SourceBaselines b = baselines.value();
        if (b == null) {
            b = new SourceBaselines();
            if (settings.seasonal()) {
                b.seasonal = new SeasonalProfile();
            }
        }
        if (m.windowStart <= b.lastWindowStart) {
            return; // an update to a window already judged (a late line): baselines move once per window
        }
        DetectorSettings s = settings.forSource(m.orgId, m.sourceId);
        long size = Math.max(1, m.windowEnd - m.windowStart);
        if (b.lastWindowStart != Long.MIN_VALUE) {
            long gap = Math.min(MAX_GAP_WINDOWS, (m.windowStart - b.lastWindowStart) / size - 1);
            for (long i = 1; i <= gap; i++) {
                b.volume.update(volumeOf(b, 0, b.lastWindowStart + i * size), s);
            }
        }
        b.lastWindowStart = m.windowStart;
        b.windows++;
        long window = m.windowStart / size;

        // One state read per template: the rates serve the explanations and then the spike check.
        Map<String, TemplateRate> rates = new HashMap<>();
        Map<String, Double> usual = new HashMap<>();
        for (String id : m.templates.keySet()) {
            TemplateRate r = templateRates.get(id);
            rates.put(id, r == null ? TemplateRate.startingAt(window) : r);
            usual.put(id, r == null ? 0.0 : r.expected(window));
        }
        Explanations why = new Explanations(m, usual);
        List<Anomaly> found = new ArrayList<>();

        double volume = m.counts.lines;
        double score = b.volume.update(volumeOf(b, volume, m.windowStart), s);
        double usualVolume = b.volume.baseline;
        if (score >= 0.5 && Math.abs(volume - usualVolume) >= MIN_VOLUME_CHANGE
                && (volume >= 2 * usualVolume || volume <= usualVolume / 2)) {
            boolean spike = volume > usualVolume;
            found.add(anomaly(m, "volume", "", "", volume, usualVolume, b.volume.z, score, spike ? "spike" : "drop",
                    why.of(spike ? Explanations.Focus.EXCESS : Explanations.Focus.LINES, String.format(
                            java.util.Locale.ROOT, "%.0f lines vs usually %.0f", volume, usualVolume))));
        }

        double rate = m.errorRate();
        score = b.errorRate.update(rate, s);
        long errors = m.counts.error + m.counts.fatal;
        if (score >= 0.5 && b.errorRate.z > 0 && errors >= MIN_ERRORS
                && rate - b.errorRate.baseline >= MIN_ERROR_RATE_RISE
                && binomialZ(errors, m.counts.lines, b.errorRate.baseline) >= BINOMIAL_FACTOR * s.threshold()) {
            found.add(anomaly(m, "error_rate", "", "", rate, b.errorRate.baseline, b.errorRate.z, score, "spike",
                    why.of(Explanations.Focus.ERRORS, String.format(java.util.Locale.ROOT,
                            "error rate %.1f%% (%d error lines) vs usually %.1f%%", 100 * rate, errors,
                            100 * b.errorRate.baseline))));
        }

        if (m.latency != null && m.latency.count >= MIN_LATENCY_SAMPLES) {
            double p95 = m.latency.quantile(0.95);
            score = b.latencyP95.update(p95, s);
            if (score >= 0.5 && p95 >= MIN_LATENCY_RATIO * b.latencyP95.baseline) {
                found.add(anomaly(m, "latency_p95", "", "", p95, b.latencyP95.baseline, b.latencyP95.z, score, "spike",
                        why.of(Explanations.Focus.LINES, String.format(java.util.Locale.ROOT,
                                "p95 latency %.0f ms vs usually %.0f ms", p95, b.latencyP95.baseline))));
            }
        }

        int newErrorTemplates = 0;
        for (TemplateCount t : m.templates.values()) {
            if (t.isNew && t.errors > 0) {
                newErrorTemplates++;
            }
        }
        if (newErrorTemplates > 0
                || (m.newTemplates >= NEW_TEMPLATE_BURST && m.newTemplates > 2 * b.newTemplateRate + NEW_TEMPLATE_BURST)) {
            double x = (m.newTemplates + newErrorTemplates) / (b.newTemplateRate + 1);
            found.add(anomaly(m, "new_templates", "", "", m.newTemplates, b.newTemplateRate, Double.NaN,
                    x * x / (x * x + 1), "new", why.of(Explanations.Focus.NEW, m.newTemplates + " new template"
                            + (m.newTemplates == 1 ? "" : "s") + (newErrorTemplates > 0 ? ", " + newErrorTemplates
                            + " with errors" : "") + String.format(java.util.Locale.ROOT,
                            " vs usually %.1f per window", b.newTemplateRate))));
        }
        b.newTemplateRate += 0.05 * (Math.min(m.newTemplates, 2 * b.newTemplateRate + NEW_TEMPLATE_BURST) - b.newTemplateRate);

        for (Map.Entry<String, ServiceCount> e : m.services.entrySet()) {
            EwmDetector d = serviceErrorRates.get(e.getKey());
            if (d == null) {
                d = new EwmDetector();
            }
            ServiceCount c = e.getValue();
            score = d.update(c.errorRate(), s);
            if (score >= 0.5 && d.z > 0 && c.errors >= MIN_ERRORS && c.errorRate() - d.baseline >= MIN_SERVICE_ERROR_RATE_RISE
                    && binomialZ(c.errors, c.lines, d.baseline) >= BINOMIAL_FACTOR * s.threshold()) {
                found.add(anomaly(m, "error_rate", e.getKey(), "", c.errorRate(), d.baseline, d.z, score, "spike",
                        why.of(Explanations.Focus.ERRORS, String.format(java.util.Locale.ROOT,
                                "service %s: error rate %.1f%% (%d error lines) vs usually %.1f%%", e.getKey(),
                                100 * c.errorRate(), c.errors, 100 * d.baseline))));
            }
            serviceErrorRates.put(e.getKey(), d);
        }

        List<Anomaly> templateSpikes = new ArrayList<>();
        for (Map.Entry<String, TemplateCount> e : m.templates.entrySet()) {
            TemplateRate r = rates.get(e.getKey());
            double expected = r.expected(window);
            double lines = e.getValue().lines;
            // Counts are roughly Poisson; 10% extra spread for the burstiness of real traffic.
            double z = (lines - expected) / Math.sqrt(expected + 0.01 * expected * expected + 1);
            if (r.age(window) >= s.warmup() && lines >= MIN_TEMPLATE_LINES && lines >= MIN_TEMPLATE_RATIO * expected
                    && z >= 2 * s.threshold()) {
                double x = z / (2 * s.threshold());
                templateSpikes.add(anomaly(m, "template_rate", "", e.getKey(), lines, expected, z, x * x / (x * x + 1),
                        "spike", why.ofTemplate(e.getKey(), String.format(java.util.Locale.ROOT,
                                "template %s: %.0f lines vs usually %.1f", e.getKey(), lines, expected))));
            }
            r.update(window, lines);
            templateRates.put(e.getKey(), r);
        }
        templateSpikes.sort((x, y) -> Double.compare(y.zscore, x.zscore));
        found.addAll(templateSpikes.subList(0, Math.min(MAX_TEMPLATE_ANOMALIES, templateSpikes.size())));

        baselines.update(b);
        if (b.windows <= s.warmup()) {
            found.clear();
        }
        found.forEach(out::collect);
        ctx.output(FINDINGS, new WindowFindings(m, found.toArray(Anomaly[]::new)));
    }

    /**
     * How far {@code errors} of {@code lines} is above what the usual rate makes likely, in binomial
     * standard deviations (with continuity correction). A window of 40 lines shows 9 errors at a
     * usual 6% now and then; the EWM's variance alone does not know that a rate over few lines is
     * noisier than one over many.
     */
    static double binomialZ(long errors, long lines, double usualRate) {
        double p = Math.min(1, Math.max(usualRate, 0.5 / (lines + 1)));
        double expected = lines * p;
        return (errors - expected - 0.5) / Math.sqrt(Math.max(expected * (1 - p), 0.25));
    }

    private static double volumeOf(SourceBaselines b, double lines, long windowStart) {
        return b.seasonal == null ? lines : b.seasonal.adjust(lines, windowStart);
    }

    private static Anomaly anomaly(WindowMetrics m, String metric, String service, String templateId, double observed,
            double baseline, double z, double score, String label, String explanation) {
        Anomaly a = new Anomaly();
        a.orgId = m.orgId;
        a.sourceId = m.sourceId;
        a.windowStart = m.windowStart;
        a.windowEnd = m.windowEnd;
        a.metric = metric;
        a.service = service;
        a.templateId = templateId;
        a.observed = observed;
        a.baseline = baseline;
        a.zscore = Double.isFinite(z) ? Math.max(-1e6, Math.min(1e6, z)) : Double.NaN;
        a.score = Math.min(1, Math.max(0, score));
        a.label = label;
        a.explanation = explanation;
        a.id = dev.logai.flink.template.TemplateIds.of(String.join("|", m.orgId, m.sourceId,
                Long.toString(m.windowStart), metric, service, templateId));
        return a;
    }
}
