package dev.logai.flink.window;

import dev.logai.flink.parse.Durations;
import dev.logai.flink.parse.Level;
import dev.logai.flink.parse.LogRecord;
import java.util.HashMap;
import java.util.Map;

/**
 * Everything measured in one event-time window of one (org, source): counts per level, new
 * templates, per-template and per-service counts, and latency percentiles. It is at once the
 * partial aggregate of a bundle of lines ({@link PreAggregateWindows}), the window's accumulator
 * and the window's result; anomaly detection reads it whole, and the Postgres rows
 * ({@link WindowStats}, {@link PatternWindow}) are projections of it.
 */
public class WindowMetrics {
    /** Bounds that keep one window's state small whatever a source sends. */
    static final int MAX_TEMPLATES = 5_000;

    static final int MAX_SERVICES = 100;
    static final int MAX_EXAMPLE_CHARS = 500;
    public static final String OTHER_SERVICES = "(other)";
    public static final String NO_TEMPLATE = "(none)";

    public String orgId;
    public String sourceId;
    public long windowStart;
    public long windowEnd;
    /** True once the watermark passed the window end; early (partial) emissions are false. */
    public boolean complete;
    /**
     * Completed because no later line came (the source went quiet, or a file ended) while it held
     * the newest line: it may be partial because the data stopped, not because the source dropped.
     */
    public boolean endOfData;
    /**
     * The anomaly sensitivity the tenant set for this source or its org, stamped just before
     * detection ({@link dev.logai.flink.anomaly.ApplyTenantSensitivity}); null: the deployment's.
     */
    public String sensitivity;

    public WindowCounts counts = new WindowCounts();
    public long newTemplates;
    public Map<String, TemplateCount> templates = new HashMap<>();
    public Map<String, ServiceCount> services = new HashMap<>();
    /** Null when no line of the window carried a duration. */
    public LatencySketch latency;
    /**
     * The durations of lines that name no service (an access log, an app without a service field),
     * kept as a service's are ({@link ServiceCount}: count, log sums, slowest line), so their
     * typical latency is judged for a slow leak too; null when there were none.
     */
    public ServiceCount withoutService;
    /**
     * W3C {@code traceparent}s of requests whose lines are in the window, distinct, at most {@link
     * #MAX_TRACE_LINKS}, error lines' requests first: the traces its summary and alerts continue.
     */
    public String[] traceParents = new String[0];

    /** The most request traces a window keeps (a span's links beyond a few are not read). */
    static final int MAX_TRACE_LINKS = 8;

    public WindowMetrics() {}

    public static WindowMetrics empty(String orgId, String sourceId, long start, long end) {
        WindowMetrics m = new WindowMetrics();
        m.orgId = orgId;
        m.sourceId = sourceId;
        m.windowStart = start;
        m.windowEnd = end;
        return m;
    }

    public void add(LogRecord r) {
        counts.add(r);
        boolean error = r.level == Level.ERROR || r.level == Level.FATAL;
        if (r.traceParent != null) {
            traceParents = withTrace(traceParents, r.traceParent, error);
        }
        String id = r.templateId == null ? NO_TEMPLATE : r.templateId;
        TemplateCount t = templates.get(id);
        if (t == null && templates.size() < MAX_TEMPLATES) {
            t = new TemplateCount();
            t.template = r.template == null ? "" : r.template;
            templates.put(id, t);
        }
        if (t != null) {
            t.lines++;
            if (error) {
                t.errors++;
            } else if (r.level == Level.WARN) {
                t.warnings++;
            }
            t.firstTs = Math.min(t.firstTs, r.ts);
            t.lastTs = Math.max(t.lastTs, r.ts);
            if (r.templateNew && !t.isNew) {
                t.isNew = true;
                newTemplates++;
            }
            if (t.example == null || (error && !t.exampleIsError)) {
                if (t.example != null) {
                    t.addExample(t.example);
                }
                t.example = exampleOf(r);
                t.exampleIsError = error;
            } else if (t.moreExamples.length < TemplateCount.MORE_EXAMPLES) {
                t.addExample(exampleOf(r));
            }
        }
        ServiceCount service = null;
        if (r.service != null && !r.service.isEmpty()) {
            String name =
                    services.size() < MAX_SERVICES || services.containsKey(r.service) ? r.service : OTHER_SERVICES;
            service = services.computeIfAbsent(name, k -> new ServiceCount());
            service.lines++;
            if (error) {
                service.errors++;
                if (service.errorExample == null) {
                    service.errorExample = exampleOf(r);
                    service.errorTemplateId = id;
                }
            }
        }
        double ms = Durations.of(r);
        if (ms >= 0) {
            if (latency == null) {
                latency = new LatencySketch();
            }
            latency.add(ms);
            if (service != null) {
                service.addDuration(ms, r, id);
            } else {
                if (withoutService == null) {
                    withoutService = new ServiceCount();
                }
                withoutService.addDuration(ms, r, id);
            }
        }
    }

