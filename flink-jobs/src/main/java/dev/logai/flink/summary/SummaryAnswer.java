package dev.logai.flink.summary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The content of a summary as the seed fixes it: title, severity, 3–7 bullets, evidence lines and
 * next steps. {@link #parse} validates a model's answer (tolerating a code fence around the JSON
 * and trimming over-long lists) and says precisely what is wrong, for the one repair request.
 */
public record SummaryAnswer(
        String title, String severity, List<String> bullets, List<String> evidence, List<String> nextSteps) {
    public static final Set<String> SEVERITIES = Set.of("info", "low", "medium", "high", "critical");
    static final int MAX_TITLE = 120;
    static final int MAX_ITEM = 500;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A valid answer, or the reason it is not one. */
    public record Parsed(SummaryAnswer answer, String problem) {
        public boolean valid() {
            return answer != null;
        }
    }

    public static Parsed parse(String text) {
        if (text == null || text.isBlank()) {
            return new Parsed(null, "the answer was empty");
        }
        String json = text.strip();
        if (json.startsWith("```")) {
            int start = json.indexOf('\n');
            int end = json.lastIndexOf("```");
            json = start > 0 && end > start ? json.substring(start + 1, end).strip() : json;
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (Exception e) {
            return new Parsed(null, "the answer is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            return new Parsed(null, "the answer is not a JSON object");
        }
        String title =
                root.path("title").isTextual() ? root.path("title").asText().strip() : "";
        if (title.isEmpty()) {
            return new Parsed(null, "\"title\" is missing or not a string");
        }
        String severity = root.path("severity").asText("").strip().toLowerCase(Locale.ROOT);
        if (!SEVERITIES.contains(severity)) {
            return new Parsed(null, "\"severity\" must be one of info, low, medium, high, critical");
        }
        List<String> bullets = strings(root.path("bullets"), 7);
        if (bullets == null || bullets.size() < 3) {
            return new Parsed(null, "\"bullets\" must be an array of 3 to 7 strings");
        }
        List<String> evidence = strings(root.path("evidence"), 5);
        if (evidence == null) {
            return new Parsed(null, "\"evidence\" must be an array of strings");
        }
        List<String> nextSteps = strings(root.path("next_steps"), 4);
        if (nextSteps == null || nextSteps.isEmpty()) {
            return new Parsed(null, "\"next_steps\" must be an array of 1 to 4 strings");
        }
        return new Parsed(
                new SummaryAnswer(SummaryPrompt.clip(title, MAX_TITLE), severity, bullets, evidence, nextSteps), null);
    }

    private static List<String> strings(JsonNode node, int max) {
        if (!node.isArray()) {
            return node.isMissingNode() || node.isNull() ? List.of() : null;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : node) {
            if (!n.isTextual()) {
                return null;
            }
            if (!n.asText().isBlank() && out.size() < max) {
                out.add(SummaryPrompt.clip(n.asText().strip(), MAX_ITEM));
            }
        }
        return out;
    }

    /** The canonical JSON of this answer (what the cache stores). */
    public String toJson() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("title", title);
        root.put("severity", severity);
        ArrayNode b = root.putArray("bullets");
        bullets.forEach(b::add);
        ArrayNode e = root.putArray("evidence");
        evidence.forEach(e::add);
        ArrayNode n = root.putArray("next_steps");
        nextSteps.forEach(n::add);
        return root.toString();
    }
}
