package dev.logai.flink.anomaly;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.logai.flink.window.ServiceCount;
import dev.logai.flink.window.TemplateCount;
import dev.logai.flink.window.WindowMetrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * "Why was this marked anomalous?": the reason in one line, the templates and services that
 * contribute most to the flagged metric, and example lines of the top templates, as JSON:
 * <pre>{"reason": "...", "top_templates": [{"template_id", "template", "lines", "errors",
 *   "usual_lines", "new"}], "top_services": [{"service", "lines", "errors", "error_rate"}],
 *   "examples": ["..."], "sensitivity"}</pre>
 * ({@code sensitivity} only when the tenant set one for the source or org: the level it was judged at).
 */
final class Explanations {
    static final int TOP = 5;
    static final int EXAMPLES = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What "contributes most" means for the flagged metric. */
    enum Focus {
        /** Error lines; new templates with errors first. */
        ERRORS,
        /** Lines above the template's usual count. */
        EXCESS,
        /** New templates first, then error lines. */
        NEW,
        /** Lines. */
        LINES
    }

    private final WindowMetrics window;
    private final Map<String, Double> usual;

    Explanations(WindowMetrics window, Map<String, Double> usualLines) {
        this.window = window;
        this.usual = usualLines;
    }

    String of(Focus focus, String reason) {
        List<Map.Entry<String, TemplateCount>> templates = new ArrayList<>(window.templates.entrySet());
        Comparator<Map.Entry<String, TemplateCount>> order = switch (focus) {
            case ERRORS ->
                Comparator.<Map.Entry<String, TemplateCount>>comparingInt(
                                e -> e.getValue().isNew && e.getValue().errors > 0 ? 0 : 1)
                        .thenComparing(e -> -e.getValue().errors);
            case EXCESS -> Comparator.comparingDouble(e -> -(e.getValue().lines - usual.getOrDefault(e.getKey(), 0.0)));
            case NEW ->
                Comparator.<Map.Entry<String, TemplateCount>>comparingInt(e -> e.getValue().isNew ? 0 : 1)
                        .thenComparing(e -> -e.getValue().errors);
            case LINES -> Comparator.comparingLong(e -> -e.getValue().lines);
        };
        templates.sort(order.thenComparing(e -> -e.getValue().lines).thenComparing(Map.Entry::getKey));
        List<Map.Entry<String, ServiceCount>> services = new ArrayList<>(window.services.entrySet());
        boolean errors = focus == Focus.ERRORS || focus == Focus.NEW;
        services.sort(Comparator.<Map.Entry<String, ServiceCount>>comparingLong(
                        e -> errors ? -e.getValue().errors : -e.getValue().lines)
                .thenComparing(Map.Entry::getKey));
        return json(
                reason,
                templates.subList(0, Math.min(TOP, templates.size())),
                services.subList(0, Math.min(TOP, services.size())));
    }

    /**
     * For an anomaly of one service's latency: the service alone under {@code top_services}, and as
     * top template and example the service's slowest line of the window and its template (the
     * window's busiest templates may all be other services').
     */
    String ofServiceLatency(String service, String reason) {
        if (service.isEmpty()) { // the lines that name no service: their slowest, no service to list
            ServiceCount c = window.withoutService;
            return c == null || c.slowestExample == null
                    ? of(Focus.LINES, reason)
                    : ofLine(c.slowestTemplateId, c.slowestExample, reason, List.of());
        }
        ServiceCount c = window.services.get(service);
        return c == null || c.slowestExample == null
                ? of(Focus.LINES, reason)
                : ofServiceLine(service, c, c.slowestTemplateId, c.slowestExample, reason);
    }

    /** For an anomaly of one service's error rate: as above, with the service's first error line of the window. */
    String ofServiceErrors(String service, String reason) {
        ServiceCount c = window.services.get(service);
        return c == null || c.errorExample == null
                ? of(Focus.ERRORS, reason)
                : ofServiceLine(service, c, c.errorTemplateId, c.errorExample, reason);
    }

    private String ofServiceLine(String service, ServiceCount c, String templateId, String line, String reason) {
        return ofLine(templateId, line, reason, List.of(Map.entry(service, c)));
    }

    private String ofLine(
            String templateId, String line, String reason, List<Map.Entry<String, ServiceCount>> services) {
        TemplateCount t = templateId == null ? null : window.templates.get(templateId);
        List<Map.Entry<String, TemplateCount>> templates = t == null ? List.of() : List.of(Map.entry(templateId, t));
        ObjectNode root = tree(reason, templates, services);
        root.putArray("examples").add(line); // the service's own line, not the template's first (any service's)
        return write(root);
    }

    String ofTemplate(String templateId, String reason) {
        TemplateCount t = window.templates.get(templateId);
        return json(reason, List.of(Map.entry(templateId, t)), List.of());
    }

    private String json(
            String reason,
            List<Map.Entry<String, TemplateCount>> templates,
            List<Map.Entry<String, ServiceCount>> services) {
        return write(tree(reason, templates, services));
    }

    private ObjectNode tree(
            String reason,
            List<Map.Entry<String, TemplateCount>> templates,
            List<Map.Entry<String, ServiceCount>> services) {
        ObjectNode root = JSON.createObjectNode();
        root.put("reason", reason);
        if (window.sensitivity != null) {
            root.put("sensitivity", window.sensitivity);
        }
        ArrayNode top = root.putArray("top_templates");
        ArrayNode examples = root.putArray("examples");
        for (Map.Entry<String, TemplateCount> e : templates) {
            TemplateCount t = e.getValue();
            ObjectNode n = top.addObject();
            n.put("template_id", e.getKey());
            n.put("template", t.template);
            n.put("lines", t.lines);
            n.put("errors", t.errors);
            n.put("usual_lines", Math.round(usual.getOrDefault(e.getKey(), 0.0) * 10) / 10.0);
            n.put("new", t.isNew);
            if (examples.size() < EXAMPLES && t.example != null) {
                examples.add(t.example);
            }
        }
        ArrayNode svc = root.putArray("top_services");
        for (Map.Entry<String, ServiceCount> e : services) {
            ObjectNode n = svc.addObject();
            n.put("service", e.getKey());
            n.put("lines", e.getValue().lines);
            n.put("errors", e.getValue().errors);
            n.put("error_rate", Math.round(e.getValue().errorRate() * 10_000) / 10_000.0);
        }
        return root;
    }

    private static String write(ObjectNode root) {
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Explanation could not be written as JSON", e);
        }
    }
}
