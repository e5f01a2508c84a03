package dev.logai.query.anomaly;

import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.tenancy.Ids;
import dev.logai.common.tenancy.Permissions;
import dev.logai.common.web.ApiProblem;
import dev.logai.query.auth.RequiresScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * How sensitive anomaly detection is for the caller's org and each of its sources: {@code low}
 * (fewer anomalies: a surprise of 6 robust deviations), {@code medium} (4) or {@code high} (3);
 * null inherits (a source from its org, the org from the deployment's default). A change reaches
 * the pipeline within seconds and applies to the windows it judges next.
 *
 * <ul>
 *   <li>{@code GET /v1/anomaly-settings} (read): {@code {"sensitivity", "sources": [{"source_id",
 *       "name", "sensitivity"}...]}}.</li>
 *   <li>{@code PUT /v1/anomaly-settings} (alerts) with {@code {"sensitivity": "high"}} or {@code null}.</li>
 *   <li>{@code PUT /v1/sources/{id}/anomaly-settings} (alerts), the same body; 404 for a source the
 *       org does not have.</li>
 * </ul>
 *
 * A bad body (a value not accepted, or any field besides {@code sensitivity}) is a 400 that names
 * the accepted values; Kafka unreachable is a 503 with nothing changed.
 */
@RestController
class AnomalySettingsController {
    static final Set<String> LEVELS = Set.of("low", "medium", "high");

    private final AnomalySettingsRepository settings;
    private final AnomalySettingsPublisher publisher;

    AnomalySettingsController(AnomalySettingsRepository settings, AnomalySettingsPublisher publisher) {
        this.settings = settings;
        this.publisher = publisher;
    }

    @GetMapping("/v1/anomaly-settings")
    Map<String, Object> get(@RequiresScope(Permissions.READ) ApiPrincipal caller) {
        return view(settings.read(caller.orgId()));
    }

    @PutMapping("/v1/anomaly-settings")
    Map<String, Object> putOrg(
            @RequiresScope(Permissions.ALERTS) ApiPrincipal caller,
            @RequestBody(required = false) Map<String, Object> body) {
        String level = level(body);
        settings.setOrg(caller.orgId(), level, publisher);
        return view(settings.read(caller.orgId()));
    }

    @PutMapping("/v1/sources/{id}/anomaly-settings")
    Map<String, Object> putSource(
            @RequiresScope(Permissions.ALERTS) ApiPrincipal caller,
            @PathVariable("id") String id,
            @RequestBody(required = false) Map<String, Object> body) {
        String level = level(body);
        if (!Ids.looksLikeId(id)
                || settings.setSource(caller.orgId(), id, level, publisher).isEmpty()) {
            throw ApiProblem.notFound("Unknown source", "Source '" + id + "' does not exist in your org.");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source_id", id);
        out.put("sensitivity", level);
        return out;
    }

    /** The requested level, or null to inherit; a 400 naming the accepted values otherwise. */
    static String level(Map<String, Object> body) {
        if (body != null && !body.keySet().stream().allMatch("sensitivity"::equals)) {
            // a misspelt or unsupported field is an error that names it, not ignored (as in an alert
            // rule's condition and channels)
            List<String> unknown = body.keySet().stream()
                    .filter(k -> !"sensitivity".equals(k))
                    .sorted()
                    .map(k -> "'" + abbreviate(k) + "'")
                    .toList();
            throw ApiProblem.badRequest("Unknown field " + String.join(", ", unknown)
                    + ": the body is {\"sensitivity\": \"low\" | \"medium\" | \"high\" | null} and nothing else.");
        }
        if (body == null || !body.containsKey("sensitivity")) {
            throw ApiProblem.badRequest(
                    "Send {\"sensitivity\": \"low\" | \"medium\" | \"high\"}, or {\"sensitivity\": null} to inherit.");
        }
        Object value = body.get("sensitivity");
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s) || !LEVELS.contains(s)) {
            throw ApiProblem.badRequest("'sensitivity' must be \"low\", \"medium\", \"high\" or null (inherit), not "
                    + (value instanceof String ? "'" + abbreviate((String) value) + "'" : "a " + kind(value)) + ".");
        }
        return s;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    private static String kind(Object value) {
        return value instanceof Number
                ? "number"
                : value instanceof Boolean ? "boolean" : "JSON " + (value instanceof List ? "array" : "object");
    }

    private static Map<String, Object> view(AnomalySettingsRepository.Settings s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sensitivity", s.sensitivity());
        List<Map<String, Object>> sources = new ArrayList<>();
        for (AnomalySettingsRepository.SourceSensitivity src : s.sources()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("source_id", src.sourceId());
            row.put("name", src.name());
            row.put("sensitivity", src.sensitivity());
            sources.add(row);
        }
        out.put("sources", sources);
        return out;
    }
}
