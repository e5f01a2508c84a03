package dev.logai.flink.summary;

import dev.logai.common.contract.Metric;
import dev.logai.flink.anomaly.Anomaly;
import dev.logai.flink.template.TemplateIds;
import dev.logai.flink.window.TemplateCount;
import dev.logai.flink.window.WindowMetrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decides, per (org, source), which judged windows get a summary: a window with an anomaly, with
 * a burst of new templates, or with error lines above the source's threshold; and, if configured,
 * a digest per period. Interesting windows closer than the incident gap form one incident with one
 * evolving summary: the model is asked again only when the incident shows a new signal (another
 * metric, service or template) or every {@code refreshWindows} windows; in between, the summary's
 * end just moves forward. So a 30-minute incident costs a few calls, not thirty. An incident
 * starts at its first window, or earlier where an anomaly's evidence began ({@link Anomaly#onset}).
 */
public class SelectSummaryWindows extends KeyedProcessFunction<String, WindowFindings, SummaryRequest> {
    static final int MAX_SIGNALS = 32;
    /** An incident continues through windows without a new flag only if they have at least this many errors. */
    static final long MIN_ONGOING_ERRORS = 5;
    /** Templates a digest keeps across its period (the most frequent). */
    static final int DIGEST_TEMPLATES = 200;

    private final SummarySettings settings;
    private transient ValueState<Incident> incident;
    private transient ValueState<WindowMetrics> digest;

    /** The open incident of a source: keyed state. */
    public static class Incident {
        public String id;
        public long start;
        public long lastEnd;
        public int windows;
        public int windowsAtLastSummary;
        /**
         * Error lines of the incident's first window, if errors opened it (0 otherwise): later windows
         * with half as many still belong to it.
         */
        public long onsetErrors;
        /** What opened the incident: anomaly, new_templates or errors. */
        public String trigger;
        /** The previous incident's end: an onset never moves this incident's start before it. */
        public long notBefore;

        public List<String> signals = new ArrayList<>();

        public Incident() {}
    }

    public SelectSummaryWindows(SummarySettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext ctx) {
        incident = getRuntimeContext()
                .getState(dev.logai.flink.runtime.StateTtl.learned(
                        new ValueStateDescriptor<>("incident", Incident.class)));
        digest = getRuntimeContext()
                .getState(dev.logai.flink.runtime.StateTtl.learned(
                        new ValueStateDescriptor<>("digest", WindowMetrics.class)));
    }

    @Override
    public void processElement(WindowFindings f, Context ctx, Collector<SummaryRequest> out) throws Exception {
        WindowMetrics m = f.metrics;
        if (!settings.digest().isZero()) {
            digest(m, out);
        }
        String trigger = trigger(f);
        Incident open = incident.value();
        boolean recent = open != null
                && m.windowStart - open.lastEnd < settings.incidentGap().toMillis();
        long errors = m.counts.error + m.counts.fatal;
        if (trigger == null) {
            // Detectors flag an onset once; the incident goes on while errors stay near its onset level.
            if (!recent
                    || open.onsetErrors < MIN_ONGOING_ERRORS
                    || errors < Math.max(MIN_ONGOING_ERRORS, open.onsetErrors / 2)) {
                return;
            }
            trigger = "ongoing";
        }
        boolean opening = !recent;
        if (opening) {
            long previousEnd = open == null ? 0 : open.lastEnd;
            open = new Incident();
            open.notBefore = previousEnd;
            open.id = TemplateIds.of(String.join("|", m.orgId, m.sourceId, "incident", Long.toString(m.windowStart)));
            open.start = m.windowStart;
            open.windowsAtLastSummary = 0;
            open.onsetErrors = errorDriven(f, trigger) ? errors : 0;
            open.trigger = trigger;
        }
        open.windows++;
        open.lastEnd = Math.max(open.lastEnd, m.windowEnd);
        // A lasting change (a slow leak, a level shift, a lasting drop) is reported once its
        // evidence is certain, windows after it began: the incident starts where it began, though
        // never inside the incident before it.
        long start = Anomaly.earliestOnset(f.anomalies, open.start, open.notBefore);
        boolean startMoved = start < open.start;
        open.start = start;
        boolean newSignal = false;
        for (String signal : signals(f, opening ? trigger : "", open.onsetErrors > 0)) {
            if (!open.signals.contains(signal) && open.signals.size() < MAX_SIGNALS) {
                open.signals.add(signal);
                newSignal = true;
            }
        }
        boolean refresh = open.windowsAtLastSummary == 0
                || newSignal
                || startMoved
                || open.windows - open.windowsAtLastSummary >= settings.refreshWindows();
        if (refresh) {
            open.windowsAtLastSummary = open.windows;
        }
        incident.update(open);

        // The trigger is what opened the incident, whatever keeps it going.
        SummaryRequest r = SummaryRequest.forWindow(open.id, m, f.anomalies, open.start, open.trigger);
        r.windows = open.windows;
        r.refresh = refresh;
        r.signals = open.signals.toArray(String[]::new);
        out.collect(r);
    }

