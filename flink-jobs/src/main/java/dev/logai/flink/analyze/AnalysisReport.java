package dev.logai.flink.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.logai.flink.anomaly.Anomaly;
import dev.logai.flink.summary.Summary;
import dev.logai.flink.template.TemplateMerge;
import dev.logai.flink.window.PatternWindow;
import dev.logai.flink.window.WindowCounts;
import dev.logai.flink.window.WindowStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code ./logai analyze} reports per source: time range, events per level, the windows
 * with the highest error rate, the format LogAi detected, the most frequent patterns and the new
 * ones. Later stages (anomalies, summaries) add sections.
 */
public record AnalysisReport(List<SourceReport> sources, String windowSize) {
    static final int TOP_WINDOWS = 5;

    public record LevelCounts(long trace, long debug, long info, long warn, long error, long fatal, long unknown) {}

    /**
     * One window of a source: its events, those at ERROR or FATAL, and their share; the p95 of its
     * events' durations in ms (null when none carried one).
     */
    public record WindowSummary(
            Instant start, Instant end, long events, long errors, double errorRate, Double latencyP95Ms) {}

    /**
     * One file's report. {@code lines}: non-blank lines read from the file; {@code events}: the
     * events counted in its windows (a stack trace joined to its line counts once, a line its
     * container runtime cut into chunks once); {@code lateEvents}: events later than the file's
     * own clock allowed (out-of-orderness plus allowed lateness), not in the counts. {@code flags}:
     * events per parse flag ({@code no_timestamp}, {@code format_mismatch}, …; see {@link
     * ParseFlags}). {@code windows}: every window, in time order; {@code patterns}: every template,
     * most frequent first. {@code durations}: events that carried a duration (a field, an access
     * log's request time, or one written in the text: the input of latency detection), and the
     * lowest and highest p95 of a window among those that had any (ms; null when none).
     */
    public record SourceReport(
            String source,
            String format,
            long lines,
            long events,
            long lateEvents,
            Instant from,
            Instant to,
            LevelCounts levels,
            Map<String, Long> flags,
            long durations,
            Double lowestWindowP95Ms,
            Double highestWindowP95Ms,
            List<WindowSummary> highestErrorRateWindows,
            List<WindowSummary> windows,
            int patternCount,
            List<PatternSummary> patterns,
            List<PatternSummary> newPatterns,
            List<AnomalySummary> anomalies,
            List<SummaryView> summaries) {}

    /** A summary of an incident (all its windows merged), as {@code GET /v1/summaries} shows it. */
    public record SummaryView(
            Instant windowStart,
            Instant windowEnd,
            int windows,
            String trigger,
            String severity,
            String title,
            List<String> bullets,
            List<String> evidence,
            List<String> nextSteps,
            String llmModel,
            double costUsd,
            int tokensIn,
            int tokensOut,
            boolean cacheHit,
            boolean partial,
            String fallbackReason,
            String promptVersion) {}

    /** The text report prints this many summaries per source (the latest); the JSON report has them all. */
    static final int MAX_SUMMARIES = 20;

    /**
     * An anomaly with its explanation: the reason, the template contributing most and an example
     * line. {@code onset} is where a lasting change began (the first window of the evidence that
     * made it certain: a slow leak, an error-rate rise, a lasting drop); {@code windowStart} for the
     * others.
     */
    public record AnomalySummary(
            Instant windowStart,
            Instant onset,
            String metric,
            String service,
            String label,
            double observed,
            double baseline,
            double score,
            String reason,
            String topTemplate,
            String example) {}

    /**
     * By default the text report prints this many anomalies per source (the highest scored, in time
     * order) and says how many it left out; {@code ./logai analyze --max-anomalies N} changes it (0:
     * all), and the JSON report has them all.
     */
    public static final int MAX_ANOMALIES = 20;

    /** A template of a source with its lines over the whole input; {@code firstSeen} of its first line. */
    public record PatternSummary(
            String templateId, String template, long lines, long errors, Instant firstSeen, boolean isNew) {}

    static final int TOP_PATTERNS = 10;

