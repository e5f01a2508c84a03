package dev.logai.flink.summary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logai.common.contract.Metric;
import dev.logai.flink.anomaly.Anomaly;
import dev.logai.flink.window.ServiceCount;
import dev.logai.flink.window.TemplateCount;
import dev.logai.flink.window.WindowMetrics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The prompt for one summary, built from a window's numbers, never from raw chunks: the source,
 * the window (and the incident so far), statistics, the anomalies with their baselines, the top
 * templates with counts, and representative lines — a few per template, the templates behind the
 * anomalies and errors first, stack traces trimmed — added until the token budget is reached.
 * Everything passes the {@link PiiScrubber} first (one instance per prompt, so placeholders are
 * stable across the prompt). The extractive summarizer reads the same scrubbed material.
 *
 * <p>Bump {@link #VERSION} whenever the wording or layout changes: it is stored with every summary
 * and is part of the cache key.
 */
public final class SummaryPrompt {
    public static final String VERSION = "2026-12-02.2";

    static final String SYSTEM = """
            You are LogAi, an assistant for site reliability engineers. You get one log source's time \
            window: statistics, anomalies that detectors flagged against the source's own baselines, the \
            most frequent message templates (<*> marks a variable part) and representative lines. Values \
            like <EMAIL_1> or <IP_2> are placeholders for scrubbed personal data or secrets; the same \
            placeholder is the same value.
            Reply with one JSON object and nothing else:
            {"title": "what happened, at most 100 characters",
             "severity": "info" | "low" | "medium" | "high" | "critical",
             "bullets": [3 to 7 short factual statements with the numbers that matter],
             "evidence": [1 to 5 log lines copied verbatim from the input],
             "next_steps": [1 to 4 concrete actions for the on-call engineer]}
            Use only facts from the input. If nothing is wrong, say so and use severity "info".""";

    static final int MAX_TEMPLATES_LISTED = 20;
    static final int MAX_LINES = 60;
    static final int MAX_LINE_CHARS = 400;
    static final int MAX_TEMPLATE_CHARS = 200;
    static final int STACK_FRAMES_KEPT = 3;
    /** Per-message overhead of the chat format, and room for the model's own framing. */
    static final int MESSAGE_OVERHEAD_TOKENS = 20;

    /** One template in the prompt: its number in the prompt, scrubbed text and counts. */
    public record PromptTemplate(
            int number,
            String templateId,
            String template,
            long lines,
            long errors,
            boolean isNew,
            List<String> examples) {}

    /**
     * The built prompt. {@code lines} are the scrubbed representative lines in priority order,
     * {@code templates} the listed templates in priority order (both for the extractive summary).
     */
    public record Built(
            String system,
            String user,
            int tokens,
            String hash,
            List<PromptTemplate> templates,
            List<String> lines,
            List<String> anomalyReasons,
            int scrubbed) {}

    private SummaryPrompt() {}

    public static Built build(SummaryRequest r, String model, int tokenBudget) {
        PiiScrubber scrubber = new PiiScrubber();
        WindowMetrics m = r.metrics;
        StringBuilder user = new StringBuilder(4096);
        user.append("Source: ").append(scrubber.scrub(r.sourceId)).append('\n');
        long size = Math.max(1, r.windowEnd - r.windowStart);
        if (r.trigger.equals("digest")) {
            user.append("Digest of ")
                    .append(Instant.ofEpochMilli(r.incidentStart))
                    .append(" .. ")
                    .append(Instant.ofEpochMilli(r.windowEnd))
                    .append('\n');
        } else {
            user.append("Window: ")
                    .append(Instant.ofEpochMilli(r.windowStart))
                    .append(" .. ")
                    .append(Instant.ofEpochMilli(r.windowEnd))
                    .append(" (")
                    .append(size / 1000)
                    .append(" s)\n");
            if (r.ongoing()) {
                user.append("Ongoing incident since ")
                        .append(Instant.ofEpochMilli(r.incidentStart))
                        .append(", ")
                        .append(r.spannedWindows())
                        .append(" windows so far; signals so far: ")
                        .append(String.join(", ", r.signals))
                        .append('\n');
            }
        }
        user.append("Why summarized: ")
                .append(
                        switch (r.trigger) {
                            case "anomaly" -> "anomalies against the source's baselines";
                            case "new_templates" -> "a burst of new message templates";
                            case "errors" -> "error lines above the source's threshold";
                            default -> "periodic digest";
                        })
                .append('\n');

        long errors = m.counts.error + m.counts.fatal;
        user.append(String.format(
                Locale.ROOT,
                "Stats: %d lines, %d errors (%.2f%%), %d fatal, %d warnings, %d new templates",
                m.counts.lines,
                errors,
                100.0 * m.errorRate(),
                m.counts.fatal,
                m.counts.warn,
                m.newTemplates));
        if (m.latency != null && m.latency.count > 0) {
            user.append(String.format(
                    Locale.ROOT,
                    ", latency p50 %.0f ms p95 %.0f ms p99 %.0f ms (%d samples)",
                    m.latency.quantile(0.5),
                    m.latency.quantile(0.95),
                    m.latency.quantile(0.99),
                    m.latency.count));
        }
        user.append('\n');
        List<Map.Entry<String, ServiceCount>> services = new ArrayList<>(m.services.entrySet());
        services.sort(Comparator.comparingLong((Map.Entry<String, ServiceCount> e) -> e.getValue().errors)
                .reversed()
                .thenComparing(Comparator.comparingLong((Map.Entry<String, ServiceCount> e) -> e.getValue().lines)
                        .reversed())
                .thenComparing(Map.Entry::getKey));
        if (!services.isEmpty()) {
            user.append("Services (lines/errors): ");
            for (int i = 0; i < Math.min(10, services.size()); i++) {
                ServiceCount c = services.get(i).getValue();
                user.append(i == 0 ? "" : ", ")
                        .append(scrubber.scrub(services.get(i).getKey()))
                        .append(' ')
                        .append(c.lines)
                        .append('/')
                        .append(c.errors);
            }
            user.append('\n');
        }

        Set<String> anomalyTemplates = new LinkedHashSet<>();
        Map<String, List<String>> serviceLines = new java.util.LinkedHashMap<>();
        List<String> reasons = new ArrayList<>();
        if (r.anomalies.length > 0) {
            user.append("Anomalies:\n");
            Anomaly[] sorted = r.anomalies.clone();
            Arrays.sort(
                    sorted,
                    Comparator.comparingDouble((Anomaly a) -> a.score)
                            .reversed()
                            .thenComparing(a -> a.id));
            for (Anomaly a : sorted) {
                String reason = reasonOf(a, anomalyTemplates, serviceLines);
                reasons.add(scrubber.scrub(reason));
                user.append(String.format(
                        Locale.ROOT,
                        "- %s %s%s: observed %s vs baseline %s%s, score %.2f: %s%n",
                        a.metric,
                        a.label,
                        a.service.isEmpty() ? "" : " (service " + scrubber.scrub(a.service) + ")",
                        number(a.metric, a.observed),
                        number(a.metric, a.baseline),
                        Double.isFinite(a.zscore) ? String.format(Locale.ROOT, " (z %.1f)", a.zscore) : "",
                        a.score,
                        reasons.get(reasons.size() - 1)));
                if (!a.templateId.isEmpty()) {
                    anomalyTemplates.add(a.templateId);
                }
            }
        }

        List<Map.Entry<String, TemplateCount>> ordered = prioritized(m, anomalyTemplates);
        List<PromptTemplate> listed = new ArrayList<>();
        user.append("Top templates (lines, errors):\n");
        for (int i = 0; i < Math.min(MAX_TEMPLATES_LISTED, ordered.size()); i++) {
            TemplateCount t = ordered.get(i).getValue();
            String text = clip(scrubber.scrub(t.template), MAX_TEMPLATE_CHARS);
            listed.add(new PromptTemplate(
                    i + 1, ordered.get(i).getKey(), text, t.lines, t.errors, t.isNew, new ArrayList<>()));
            user.append(String.format(
                    Locale.ROOT, "T%d %d %d%s %s%n", i + 1, t.lines, t.errors, t.isNew ? " NEW" : "", text));
        }
        if (ordered.size() > listed.size()) {
            user.append("(").append(ordered.size() - listed.size()).append(" more templates)\n");
        }

        // Representative lines, round-robin over the templates in priority order, until the budget.
        user.append("Representative lines:\n");
        int budget = tokenBudget - Tokens.count(SYSTEM) - 2 * MESSAGE_OVERHEAD_TOKENS;
        int used = Tokens.count(user.toString());
        List<String> chosen = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        // First the lines a service's anomaly points at (its slowest or first error line): the
        // template's own example may be another service's line.
        for (PromptTemplate pt : listed) {
            for (String raw : serviceLines.getOrDefault(pt.templateId(), List.of())) {
                if (chosen.size() >= MAX_LINES) {
                    break;
                }
                String line = clip(scrubber.scrub(trimStackTrace(raw)), MAX_LINE_CHARS);
                String entry = "[T" + pt.number() + "] " + line + "\n";
                int cost = Tokens.count(entry);
                if (used + cost <= budget && seen.add(line)) {
                    user.append(entry);
                    used += cost;
                    chosen.add(line);
                    pt.examples().add(line);
                }
            }
        }
        outer:
        for (int round = 0; round <= TemplateCount.MORE_EXAMPLES; round++) {
            for (PromptTemplate pt : listed) {
                TemplateCount t = m.templates.get(pt.templateId());
                String raw =
                        round == 0 ? t.example : round - 1 < t.moreExamples.length ? t.moreExamples[round - 1] : null;
                if (raw == null || raw.isBlank()) {
                    continue;
                }
                String line = clip(scrubber.scrub(trimStackTrace(raw)), MAX_LINE_CHARS);
                if (!seen.add(line)) {
                    continue;
                }
                String entry = "[T" + pt.number() + "] " + line + "\n";
                int cost = Tokens.count(entry);
                if (used + cost > budget || chosen.size() >= MAX_LINES) {
                    if (chosen.size() >= MAX_LINES) break outer;
                    continue; // a shorter line of another template may still fit
                }
                user.append(entry);
                used += cost;
                chosen.add(line);
                pt.examples().add(line);
            }
        }
        String userText = user.toString();
        int tokens = Tokens.count(SYSTEM) + Tokens.count(userText) + 2 * MESSAGE_OVERHEAD_TOKENS;
        return new Built(
                SYSTEM, userText, tokens, hash(model, SYSTEM, userText), listed, chosen, reasons, scrubber.replaced());
    }

    /** Templates behind anomalies, then new ones with errors, then by errors, then new, then by lines. */
    static List<Map.Entry<String, TemplateCount>> prioritized(WindowMetrics m, Set<String> anomalyTemplates) {
        List<Map.Entry<String, TemplateCount>> all = new ArrayList<>(m.templates.entrySet());
        all.sort(Comparator.comparing((Map.Entry<String, TemplateCount> e) -> !anomalyTemplates.contains(e.getKey()))
                .thenComparing(e -> !(e.getValue().isNew && e.getValue().errors > 0))
                .thenComparing(Comparator.comparingLong((Map.Entry<String, TemplateCount> e) -> e.getValue().errors)
                        .reversed())
                .thenComparing(e -> !e.getValue().isNew)
                .thenComparing(Comparator.comparingLong((Map.Entry<String, TemplateCount> e) -> e.getValue().lines)
                        .reversed())
                .thenComparing(Map.Entry::getKey));
        return all;
    }

    /**
     * The anomaly's reason; adds its top two templates to {@code templates} and, for a service's
     * anomaly or a typical-latency rise, its example line (that service's own, the slowest) to
     * {@code serviceLines}, by template id.
     */
    private static String reasonOf(Anomaly a, Set<String> templates, Map<String, List<String>> serviceLines) {
        try {
            JsonNode why = MAPPER.readTree(a.explanation);
            JsonNode top = why.path("top_templates");
            for (int i = 0; i < Math.min(2, top.size()); i++) {
                templates.add(top.get(i).path("template_id").asText());
            }
            String example = why.path("examples").path(0).asText("");
            boolean ownLine = !a.service.isEmpty() || "latency_geomean".equals(a.metric); // its slowest line
            if (ownLine && top.size() > 0 && !example.isBlank()) {
                serviceLines
                        .computeIfAbsent(top.get(0).path("template_id").asText(), k -> new ArrayList<>())
                        .add(example); // two services' anomalies on one shared template: both lines
            }
            return why.path("reason").asText("");
        } catch (Exception e) {
            return "";
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The first line, the first few stack frames and every "Caused by", the rest counted. */
    static String trimStackTrace(String raw) {
        if (raw.indexOf('\n') < 0) {
            return raw;
        }
        String[] lines = raw.split("\r?\n");
        StringBuilder out = new StringBuilder(lines[0]);
        int frames = 0;
        int dropped = 0;
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i].strip();
            boolean frame = l.startsWith("at ") || l.startsWith("...");
            if (l.startsWith("Caused by")
                    || (frame && frames < STACK_FRAMES_KEPT)
                    || (!frame && !l.isEmpty() && i < 4)) {
                out.append(" | ").append(l);
                if (frame) frames++;
            } else if (!l.isEmpty()) {
                dropped++;
            }
        }
        if (dropped > 0) {
            out.append(" | (").append(dropped).append(" more lines)");
        }
        return out.toString();
    }

    public static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    private static String number(String metric, double v) {
        if (Metric.ERROR_RATE.wireName().equals(metric)) {
            return String.format(Locale.ROOT, "%.2f%%", 100 * v);
        }
        return String.format(Locale.ROOT, v == Math.rint(v) ? "%.0f" : "%.1f", v);
    }

    static String hash(String model, String system, String user) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {VERSION, model, system, user}) {
                d.update(part.getBytes(StandardCharsets.UTF_8));
                d.update((byte) 0);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
