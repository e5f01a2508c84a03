package dev.logai.query.alert;

import dev.logai.common.contract.Metric;
import dev.logai.common.contract.alert.AlertCondition;
import dev.logai.common.contract.alert.AlertRuleCodec;
import dev.logai.common.contract.alert.InvalidAlertRuleException;
import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.tenancy.Permissions;
import dev.logai.common.web.ApiProblem;
import dev.logai.query.SourceChecks;
import dev.logai.query.auth.RequiresScope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/alert-rules/preview {"source_id"?, "condition", "days"?}}: "this rule would have
 * fired N times in the last 7 days", replayed over the stored windows, anomalies and patterns before
 * the rule is saved. The condition is validated exactly as on {@code POST /v1/alert-rules}. Reading
 * only, so the read permission is enough. Differences from the pipeline are named in {@code note}:
 * a threshold on one service is not stored per window, so it cannot be replayed (400); a {@code
 * latency_p95} threshold is replayed on the windows' stored p95 (windows written before it was
 * stored have none and never breach).
 */
@RestController
class AlertRulePreviewController {
    static final int MAX_FIRINGS = 200;

    private final AlertRulePreviewRepository data;
    private final Clock clock = Clock.systemUTC();

    AlertRulePreviewController(AlertRulePreviewRepository data) {
        this.data = data;
    }

    /** Body: the rule's {@code source_id} (null: every source) and {@code condition}; {@code days} 1–30, default 7. */
    record PreviewBody(String sourceId, Object condition, Integer days) {}

    @PostMapping("/v1/alert-rules/preview")
    RulePreview preview(
            @RequiresScope(Permissions.READ) ApiPrincipal caller, @RequestBody(required = false) PreviewBody body) {
        if (body == null || body.condition() == null) {
            throw ApiProblem.badRequest(
                    "Send a JSON body with the rule's \"condition\" (and \"source_id\" for one source).");
        }
        int days = body.days() == null ? 7 : body.days();
        if (days < 1 || days > 30) {
            throw ApiProblem.badRequest("'days' must be between 1 and 30; got " + days + ".");
        }
        SourceChecks.requireWellFormed(body.sourceId());
        AlertCondition condition;
        try {
            condition = AlertRuleCodec.readCondition(body.condition());
        } catch (InvalidAlertRuleException e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
        Instant until = clock.instant().truncatedTo(ChronoUnit.MINUTES).plusSeconds(60);
        Instant since = until.minus(Duration.ofDays(days));
        String org = caller.orgId();
        String source = body.sourceId();
        if (condition instanceof AlertCondition.Threshold t) {
            return threshold(org, source, t, since, until);
        }
        if (condition instanceof AlertCondition.Anomaly a) {
            return counted(since, until, "anomaly", data.anomalies(org, source, a, since, until), null);
        }
        if (condition instanceof AlertCondition.Absence) {
            throw ApiProblem.badRequest("An absence rule cannot be previewed: it is judged by the wall clock while a"
                    + " source is silent, and the windows store only the minutes that had lines.");
        }
        AlertCondition.Pattern p = (AlertCondition.Pattern) condition;
        return counted(
                since,
                until,
                "pattern",
                data.patterns(org, source, p, since, until),
                "Counted per template: the pipeline raises one alert for a template's first matching line.");
    }

    private RulePreview threshold(
            String org, String source, AlertCondition.Threshold rule, Instant since, Instant until) {
        if (rule.service() != null) {
            throw ApiProblem.badRequest(
                    "A rule on one service cannot be previewed: windows are stored per source, not per service.");
        }
        List<RulePreview.Window> windows =
                data.windows(org, source, since, until, rule.metric() == Metric.NEW_TEMPLATES);
        List<RulePreview.Firing> firings = new ArrayList<>();
        Map<Instant, Double> hourly = new LinkedHashMap<>();
        int from = 0;
        int span = (int) Math.max(1, rule.window().toMinutes());
        // windows come ordered by source, then time: replay each source on its own, as the pipeline does
        for (int i = 1; i <= windows.size(); i++) {
            if (i == windows.size()
                    || !windows.get(i).sourceId().equals(windows.get(from).sourceId())) {
                List<RulePreview.Window> one = windows.subList(from, i);
                firings.addAll(RulePreview.replayThreshold(rule, one));
                for (int j = 0; j < one.size(); j++) {
                    double v = RulePreview.value(rule, one, j, span);
                    if (!Double.isNaN(v)) { // a window without durations has no latency to draw
                        hourly.merge(one.get(j).start().truncatedTo(ChronoUnit.HOURS), v, Math::max);
                    }
                }
                from = i;
            }
        }
        firings.sort(Comparator.comparing(RulePreview.Firing::at));
        List<RulePreview.Point> series = hourly.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> new RulePreview.Point(e.getKey(), e.getValue()))
                .toList();
        return new RulePreview(
                since,
                until,
                "threshold",
                firings.size(),
                windows.size(),
                last(firings),
                series,
                rule.threshold(),
                source == null ? "Replayed per source over every source of the org." : null);
    }

    private static RulePreview counted(
            Instant since, Instant until, String kind, List<RulePreview.Firing> firings, String note) {
        Map<Instant, Double> hourly = new LinkedHashMap<>();
        for (RulePreview.Firing f : firings) {
            hourly.merge(f.at().truncatedTo(ChronoUnit.HOURS), 1.0, Double::sum);
        }
        List<RulePreview.Point> series = hourly.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> new RulePreview.Point(e.getKey(), e.getValue()))
                .toList();
        return new RulePreview(since, until, kind, firings.size(), firings.size(), last(firings), series, null, note);
    }

    private static List<RulePreview.Firing> last(List<RulePreview.Firing> firings) {
        return firings.size() <= MAX_FIRINGS ? firings : firings.subList(firings.size() - MAX_FIRINGS, firings.size());
    }
}