    /**
     * {@code formats}: the detected format of each source, by name; {@code physicalLines} and {@code
     * lateEvents}: per source, the non-blank lines read and the events too late to count; {@code
     * flagCounts}: per source, events per parse flag. {@code
     * windows} may hold several emissions of a window (one within the allowed lateness updates a
     * complete window): the one with the most lines counts, once. {@code merges}: templates
     * generalised into another, in the order they happened; their lines count under the live one.
     */
    public static AnalysisReport of(
            List<String> sourceNames,
            Map<String, String> formats,
            Map<String, Long> physicalLines,
            Map<String, Long> lateEvents,
            Map<String, Map<String, Long>> flagCounts,
            List<WindowStats> windows,
            List<PatternWindow> patternWindows,
            List<TemplateMerge> merges,
            List<Anomaly> anomalies,
            List<Summary> summaries,
            Duration windowSize) {
        Map<String, List<SummaryView>> summariesBySource = summariesBySource(summaries);
        Map<String, List<AnomalySummary>> anomaliesBySource = new LinkedHashMap<>();
        anomalies.stream()
                .sorted(Comparator.comparingLong((Anomaly a) -> a.windowStart).thenComparing(a -> a.metric))
                .forEach(a -> anomaliesBySource
                        .computeIfAbsent(a.sourceId, k -> new ArrayList<>())
                        .add(summary(a)));
        Map<String, Map<String, PatternSummary>> patternsBySource = patternsBySource(patternWindows, merges);
        Map<String, List<WindowStats>> bySource = new LinkedHashMap<>();
        sourceNames.forEach(name -> bySource.put(name, new ArrayList<>()));
        Map<String, WindowStats> latestWindows = new LinkedHashMap<>();
        for (WindowStats w : windows) {
            latestWindows.merge(w.sourceId + "/" + w.windowStart, w, (a, b) -> b.lines >= a.lines ? b : a);
        }
        latestWindows
                .values()
                .forEach(w -> bySource.computeIfAbsent(w.sourceId, k -> new ArrayList<>())
                        .add(w));
        List<SourceReport> sources = new ArrayList<>();
        for (Map.Entry<String, List<WindowStats>> e : bySource.entrySet()) {
            List<WindowStats> ws = e.getValue();
            WindowCounts t = new WindowCounts();
            ws.forEach(t::add);
            long durations = ws.stream().mapToLong(w -> w.latencyCount).sum();
            java.util.DoubleSummaryStatistics p95 = ws.stream()
                    .filter(w -> w.latencyCount > 0)
                    .mapToDouble(w -> w.latencyP95Ms)
                    .summaryStatistics();
            List<WindowSummary> top = ws.stream()
                    .filter(w -> w.error + w.fatal > 0)
                    .sorted(Comparator.comparingDouble((WindowStats w) -> w.errorRate)
                            .reversed()
                            .thenComparing(Comparator.comparingLong((WindowStats w) -> w.error + w.fatal)
                                    .reversed())
                            .thenComparingLong(w -> w.windowStart))
                    .limit(TOP_WINDOWS)
                    .map(AnalysisReport::windowSummary)
                    .toList();
            List<WindowSummary> all = ws.stream()
                    .sorted(Comparator.comparingLong((WindowStats w) -> w.windowStart))
                    .map(AnalysisReport::windowSummary)
                    .toList();
            sources.add(new SourceReport(
                    e.getKey(),
                    formats.getOrDefault(e.getKey(), "unknown"),
                    physicalLines.getOrDefault(e.getKey(), 0L),
                    t.lines,
                    lateEvents.getOrDefault(e.getKey(), 0L),
                    t.lines == 0 ? null : Instant.ofEpochMilli(t.firstTs),
                    t.lines == 0 ? null : Instant.ofEpochMilli(t.lastTs),
                    new LevelCounts(t.trace, t.debug, t.info, t.warn, t.error, t.fatal, t.unknown),
                    flagCounts.getOrDefault(e.getKey(), Map.of()),
                    durations,
                    durations == 0 ? null : p95.getMin(),
                    durations == 0 ? null : p95.getMax(),
                    top,
                    all,
                    patternsBySource.getOrDefault(e.getKey(), Map.of()).size(),
                    patternsBySource.getOrDefault(e.getKey(), Map.of()).values().stream()
                            .sorted(Comparator.comparingLong(PatternSummary::lines)
                                    .reversed()
                                    .thenComparing(PatternSummary::templateId))
                            .toList(),
                    patternsBySource.getOrDefault(e.getKey(), Map.of()).values().stream()
                            .filter(PatternSummary::isNew)
                            .sorted(Comparator.comparing(PatternSummary::firstSeen)
                                    .thenComparing(PatternSummary::templateId))
                            .toList(),
                    anomaliesBySource.getOrDefault(e.getKey(), List.of()),
                    summariesBySource.getOrDefault(e.getKey(), List.of())));
        }
        return new AnalysisReport(sources, humanize(windowSize));
    }

