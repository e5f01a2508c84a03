package dev.logai.flink.anomaly;

import dev.logai.common.contract.Metric;
import dev.logai.flink.summary.WindowFindings;
import dev.logai.flink.template.TemplateMiner;
import dev.logai.flink.window.ServiceCount;
import dev.logai.flink.window.WindowMetrics;
import java.time.Instant;
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
 *
 * <p>Silence: {@link SilenceDetector} judges a gap of empty windows when the source's next window
 * comes. While a live source is still quiet the wall clock judges it too: one processing-time
 * timer per live source ({@link #onTimer}) reports the silence once it is significant, dated at
 * its first silent window, and the window that ends it does not report it again.
 *
 * <p>State per source: one {@link SourceBaselines}, one {@link EwmDetector} (error rate) and one
 * {@link ServiceLatency} per service, and one {@link TemplateRate} per template. The per-service
 * and per-template maps are bounded: every {@link #PRUNE_EVERY_WINDOWS} windows, entries not
 * seen for {@link #FORGET_AFTER_WINDOWS} windows are dropped, and the maps are cut to {@link #MAX_SERVICE_BASELINES} and {@link #MAX_TEMPLATE_BASELINES} entries.
 */
public class DetectAnomalies extends KeyedProcessFunction<String, WindowMetrics, Anomaly> {
    /**
     * The detectors, in the order their anomalies are reported. They are stateless; the volume
     * detector comes first because it also accounts for the silent windows before this one, and
     * the services' error rates come before the source's, whose lasting rise is not reported when
     * a service's, reported in this window or before, explains it.
     */
    static final List<WindowDetector> DETECTORS = List.of(
            new VolumeDetector(),
            new SilenceDetector(),
            new ServiceErrorRateDetector(),
            new ErrorRateDetector(),
            new LatencyDetector(),
            new NewTemplatesDetector(),
            new ServiceLatencyDetector(),
            new TemplateRateDetector());

    /**
     * Per-service and per-template baselines not updated for this many windows (a week of the
     * default one-minute windows) are forgotten; one that comes back starts over, with its warm-up.
     * By then a template's usual rate has decayed to nothing (0.95^10080) and a service's baseline
     * is a week old, while a daily batch job still keeps its baselines. Judged in event time (window
     * numbers), not with Flink's state TTL, which only knows processing time: a replay or a
     * catch-up after an outage forgets exactly what the live run did.
     */
    static final long FORGET_AFTER_WINDOWS = 7 * 24 * 60;
    /**
     * At most this many template baselines per source: the template miner's own bound on live
     * templates ({@link TemplateMiner.Limits#DEFAULT}), beyond which it
     * evicts the rarest anyway. The least recently seen go first.
     */
    static final int MAX_TEMPLATE_BASELINES = TemplateMiner.Limits.DEFAULT.maxTemplates();
    /** At most this many service baselines per source (a window holds at most 100 services). */
    static final int MAX_SERVICE_BASELINES = 1_000;
    /**
     * The per-service and per-template maps are swept every this many judged windows of a source:
     * a sweep reads every entry, so it is amortised; between sweeps they grow by at most this many
     * windows' worth of new keys.
     */
    static final int PRUNE_EVERY_WINDOWS = 60;

    /**
     * A source is live — its silences are also watched by the wall clock — while its windows are
     * judged within this many windows of their end (a file or an upload of old lines, a backlog
     * after an outage, or a clock far ahead is not).
     */
    static final int LIVE_LAG_WINDOWS = 10;
    /** The wall clock watches a silence for at most this long (a source still not significantly silent by then is sporadic). */
    static final long WATCH_SILENCE_MS = 24 * 3_600_000L;

    /** Every judged window with its anomalies (none during warm-up), for the summaries. */
    public static final OutputTag<WindowFindings> FINDINGS = new OutputTag<>("window-findings") {};

    private final AnomalySettings settings;
    private final List<WindowDetector> detectors;
    private transient ValueState<SourceBaselines> baselines;
    private transient MapState<String, EwmDetector> serviceErrorRates;
    private transient MapState<String, ServiceLatency> serviceLatencies;
    private transient MapState<String, TemplateRate> templateRates;
    /**
     * This subtask's first processing time: no wall-clock silence within {@link
     * AnomalySettings#silenceRestartGrace()} of it, as restored timers fire at once and the windows
     * that queued up while the job was down are judged first (as {@link
     * dev.logai.flink.alert.MatchLineRules#RESTART_GRACE_MS} does for absence rules).
     */
    private transient long startedAt;

    /**
     * @param settings the deployment's sensitivity per org and source, and whether (and from when
     *     after a start) a quiet live source is judged by the wall clock
     */
    public DetectAnomalies(AnomalySettings settings) {
        this(settings, DETECTORS);
    }

    /** With other detectors than {@link #DETECTORS}, in order: how a new detector is tried in a test first. */
    DetectAnomalies(AnomalySettings settings, List<WindowDetector> detectors) {
        this.settings = settings;
        this.detectors = List.copyOf(detectors);
    }

    @Override
    public void open(OpenContext ctx) {
        baselines = getRuntimeContext()
                .getState(dev.logai.flink.runtime.StateTtl.learned(
                        new ValueStateDescriptor<>("baselines", SourceBaselines.class)));
        serviceErrorRates = getRuntimeContext()
                .getMapState(dev.logai.flink.runtime.StateTtl.learned(
                        new MapStateDescriptor<>("service-error-rates", String.class, EwmDetector.class)));
        serviceLatencies = getRuntimeContext()
                .getMapState(dev.logai.flink.runtime.StateTtl.learned(
                        new MapStateDescriptor<>("service-latencies", String.class, ServiceLatency.class)));
        templateRates = getRuntimeContext()
                .getMapState(dev.logai.flink.runtime.StateTtl.learned(
                        new MapStateDescriptor<>("template-rates", String.class, TemplateRate.class)));
        startedAt = Long.MIN_VALUE; // set by the first window or timer this subtask sees
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
        long now = ctx.timerService().currentProcessingTime();
        if (startedAt == Long.MIN_VALUE) {
            startedAt = now;
        }
        Baselines b = read(m, source);
        List<Anomaly> found = new ArrayList<>();
        for (WindowDetector detector : detectors) {
            found.addAll(detector.judge(m, b));
        }
        long reportedSilence = b.source.silenceReported;
        watchSilence(m, b.source, now, ctx);
        write(b);
        if (b.source.windows % PRUNE_EVERY_WINDOWS == 0) {
            prune(b.window);
        }
        if (b.source.windows <= b.settings.warmup()) {
            found.clear();
        }
        for (Anomaly a : found) {
            // A silence the wall clock reported while the source was quiet is not reported again
            // now that it is back (the findings still carry it, for rules and summaries).
            if (!(a.is(Metric.SILENCE) && a.windowStart == reportedSilence)) {
                out.collect(a);
            }
        }
        ctx.output(FINDINGS, new WindowFindings(m, found.toArray(Anomaly[]::new)));
    }

    /**
     * After a judged window: remembers when it was judged and whether the source is live, and
     * arms the source's one silence check for when its silence could first matter ({@link
     * SilenceDetector#MIN_SILENT_WINDOWS} windows on).
     */
    private void watchSilence(WindowMetrics m, SourceBaselines s, long now, Context ctx) {
        long size = Math.max(1, m.windowEnd - m.windowStart);
        s.silenceReported = Long.MIN_VALUE;
        s.lastJudgedAt = now;
        s.sensitivity = m.sensitivity;
        s.live = settings.live() && Math.abs(now - m.windowEnd) <= LIVE_LAG_WINDOWS * size;
        if (s.live && s.silenceCheckAt == Long.MIN_VALUE) {
            s.silenceCheckAt = now + SilenceDetector.MIN_SILENT_WINDOWS * size;
            ctx.timerService().registerProcessingTimeTimer(s.silenceCheckAt);
        }
    }

    /**
     * The wall-clock silence check of a live source: if no window was judged since the last one,
     * the windows since then are silent ones; a significant silence ({@link SilenceDetector}) is
     * reported now, dated at its first silent window, once. Otherwise the check runs again a window
     * later, for at most {@link #WATCH_SILENCE_MS}. Nothing once the input ended (a bounded run's
     * last watermark), and nothing within {@link AnomalySettings#silenceRestartGrace()} of a
     * (re)start; silent windows are counted from the restart at the earliest.
     */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Anomaly> out) throws Exception {
        SourceBaselines s = baselines.value();
        if (s == null) {
            return;
        }
        // The wall clock now, not the timer's time: a timer restored overdue is one check, not a catch-up.
        long now = Math.max(timestamp, ctx.timerService().currentProcessingTime());
        if (startedAt == Long.MIN_VALUE) {
            startedAt = now;
        }
        s.silenceCheckAt = Long.MIN_VALUE;
        long size = s.windowMs;
        boolean ended = ctx.timerService().currentWatermark() == Long.MAX_VALUE;
        if (!settings.live() || !s.live || ended || s.activity == null || size <= 0) {
            baselines.update(s);
            return;
        }
        long first = s.lastWindowStart + size;
        // Across a restart the job, not the source, was quiet: silence counts from the restart at the earliest.
        long silent = (now - Math.max(s.lastJudgedAt, startedAt)) / size;
        if (s.silenceReported == first || now - s.lastJudgedAt > WATCH_SILENCE_MS) {
            baselines.update(s);
            return;
        }
        long next = Math.max(now + size, s.lastJudgedAt + SilenceDetector.MIN_SILENT_WINDOWS * size);
        long grace = settings.silenceRestartGrace().toMillis();
        String org = orgOf(ctx.getCurrentKey());
        String source = sourceOf(ctx.getCurrentKey());
        DetectorSettings sensitivity = s.sensitivity != null
                ? DetectorSettings.forSensitivity(s.sensitivity)
                : settings.forSource(org, source);
        if (now - startedAt < grace) {
            next = startedAt + grace;
        } else if (s.windows > sensitivity.warmup()) {
            Anomaly a = SilenceDetector.judge(
                    org,
                    source,
                    s.activity,
                    first,
                    silent,
                    size,
                    sensitivity,
                    s.sensitivity,
                    s.lastLineTs,
                    "still silent at " + Instant.ofEpochMilli(now) + " (wall clock)");
            if (a != null) {
                out.collect(a);
                s.silenceReported = first;
                baselines.update(s);
                return;
            }
        }
        s.silenceCheckAt = next;
        ctx.timerService().registerProcessingTimeTimer(next);
        baselines.update(s);
    }

    private static String orgOf(String key) {
        return key.substring(0, key.indexOf('/'));
    }

    private static String sourceOf(String key) {
        return key.substring(key.indexOf('/') + 1);
    }

    /** The baselines of this window's source, services and templates; new ones fresh. */
    private Baselines read(WindowMetrics m, SourceBaselines stored) throws Exception {
        SourceBaselines source = stored;
        if (source == null) {
            source = new SourceBaselines();
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
            usual.put(id, r == null ? 0.0 : r.usual(window));
        }
        Map<String, EwmDetector> services = new HashMap<>();
        for (String service : m.services.keySet()) {
            EwmDetector d = serviceErrorRates.get(service);
            services.put(service, d == null ? new EwmDetector() : d);
        }
        Map<String, ServiceLatency> latencies = new HashMap<>();
        for (Map.Entry<String, ServiceCount> e : m.services.entrySet()) {
            if (e.getValue().durations > 0) {
                ServiceLatency l = serviceLatencies.get(e.getKey());
                latencies.put(e.getKey(), l == null ? new ServiceLatency() : l);
            }
        }
        if (m.withoutService != null && m.withoutService.durations > 0) {
            ServiceLatency l = serviceLatencies.get(ServiceLatencyDetector.WITHOUT_SERVICE);
            latencies.put(ServiceLatencyDetector.WITHOUT_SERVICE, l == null ? new ServiceLatency() : l);
        }
        return new Baselines(
                m.sensitivity != null
                        ? DetectorSettings.forSensitivity(m.sensitivity)
                        : settings.forSource(m.orgId, m.sourceId),
                window,
                previousWindowStart,
                source,
                services,
                latencies,
                templates,
                new Explanations(m, usual));
    }

    private void write(Baselines b) throws Exception {
        b.services.values().forEach(d -> d.lastWindow = b.window);
        serviceErrorRates.putAll(b.services);
        if (!b.serviceLatencies.isEmpty()) { // a source without durations keeps no such map
            b.serviceLatencies.values().forEach(l -> l.lastWindow = b.window);
            serviceLatencies.putAll(b.serviceLatencies);
        }
        templateRates.putAll(b.templates);
        baselines.update(b.source);
    }

    /** Forgets the per-service and per-template baselines of this source that went quiet (see {@link #FORGET_AFTER_WINDOWS}). */
    private void prune(long window) throws Exception {
        Map<String, EwmDetector> unknownAge = new HashMap<>();
        for (Map.Entry<String, EwmDetector> e : serviceErrorRates.entries()) {
            if (e.getValue().lastWindow == 0) {
                unknownAge.put(e.getKey(), e.getValue());
            }
        }
        // Restored from state written before services had a clock: they count from now.
        unknownAge.values().forEach(d -> d.lastWindow = window);
        serviceErrorRates.putAll(unknownAge);
        for (String service : BaselinePruning.stale(
                serviceErrorRates.entries(), d -> d.lastWindow, window, FORGET_AFTER_WINDOWS, MAX_SERVICE_BASELINES)) {
            serviceErrorRates.remove(service);
        }
        for (String service : BaselinePruning.stale(
                serviceLatencies.entries(), l -> l.lastWindow, window, FORGET_AFTER_WINDOWS, MAX_SERVICE_BASELINES)) {
            serviceLatencies.remove(service);
        }
        for (String template : BaselinePruning.stale(
                templateRates.entries(), r -> r.lastWindow, window, FORGET_AFTER_WINDOWS, MAX_TEMPLATE_BASELINES)) {
            templateRates.remove(template);
        }
    }
}
