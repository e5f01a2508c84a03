package dev.logai.flink.summary;

import dev.logai.common.contract.Metric;
import dev.logai.flink.anomaly.Anomaly;
import dev.logai.flink.window.ServiceCount;
import dev.logai.flink.window.WindowMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A summary without a model, from the same scrubbed material the prompt holds: the title names the
 * strongest anomaly and its top pattern, the bullets are the statistics and the anomalies' reasons,
 * the evidence is the representative lines (errors first), and the next steps follow from which
 * metrics moved. It is what LogAi stores when no LLM is configured, the budget is spent, or the LLM
 * fails; such summaries are marked partial.
 */
public final class ExtractiveSummarizer {
    public static final String MODEL = "extractive";

    private ExtractiveSummarizer() {}

    public static SummaryAnswer summarize(SummaryRequest r, SummaryPrompt.Built prompt) {
        WindowMetrics m = r.metrics;
        Anomaly[] anomalies = r.anomalies.clone();
        Arrays.sort(
                anomalies,
                Comparator.comparingDouble((Anomaly a) -> a.score).reversed().thenComparing(a -> a.id));
        Anomaly top = anomalies.length == 0 ? null : anomalies[0];
        String topTemplate =
                prompt.templates().isEmpty() ? "" : prompt.templates().get(0).template();
        long errors = m.counts.error + m.counts.fatal;

        String what;
        if (r.trigger.equals("digest")) {
            what = String.format(
                    Locale.ROOT, "Digest: %d lines, %d errors (%.1f%%)", m.counts.lines, errors, 100 * m.errorRate());
        } else if (top != null) {
            what = headline(top);
        } else if (r.trigger.equals("new_templates")) {
            what = m.newTemplates + " new log patterns";
        } else {
            what = String.format(Locale.ROOT, "%d error lines (%.1f%%)", errors, 100 * m.errorRate());
        }
        String title = what + " in " + r.sourceId
                + (topTemplate.isEmpty() || r.trigger.equals("digest") ? "" : ": " + topTemplate);

        List<String> bullets = new ArrayList<>();
        bullets.add(String.format(
                Locale.ROOT,
                "%d lines between %s and %s, %d errors (%.1f%%), %d warnings",
                m.counts.lines,
                Instant.ofEpochMilli(r.windowStart),
                Instant.ofEpochMilli(r.windowEnd),
                errors,
                100 * m.errorRate(),
                m.counts.warn));
        if (r.ongoing()) {
            bullets.add("Ongoing since " + Instant.ofEpochMilli(r.incidentStart) + " (" + r.spannedWindows()
                    + " windows)" + (r.signals.length == 0 ? "" : ": " + String.join(", ", r.signals)));
        }
        for (String reason : prompt.anomalyReasons()) {
            if (!reason.isEmpty() && bullets.size() < 5) {
                bullets.add(Character.toUpperCase(reason.charAt(0)) + reason.substring(1));
            }
        }
        prompt.templates().stream()
                .filter(t -> t.errors() > 0)
                .findFirst()
                .ifPresent(t -> bullets.add(String.format(
                        Locale.ROOT,
                        "Top error pattern (%d of %d lines are errors)%s: %s",
                        t.errors(),
                        t.lines(),
                        t.isNew() ? ", new in this window" : "",
                        t.template())));
        if (m.newTemplates > 0 && bullets.size() < 7) {
            bullets.add(m.newTemplates + " pattern" + (m.newTemplates == 1 ? "" : "s")
                    + " never seen before on this source");
        }
        ServiceCount worst = null;
        String worstName = null;
        for (Map.Entry<String, ServiceCount> e : m.services.entrySet()) {
            if (e.getValue().errors > 0 && (worst == null || e.getValue().errors > worst.errors)) {
                worst = e.getValue();
                worstName = e.getKey();
            }
        }
        if (worst != null && m.services.size() > 1 && bullets.size() < 7) {
            bullets.add(String.format(
                    Locale.ROOT,
                    "Most errors from service %s: %d of its %d lines",
                    worstName,
                    worst.errors,
                    worst.lines));
        }
        if (m.latency != null && m.latency.count > 0 && bullets.size() < 7) {
            bullets.add(String.format(
                    Locale.ROOT,
                    "Latency p50 %.0f ms, p95 %.0f ms over %d requests",
                    m.latency.quantile(0.5),
                    m.latency.quantile(0.95),
                    m.latency.count));
        }
        if (bullets.size() < 3) {
            bullets.add(prompt.templates().size() + " distinct patterns in the window");
        }
        if (bullets.size() < 3) {
            bullets.add("Summary written without an LLM from the window's statistics");
        }

        List<String> evidence =
                prompt.lines().subList(0, Math.min(5, prompt.lines().size()));
        return new SummaryAnswer(
                SummaryPrompt.clip(title, SummaryAnswer.MAX_TITLE),
                severity(r, top),
                List.copyOf(bullets.subList(0, Math.min(7, bullets.size()))),
                List.copyOf(evidence),
                nextSteps(r, anomalies, topTemplate));
    }