    private static WindowSummary windowSummary(WindowStats w) {
        return new WindowSummary(
                Instant.ofEpochMilli(w.windowStart),
                Instant.ofEpochMilli(w.windowEnd),
                w.lines,
                w.error + w.fatal,
                w.errorRate,
                w.latencyCount > 0 ? w.latencyP95Ms : null);
    }

    /**
     * Sums each template's windows (the latest emission of a window counts, early firings do not
     * add up), each under the template it finally lives in: a template generalised into another
     * ({@code merges}, in order) adds its lines to that one.
     */
    static Map<String, Map<String, PatternSummary>> patternsBySource(
            List<PatternWindow> patternWindows, List<TemplateMerge> merges) {
        Map<String, TemplateMerge> into = new HashMap<>();
        for (TemplateMerge m : merges) {
            if (m.intoId == null) {
                into.remove(m.sourceId + "/" + m.fromId); // created again: its own template from now on
                continue;
            }
            // later merges move everything already merged into the old id (A→B, B→C: A→C)
            for (Map.Entry<String, TemplateMerge> e : into.entrySet()) {
                if (e.getValue().sourceId.equals(m.sourceId)
                        && e.getValue().intoId.equals(m.fromId)) e.setValue(m);
            }
            into.put(m.sourceId + "/" + m.fromId, m);
        }
        Map<String, PatternWindow> latest = new LinkedHashMap<>();
        for (PatternWindow w : patternWindows) {
            latest.merge(
                    w.sourceId + "/" + w.templateId + "/" + w.windowStart, w, (a, b) -> b.lines >= a.lines ? b : a);
        }
        Map<String, Map<String, PatternSummary>> out = new LinkedHashMap<>();
        for (PatternWindow w : latest.values()) {
            TemplateMerge m = into.get(w.sourceId + "/" + w.templateId);
            String id = m == null ? w.templateId : m.intoId;
            out.computeIfAbsent(w.sourceId, k -> new LinkedHashMap<>())
                    .merge(
                            id,
                            new PatternSummary(
                                    id,
                                    m == null ? w.template : m.intoText,
                                    w.lines,
                                    w.errors,
                                    Instant.ofEpochMilli(w.firstTs),
                                    w.isNew),
                            (a, b) -> new PatternSummary(
                                    a.templateId(),
                                    a.template(),
                                    a.lines() + b.lines(),
                                    a.errors() + b.errors(),
                                    a.firstSeen().isBefore(b.firstSeen()) ? a.firstSeen() : b.firstSeen(),
                                    a.isNew() || b.isNew()));
        }
        return out;
    }

    /**
     * One view per incident: the content of its latest refresh (most windows), the costs of all its
     * refreshes, and the end of its latest window (extensions included).
     */
    static Map<String, List<SummaryView>> summariesBySource(List<Summary> summaries) {
        Map<String, List<Summary>> byId = new LinkedHashMap<>();
        summaries.forEach(
                s -> byId.computeIfAbsent(s.id, k -> new ArrayList<>()).add(s));
        List<SummaryView> views = new ArrayList<>();
        Map<SummaryView, String> sourceOf = new java.util.IdentityHashMap<>();
        for (List<Summary> rows : byId.values()) {
            Summary latest = rows.stream()
                    .filter(s -> !s.extendOnly)
                    .max(Comparator.comparingInt((Summary s) -> s.windows))
                    .orElse(null);
            if (latest == null) {
                continue;
            }
            long end = rows.stream().mapToLong(s -> s.windowEnd).max().orElse(latest.windowEnd);
            int windows = rows.stream().mapToInt(s -> s.windows).max().orElse(latest.windows);
            double cost = rows.stream()
                    .filter(s -> !s.extendOnly)
                    .mapToDouble(s -> s.costUsd)
                    .sum();
            int in = rows.stream()
                    .filter(s -> !s.extendOnly)
                    .mapToInt(s -> s.tokensIn)
                    .sum();
            int out = rows.stream()
                    .filter(s -> !s.extendOnly)
                    .mapToInt(s -> s.tokensOut)
                    .sum();
            SummaryView v = new SummaryView(
                    Instant.ofEpochMilli(latest.windowStart),
                    Instant.ofEpochMilli(end),
                    windows,
                    latest.trigger,
                    latest.severity,
                    latest.title,
                    List.of(latest.bullets),
                    List.of(latest.evidence),
                    List.of(latest.nextSteps),
                    latest.llmModel,
                    cost,
                    in,
                    out,
                    latest.cacheHit,
                    latest.partial,
                    latest.fallbackReason,
                    latest.promptVersion);
            views.add(v);
            sourceOf.put(v, latest.sourceId);
        }
        views.sort(Comparator.comparing(SummaryView::windowStart).thenComparing(SummaryView::title));
        Map<String, List<SummaryView>> out = new LinkedHashMap<>();
        views.forEach(v ->
                out.computeIfAbsent(sourceOf.get(v), k -> new ArrayList<>()).add(v));
        return out;
    }