    /** Why this window is worth a summary, or null. */
    String trigger(WindowFindings f) {
        WindowMetrics m = f.metrics;
        if (f.anomalies.length > 0) {
            return "anomaly";
        }
        if (m.newTemplates >= settings.newTemplates()) {
            return "new_templates";
        }
        if (m.counts.error + m.counts.fatal >= settings.errorLinesFor(m.orgId, m.sourceId)) {
            return "errors";
        }
        return null;
    }

    /** Whether errors opened the incident: the error threshold, or an anomaly about errors. */
    static boolean errorDriven(WindowFindings f, String trigger) {
        if (trigger.equals("errors")) {
            return true;
        }
        for (Anomaly a : f.anomalies) {
            if (a.is(Metric.ERROR_RATE)) {
                return true;
            }
        }
        return false;
    }

    /**
     * What the window shows, comparable across windows: metric[:service][:template], what opened
     * the incident, and for an incident about errors, the template with the most errors (another
     * one is a new signal).
     */
    static Set<String> signals(WindowFindings f, String openingTrigger, boolean errorIncident) {
        Set<String> out = new LinkedHashSet<>();
        Arrays.stream(f.anomalies).forEach(a -> out.add(signal(a)));
        if (openingTrigger.equals("errors") || openingTrigger.equals("new_templates")) {
            out.add(openingTrigger); // later windows over the threshold are the same incident, not news
        }
        String topError = null;
        long most = 0;
        for (Map.Entry<String, TemplateCount> e : f.metrics.templates.entrySet()) {
            // Ties go to the smaller id: a replay must see the same signals (map order may differ).
            if (e.getValue().errors > most
                    || (e.getValue().errors == most && most > 0 && e.getKey().compareTo(topError) < 0)) {
                most = e.getValue().errors;
                topError = e.getKey();
            }
        }
        if (topError != null && errorIncident) {
            out.add("errors:" + topError);
        }
        return out;
    }

    private static String signal(Anomaly a) {
        return a.metric
                + (a.service.isEmpty() ? "" : ":" + a.service)
                + (a.templateId.isEmpty() ? "" : ":" + a.templateId);
    }

    /** Adds the window to the period's digest; at the period's end, asks for the digest summary. */
    private void digest(WindowMetrics m, Collector<SummaryRequest> out) throws Exception {
        long period = settings.digest().toMillis();
        long periodStart = Math.floorDiv(m.windowStart, period) * period;
        WindowMetrics d = digest.value();
        if (d != null && d.windowStart != periodStart) {
            emitDigest(d, out);
            d = null;
        }
        if (d == null) {
            d = WindowMetrics.empty(m.orgId, m.sourceId, periodStart, periodStart + period);
        }
        d.merge(m); // creates its own template and service entries: m's are never changed
        d.complete = true;
        keepMostFrequentTemplates(d);
        if (m.windowEnd >= periodStart + period) {
            emitDigest(d, out);
            digest.clear();
        } else {
            digest.update(d);
        }
    }

    private static void emitDigest(WindowMetrics d, Collector<SummaryRequest> out) {
        SummaryRequest r = SummaryRequest.forWindow(
                TemplateIds.of(String.join("|", d.orgId, d.sourceId, "digest", Long.toString(d.windowStart))),
                d,
                new Anomaly[0],
                d.windowStart,
                "digest");
        out.collect(r);
    }

    private static void keepMostFrequentTemplates(WindowMetrics d) {
        if (d.templates.size() <= DIGEST_TEMPLATES) {
            return;
        }
        List<Map.Entry<String, TemplateCount>> all = new ArrayList<>(d.templates.entrySet());
        all.sort((x, y) -> Long.compare(y.getValue().lines, x.getValue().lines));
        Map<String, TemplateCount> kept = new java.util.HashMap<>();
        all.subList(0, DIGEST_TEMPLATES).forEach(e -> kept.put(e.getKey(), e.getValue()));
        d.templates = kept;
    }
}