    static String exampleOf(LogRecord r) {
        String line = r.raw == null ? r.message : r.raw;
        return line == null ? "" : line.length() > MAX_EXAMPLE_CHARS ? line.substring(0, MAX_EXAMPLE_CHARS) : line;
    }

    public WindowMetrics merge(WindowMetrics o) {
        if (orgId == null) {
            orgId = o.orgId;
            sourceId = o.sourceId;
            windowStart = o.windowStart;
            windowEnd = o.windowEnd;
        }
        counts.merge(o.counts);
        for (Map.Entry<String, TemplateCount> e : o.templates.entrySet()) {
            TemplateCount mine = templates.get(e.getKey());
            if (mine != null) {
                if (!mine.isNew && e.getValue().isNew) {
                    newTemplates++;
                }
                mine.merge(e.getValue());
            } else if (templates.size() < MAX_TEMPLATES) {
                templates.put(e.getKey(), new TemplateCount().merge(e.getValue()));
                if (e.getValue().isNew) {
                    newTemplates++;
                }
            }
        }
        for (Map.Entry<String, ServiceCount> e : o.services.entrySet()) {
            String name =
                    services.containsKey(e.getKey()) || services.size() < MAX_SERVICES ? e.getKey() : OTHER_SERVICES;
            services.computeIfAbsent(name, k -> new ServiceCount()).merge(e.getValue());
        }
        if (o.latency != null) {
            latency = latency == null ? new LatencySketch().merge(o.latency) : latency.merge(o.latency);
        }
        if (o.withoutService != null) {
            withoutService = (withoutService == null ? new ServiceCount() : withoutService).merge(o.withoutService);
        }
        for (String trace : o.traceParents) {
            traceParents = withTrace(traceParents, trace, false);
        }
        return this;
    }

    /**
     * {@code traces} with {@code trace} added once: in front for an error line's request (the trace
     * an SRE opens first), else at the end while there is room; the last one gives way when full.
     * The lines of one request share one string, so the common case is an identity hit.
     */
    static String[] withTrace(String[] traces, String trace, boolean error) {
        for (String t : traces) {
            if (t == trace || t.equals(trace)) {
                return traces;
            }
        }
        if (!error && traces.length >= MAX_TRACE_LINKS) {
            return traces;
        }
        int size = Math.min(traces.length + 1, MAX_TRACE_LINKS);
        String[] out = new String[size];
        if (error) {
            out[0] = trace;
            System.arraycopy(traces, 0, out, 1, size - 1);
        } else {
            System.arraycopy(traces, 0, out, 0, traces.length);
            out[traces.length] = trace;
        }
        return out;
    }

    /** A copy sharing the (not further mutated) contents, marked complete or not. */
    public WindowMetrics emitted(boolean isComplete) {
        WindowMetrics m = new WindowMetrics();
        m.orgId = orgId;
        m.sourceId = sourceId;
        m.windowStart = windowStart;
        m.windowEnd = windowEnd;
        m.complete = isComplete;
        m.endOfData = endOfData;
        m.sensitivity = sensitivity;
        m.counts = counts;
        m.newTemplates = newTemplates;
        m.templates = templates;
        m.services = services;
        m.latency = latency;
        m.withoutService = withoutService;
        m.traceParents = traceParents;
        return m;
    }

    public double errorRate() {
        return counts.lines == 0 ? 0 : (double) (counts.error + counts.fatal) / counts.lines;
    }
}