    static AnomalySummary summary(Anomaly a) {
        String reason = "";
        String top = "";
        String example = "";
        try {
            JsonNode why = new ObjectMapper().readTree(a.explanation);
            reason = why.path("reason").asText("");
            top = why.path("top_templates").path(0).path("template").asText("");
            example = why.path("examples").path(0).asText("");
        } catch (Exception e) {
            reason = "(unreadable explanation)";
        }
        return new AnomalySummary(
                Instant.ofEpochMilli(a.windowStart),
                Instant.ofEpochMilli(a.onset > 0 && a.onset < a.windowStart ? a.onset : a.windowStart),
                a.metric,
                a.service,
                a.label,
                a.observed,
                a.baseline,
                a.score,
                reason,
                top,
                example);
    }

    static String humanize(Duration d) {
        if (d.toSeconds() % 3600 == 0) return d.toHours() + "h";
        if (d.toSeconds() % 60 == 0) return d.toMinutes() + "m";
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** The text report with at most {@link #MAX_ANOMALIES} anomalies per source. */
    public String toText() {
        return toText(MAX_ANOMALIES);
    }

    /**
     * The text report, printing at most {@code maxAnomalies} anomalies per source (the highest
     * scored, in time order; 0: all) and how many were left out.
     */
    public String toText(int maxAnomalies) {
        int cap = maxAnomalies <= 0 ? Integer.MAX_VALUE : maxAnomalies;
        StringBuilder out = new StringBuilder();
        for (SourceReport s : sources) {
            out.append("== ").append(s.source()).append('\n');
            out.append("  format      ").append(s.format()).append('\n');
            if (s.events() == 0) {
                out.append("  no lines\n");
                continue;
            }
            out.append(String.format("  time range  %s .. %s%n", s.from(), s.to()));
            LevelCounts l = s.levels();
            out.append(String.format(
                    "  events      %d  (fatal %d, error %d, warn %d, info %d, debug %d, trace %d," + " no level %d)%n",
                    s.events(), l.fatal(), l.error(), l.warn(), l.info(), l.debug(), l.trace(), l.unknown()));
            out.append(String.format(
                    "  read        %d lines (continuation lines joined into their events)%s%n",
                    s.lines(),
                    s.lateEvents() == 0 ? "" : String.format(", %d events too late to count", s.lateEvents())));
            if (s.durations() == 0) {
                out.append(
                        "  latency     no event carried a duration, so latency was not judged (durations are read from"
                                + " fields such as duration_ms or latency, an access log's request time, or text such as"
                                + " 'took 12 ms')\n");
            } else {
                out.append(String.format(
                        java.util.Locale.ROOT,
                        "  latency     %d events carried a duration; a window's p95 from %.0f to %.0f ms%n",
                        s.durations(),
                        s.lowestWindowP95Ms(),
                        s.highestWindowP95Ms()));
            }
            if (s.highestErrorRateWindows().isEmpty()) {
                out.append("  no errors\n");
            } else {
                out.append("  highest error rate (").append(windowSize()).append(" windows):\n");
                for (WindowSummary w : s.highestErrorRateWindows()) {
                    out.append(String.format(
                            "    %s  %5.1f%%  %d of %d lines%n",
                            w.start(), w.errorRate() * 100, w.errors(), w.events()));
                }
            }
            out.append("  patterns    ").append(s.patternCount()).append('\n');
            if (!s.patterns().isEmpty()) {
                out.append("  top patterns:\n");
                for (PatternSummary p : s.patterns()
                        .subList(0, Math.min(TOP_PATTERNS, s.patterns().size()))) {
                    out.append(String.format("    %8d  %s  %s%n", p.lines(), p.templateId(), clip(p.template())));
                }
            }
            if (!s.newPatterns().isEmpty()) {
                out.append("  new patterns (first seen after the source's warm-up):\n");
                for (PatternSummary p : s.newPatterns()
                        .subList(0, Math.min(TOP_PATTERNS, s.newPatterns().size()))) {
                    out.append(String.format("    %s  %6d  %s%n", p.firstSeen(), p.lines(), clip(p.template())));
                }
            }
            if (!s.flags().isEmpty()) {
                out.append("  parse flags ").append(s.flags()).append('\n');
            }
            if (s.anomalies().isEmpty()) {
                out.append("  no anomalies\n");
            } else {
                List<AnomalySummary> shown = s.anomalies().size() <= cap
                        ? s.anomalies()
                        : s.anomalies().stream()
                                .sorted(Comparator.comparingDouble(AnomalySummary::score)
                                        .reversed())
                                .limit(cap)
                                .sorted(Comparator.comparing(AnomalySummary::windowStart))
                                .toList();
                out.append("  anomalies (").append(windowSize()).append(" windows)");
                if (shown.size() < s.anomalies().size()) {
                    out.append(", the ")
                            .append(shown.size())
                            .append(" highest scored of ")
                            .append(s.anomalies().size())
                            .append(": ")
                            .append(s.anomalies().size() - shown.size())
                            .append(" not shown (--max-anomalies 0 prints all, --json has all)");
                }
                out.append(":\n");
                for (AnomalySummary a : shown) {
                    out.append(String.format(
                            "    %s  %-13s %-5s score %.2f  %s%n",
                            a.windowStart(), a.metric(), a.label(), a.score(), a.reason()));
                    if (a.onset().isBefore(a.windowStart())) {
                        out.append("        building since ").append(a.onset()).append('\n');
                    }
                    if (!a.topTemplate().isEmpty()) {
                        out.append("        top template: ")
                                .append(clip(a.topTemplate()))
                                .append('\n');
                    }
                    if (!a.example().isEmpty()) {
                        out.append("        e.g. ")
                                .append(clip(a.example().lines().findFirst().orElse("")))
                                .append('\n');
                    }
                }
            }
            if (s.summaries().isEmpty()) {
                out.append("  no summaries\n");
            } else {
                List<SummaryView> latest = s.summaries()
                        .subList(
                                Math.max(0, s.summaries().size() - MAX_SUMMARIES),
                                s.summaries().size());
                out.append("  summaries");
                if (latest.size() < s.summaries().size()) {
                    out.append(", the latest ")
                            .append(latest.size())
                            .append(" of ")
                            .append(s.summaries().size())
                            .append(" (all in --json)");
                }
                out.append(":\n");
                for (SummaryView v : latest) {
                    out.append("    [")
                            .append(v.severity())
                            .append("] ")
                            .append(v.title())
                            .append('\n');
                    out.append(String.format(
                            java.util.Locale.ROOT,
                            "      %s .. %s  %d window%s with anomalies, %s · %s",
                            v.windowStart(),
                            v.windowEnd(),
                            v.windows(),
                            v.windows() == 1 ? "" : "s",
                            v.trigger(),
                            v.llmModel()));
                    if (!v.llmModel().equals("extractive")) {
                        out.append(String.format(
                                java.util.Locale.ROOT,
                                " · $%.4f · %d in / %d out tokens",
                                v.costUsd(),
                                v.tokensIn(),
                                v.tokensOut()));
                    }
                    out.append(v.cacheHit() ? " · cache hit" : "")
                            .append(v.partial() ? " · partial (" + v.fallbackReason() + ")" : "")
                            .append('\n');
                    v.bullets().forEach(b -> out.append("      - ").append(b).append('\n'));
                    v.evidence()
                            .forEach(e -> out.append("      > ").append(clip(e)).append('\n'));
                    v.nextSteps()
                            .forEach(n -> out.append("      next: ").append(n).append('\n'));
                }
            }
        }
        return out.toString().stripTrailing();
    }

    private static String clip(String template) {
        return template.length() <= 160 ? template : template.substring(0, 157) + "...";
    }

    public String toJson() {
        try {
            return new ObjectMapper()
                    .findAndRegisterModules()
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .writerWithDefaultPrettyPrinter()
                    .writeValueAsString(this);
        } catch (Exception e) {
            throw new IllegalStateException("Could not render the report as JSON", e);
        }
    }
}