    private static String headline(Anomaly a) {
        String where = a.service.isEmpty() ? "" : " of service " + a.service;
        Metric metric = Metric.fromWireName(a.metric).orElse(null);
        if (metric == null) {
            return a.metric + " " + a.label;
        }
        return switch (metric) {
            case ERROR_RATE ->
                String.format(
                        Locale.ROOT, "Error rate%s %.1f%% (usually %.1f%%)", where, 100 * a.observed, 100 * a.baseline);
            case VOLUME ->
                String.format(
                        Locale.ROOT,
                        "Log volume %s: %.0f lines (usually %.0f)",
                        a.label.equals("drop") ? "drop" : "spike",
                        a.observed,
                        a.baseline);
            case LATENCY_P95 ->
                String.format(Locale.ROOT, "p95 latency %.0f ms (usually %.0f ms)", a.observed, a.baseline);
            case LATENCY_GEOMEAN ->
                String.format(
                        Locale.ROOT,
                        "Typical latency%s %.0f ms, rising (usually %.0f ms)",
                        where,
                        a.observed,
                        a.baseline);
            case NEW_TEMPLATES -> String.format(Locale.ROOT, "%.0f new log patterns", a.observed);
            case TEMPLATE_RATE ->
                String.format(Locale.ROOT, "Pattern surge: %.0f lines (usually %.1f)", a.observed, a.baseline);
            case SILENCE ->
                String.format(
                        Locale.ROOT,
                        "Silent from %s (usually %.0f lines a window)",
                        Instant.ofEpochMilli(a.windowStart),
                        a.baseline);
            default -> a.metric + " " + a.label;
        };
    }

    /** critical: most lines fail or fatal errors; high: a strong error anomaly; medium: other anomalies. */
    static String severity(SummaryRequest r, Anomaly top) {
        WindowMetrics m = r.metrics;
        if (r.trigger.equals("digest")) {
            return "info";
        }
        boolean errorSignal = Arrays.stream(r.anomalies)
                .anyMatch(a ->
                        a.is(Metric.ERROR_RATE) || (a.is(Metric.NEW_TEMPLATES) && m.counts.error + m.counts.fatal > 0));
        if ((m.counts.fatal > 0 && top != null) || (errorSignal && m.errorRate() >= 0.5)) {
            return "critical";
        }
        if (errorSignal && top.score >= 0.8) {
            return "high";
        }
        if (top != null) {
            boolean slower = top.is(Metric.LATENCY_P95) || top.is(Metric.LATENCY_GEOMEAN);
            return errorSignal || slower || top.label.equals("drop") ? "high" : "medium";
        }
        return r.trigger.equals("errors") ? "medium" : "low";
    }

    private static List<String> nextSteps(SummaryRequest r, Anomaly[] anomalies, String topTemplate) {
        Set<String> steps = new LinkedHashSet<>();
        Set<String> errorServices = new LinkedHashSet<>();
        for (Anomaly a : anomalies) {
            if (a.is(Metric.ERROR_RATE) || a.is(Metric.NEW_TEMPLATES)) {
                errorServices.add(a.service);
            }
        }
        if (!errorServices.isEmpty()) {
            errorServices.remove("");
            steps.add("Find what changed around " + Instant.ofEpochMilli(r.incidentStart) + " (deploys, configuration,"
                    + " dependencies" + (errorServices.isEmpty() ? "" : " of " + String.join(", ", errorServices))
                    + ") and read the first lines of the top error pattern");
        }
        for (Anomaly a : anomalies) {
            String service = a.service.isEmpty() ? "" : " of " + a.service;
            if (a.is(Metric.LATENCY_P95) || a.is(Metric.LATENCY_GEOMEAN)) {
                steps.add("Check the slow dependencies and saturation (CPU, pools, queues)" + service);
            } else if (a.is(Metric.VOLUME) || a.is(Metric.SILENCE)) {
                steps.add(
                        a.label.equals("drop")
                                ? "Check whether the producers are up and still shipping logs"
                                : "Look for retry storms, loops or a traffic surge behind the extra lines");
            } else if (a.is(Metric.TEMPLATE_RATE)) {
                steps.add("Find out why one pattern surged: " + SummaryPrompt.clip(topTemplate, 120));
            }
        }
        if (steps.isEmpty()) {
            steps.add(
                    r.trigger.equals("digest")
                            ? "Review the top patterns for anything unexpected"
                            : "Review the error lines below and decide whether they need an owner");
        }
        return List.copyOf(new ArrayList<>(steps).subList(0, Math.min(4, steps.size())));
    }
}
