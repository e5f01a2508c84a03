package dev.logai.flink.alert;

import dev.logai.flink.alert.rule.AlertRule;
import dev.logai.flink.alert.rule.AlertRuleUpdate;
import dev.logai.flink.alert.rule.AlertTransition;
import dev.logai.flink.alert.rule.LineAlertState;
import dev.logai.flink.alert.rule.RuleBook;
import dev.logai.flink.parse.Level;
import dev.logai.flink.parse.LogRecord;
import dev.logai.flink.summary.PiiScrubber;
import dev.logai.flink.summary.SummaryPrompt;
import dev.logai.flink.template.TemplateIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Pattern rules, line by line as lines come out of template mining (keyed by org/source): "a new
 * template containing OutOfMemoryError" alerts on the line that shows it, not when its minute
 * closes. One alert per rule and (normalised) template: the first matching line raises it ("triggered"); later
 * matches are counted and mentioned at most once per {@link AlertLifecycle#REMIND_AFTER_MS} (event
 * time). The state is keyed, so a replay after a restore raises nothing twice (and the event ids,
 * from the rule, template and line time, let the sender drop what it already sent).
 */
public class MatchLineRules extends KeyedBroadcastProcessFunction<String, LogRecord, AlertRuleUpdate, AlertTransition> {
    /** Alerts of templates not seen for this long are forgotten (also those of deleted rules). */
    static final Duration FORGET_AFTER = Duration.ofDays(7);

    private static final int MAX_LINES = 3;
    private static final int MAX_LINE_CHARS = 500;

    private transient RuleBook rules;
    private transient MapState<String, LineAlertState> alerts;

    @Override
    public void open(OpenContext ctx) {
        rules = new RuleBook(AlertRule::perLine);
        MapStateDescriptor<String, LineAlertState> d =
                new MapStateDescriptor<>("line-alerts", String.class, LineAlertState.class);
        d.enableTimeToLive(StateTtlConfig.newBuilder(FORGET_AFTER).build());
        alerts = getRuntimeContext().getMapState(d);
    }

    @Override
    public void processBroadcastElement(AlertRuleUpdate update, Context ctx, Collector<AlertTransition> out)
            throws Exception {
        rules.apply(update, ctx.getBroadcastState(RuleBook.RULES));
    }

    @Override
    public void processElement(LogRecord r, ReadOnlyContext ctx, Collector<AlertTransition> out) throws Exception {
        List<AlertRule> watching = rules.watching(r.orgId, r.sourceId, ctx.getBroadcastState(RuleBook.RULES));
        for (AlertRule rule : watching) {
            if (!rule.matchesLine(r.templateNew, r.raw)) {
                continue;
            }
            // The seed's dedup key: org (the key), rule and the normalised title — the template with
            // personal data replaced, so variants the miner has not merged yet (another customer's
            // email in the same message) are one alert, not one each.
            String pattern = normalisedPattern(r);
            String key = rule.id + "|" + TemplateIds.of(pattern);
            LineAlertState s = alerts.get(key);
            String kind = null;
            if (s == null) {
                s = new LineAlertState();
                s.firstSeen = r.ts;
                s.lastNotified = r.ts;
                kind = "triggered";
            }
            s.count++;
            if (kind == null && r.ts - s.lastNotified >= AlertLifecycle.REMIND_AFTER_MS) {
                kind = "reminder";
            }
            if (kind != null) {
                out.collect(transition(rule, r, s, kind, pattern));
                s.lastNotified = r.ts;
                s.countNotified = s.count;
            }
            alerts.put(key, s);
        }
    }

    /** The line's template, clipped, with personal data and secrets replaced by placeholders. */
    static String normalisedPattern(LogRecord r) {
        return new PiiScrubber().scrub(SummaryPrompt.clip(r.template == null ? "" : r.template, 160));
    }

    static AlertTransition transition(AlertRule rule, LogRecord r, LineAlertState s, String kind, String template) {
        AlertTransition t = AlertTransition.of(rule, r.orgId, r.sourceId, kind);
        t.firstSeen = s.firstSeen;
        t.windowStart = r.ts;
        t.windowEnd = r.ts;
        t.value = 1;
        t.count = (int) Math.min(Integer.MAX_VALUE, s.count);
        t.alertId = TemplateIds.of(String.join("|", r.orgId, rule.id, r.sourceId, template));
        t.eventId = TemplateIds.of(String.join("|", r.orgId, rule.id, r.sourceId, template, kind, Long.toString(r.ts)));
        t.severity = severity(r.level);
        PiiScrubber scrubber = new PiiScrubber();
        String what = rule.patternNewTemplate ? "new pattern" : "matched \"" + rule.patternContains + "\"";
        t.title = (kind.equals("reminder") ? "Still matching: " : "") + rule.name + " — " + what + ": " + template;
        List<String> bullets = new ArrayList<>();
        bullets.add((r.level == null || r.level == Level.UNKNOWN ? "A line" : r.level + " line")
                + (r.service == null ? "" : " from service " + r.service) + " at " + Instant.ofEpochMilli(r.ts));
        bullets.add("Template: " + template);
        if (kind.equals("reminder")) {
            bullets.add(
                    (s.count - s.countNotified) + " more matching lines since " + Instant.ofEpochMilli(s.lastNotified)
                            + "; " + s.count + " since " + Instant.ofEpochMilli(s.firstSeen));
        } else {
            bullets.add(
                    rule.patternNewTemplate
                            ? "First time this source shows this pattern"
                            : "First line of this pattern to match");
        }
        t.bullets = bullets.toArray(String[]::new);
        List<String> lines = new ArrayList<>();
        for (String line : (r.raw == null ? "" : r.raw).split("\n", MAX_LINES + 1)) {
            if (lines.size() == MAX_LINES) {
                break;
            }
            lines.add(scrubber.scrub(SummaryPrompt.clip(line, MAX_LINE_CHARS)));
        }
        t.topLines = lines.toArray(String[]::new);
        return t;
    }

    private static String severity(Level level) {
        if (level == null) {
            return "low";
        }
        return switch (level) {
            case FATAL -> "critical";
            case ERROR -> "high";
            case WARN -> "medium";
            default -> "low";
        };
    }
}
