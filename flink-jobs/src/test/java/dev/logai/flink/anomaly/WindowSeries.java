package dev.logai.flink.anomaly;

import dev.logai.flink.window.LatencySketch;
import dev.logai.flink.window.ServiceCount;
import dev.logai.flink.window.TemplateCount;
import dev.logai.flink.window.WindowMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A deterministic series of complete one-minute windows of one source, with every kind of incident
 * the detectors look for: a volume spike and a drop, an error-rate incident, one service failing, a
 * p95 latency regression, one template surging, new templates with errors and a burst of new warning ones,
 * a silent gap, templates that come and go, a late re-emission and early (incomplete) emissions.
 * The same seed gives the same windows, so two detectors can be compared window by window.
 */
final class WindowSeries {
    static final long MINUTE = 60_000;
    /** 2024-06-14T00:00:00Z, on a minute boundary. */
    static final long T0 = 1_718_323_200_000L;

    static final int TEMPLATES = 30;

    private WindowSeries() {}

    /** The windows of {@code org/source} in arrival order (gaps left out, a few duplicates and partials in). */
    static List<WindowMetrics> of(String org, String source, long seed, int windows) {
        Random random = new Random(seed);
        List<WindowMetrics> out = new ArrayList<>();
        for (int w = 0; w < windows; w++) {
            if (w >= 340 && w < 350) {
                continue; // silent: counted as zero volume when the source comes back
            }
            WindowMetrics m = window(org, source, w, random);
            if (w % 17 == 0) {
                out.add(m.emitted(false)); // an early firing: never judged
            }
            out.add(m);
            if (w == 100) {
                out.add(window(org, source, 99, random)); // a late update of a judged window
            }
        }
        return out;
    }

    static WindowMetrics window(String org, String source, int w, Random random) {
        WindowMetrics m = WindowMetrics.empty(org, source, T0 + w * MINUTE, T0 + (w + 1) * MINUTE);
        m.complete = true;
        double volume = 1.0;
        if (w >= 150 && w < 153) volume = 4.0;
        if (w >= 120 && w < 123) volume = 0.05;
        double errorShare = (w >= 200 && w < 204) ? 0.2 : 0.02;
        for (int t = 0; t < TEMPLATES; t++) {
            if (t >= 20 && random.nextInt(3) == 0) {
                continue; // rare templates: absent from some windows
            }
            long lines = Math.round((40 - t) * volume * (0.8 + 0.4 * random.nextDouble()));
            if (t == 7 && w >= 180 && w < 182) lines *= 20;
            if (lines == 0) continue;
            long errors = Math.round(lines * errorShare * (0.5 + random.nextDouble()));
            add(m, "t" + t, "template " + t + " <*>", lines, errors, false);
        }
        if (w == 210) add(m, "t-new-err", "payment failed for <*>", 12, 12, true);
        if (w == 260) {
            // a burst of new warnings (new INFO templates alone are a change, not an incident)
            for (int i = 0; i < 5; i++) {
                add(m, "t-burst" + i, "burst " + i + " <*>", 3, 0, true);
                m.templates.get("t-burst" + i).warnings = 3;
                m.counts.info -= 3;
                m.counts.warn += 3;
            }
        }
        String[] services = {"api", "db", "cache", "auth"};
        long total = m.counts.lines;
        long errors = m.counts.error;
        for (int i = 0; i < services.length; i++) {
            ServiceCount c = new ServiceCount();
            c.lines = total / services.length;
            c.errors = errors / services.length;
            if (services[i].equals("cache") && w >= 300 && w < 302) {
                c.errors = c.lines * 2 / 5;
            }
            m.services.put(services[i], c);
        }
        if (w >= 280 && w < 290) {
            m.services.put("batch-" + (w % 3), service(50, 1));
        }
        m.latency = new LatencySketch();
        double p = (w >= 320 && w < 322) ? 600 : 120;
        for (int i = 0; i < 60; i++) {
            m.latency.add(p * (0.5 + random.nextDouble()));
        }
        return m;
    }

    static void add(WindowMetrics m, String id, String text, long lines, long errors, boolean isNew) {
        TemplateCount t = new TemplateCount();
        t.template = text;
        t.lines = lines;
        t.errors = errors;
        t.isNew = isNew;
        t.example = text.replace("<*>", "42");
        t.exampleIsError = errors > 0;
        m.templates.put(id, t);
        m.counts.lines += lines;
        m.counts.error += errors;
        m.counts.info += lines - errors;
        if (isNew) {
            m.newTemplates++;
        }
    }

    static ServiceCount service(long lines, long errors) {
        ServiceCount c = new ServiceCount();
        c.lines = lines;
        c.errors = errors;
        return c;
    }

    /** Every field of an anomaly, doubles exact: two runs agree on this text iff they agree on the anomalies. */
    static String describe(Anomaly a) {
        return String.join(
                " | ",
                a.id,
                a.orgId,
                a.sourceId,
                Long.toString(a.windowStart),
                Long.toString(a.windowEnd),
                a.metric,
                a.service,
                a.templateId,
                Double.toString(a.observed),
                Double.toString(a.baseline),
                Double.toString(a.zscore),
                Double.toString(a.score),
                a.label,
                a.explanation);
    }
}
