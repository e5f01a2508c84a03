package dev.logai.flink.alert;

import dev.logai.common.contract.alert.AlertRuleCodec;
import dev.logai.flink.alert.rule.AbsenceState;
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
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Pattern rules, line by line as lines come out of template mining (keyed by org/source): "a new
 * template containing OutOfMemoryError" alerts on the line that shows it, not when its minute
 * closes. One alert per rule and (normalised) template: the first matching line raises it ("triggered"); later
 * matches are counted and mentioned at most once per {@link AlertLifecycle#REMIND_AFTER_MS} (event
 * time). The state is keyed, so a replay after a restore raises nothing twice (and the event ids,
 * from the rule, template and line time, let the sender drop what it already sent).
 *
 * <p>Absence rules ("no lines from payments for 10 minutes", "no 'backup finished' line for 24 h")
 * are judged here too, by the wall clock: every matching line's arrival is remembered per rule; a
 * processing-time check every {@value #CHECK_EVERY_MS} ms per source fires the rule once when the
 * silence reaches its duration ("firing", as a window rule's alert, within the duration plus one
 * check) and the next matching line resolves it ("resolved"). Every source keeps this clock (its
 * last line's arrival, to the check interval): checked every {@value #CHECK_EVERY_MS} ms while an
 * absence rule watches it, every {@value #IDLE_CHECK_EVERY_MS} ms otherwise, so a rule made for a
 * source that is already silent is picked up at the next check and counts the silence from the
 * source's last line (a rule for all the org's sources does so only when it has no text to look
 * for: which source last printed a given text is not known before the rule exists). The checks of a
 * watched source continue while it sent a line within {@link #FORGET_AFTER}, those of an unwatched
 * one for the longest absence a rule may ask for ({@link AlertRuleCodec#MAX_ABSENCE}).
 */
public class MatchLineRules extends KeyedBroadcastProcessFunction<String, LogRecord, AlertRuleUpdate, AlertTransition> {
    /** Alerts of templates not seen for this long are forgotten (also those of deleted rules). */
    static final Duration FORGET_AFTER = Duration.ofDays(7);

    private static final int MAX_LINES = 3;
    private static final int MAX_LINE_CHARS = 500;

    /** How often a source's absence rules are checked, ms (processing time). */
    public static final long CHECK_EVERY_MS = 15_000;
    /** How often a source no absence rule watches is checked for a rule that now does, ms. */
    public static final long IDLE_CHECK_EVERY_MS = 60_000;
    /**
     * After a (re)start, how long absence rules wait before firing: the lines that arrived while
     * the job was down are read first (their arrival times count, so they are not silence).
     */
    public static final long RESTART_GRACE_MS = 60_000;

    private transient RuleBook rules;
    private transient MapState<String, LineAlertState> alerts;
    /** rule id → its absence state on this source. */
    private transient MapState<String, AbsenceState> absences;
    /** When this source's last line arrived (wall clock): the checks run while it is recent. */
    private transient ValueState<Long> lastLine;

    private transient MapStateDescriptor<String, AbsenceState> absenceDescriptor;
    /** key → the last value written to {@link #lastLine} (this subtask's copy: most lines skip the state). */
    private transient java.util.Map<String, Long> lastLineWritten;
    /** This subtask's first processing time: no absence fires within {@link #RESTART_GRACE_MS} of it. */
    private transient long startedAt;

    @Override
    public void open(OpenContext ctx) {
        rules = new RuleBook(AlertRule::perLine);
        MapStateDescriptor<String, LineAlertState> d =
                new MapStateDescriptor<>("line-alerts", String.class, LineAlertState.class);
        d.enableTimeToLive(StateTtlConfig.newBuilder(FORGET_AFTER).build());
        alerts = getRuntimeContext().getMapState(d);
        absenceDescriptor = new MapStateDescriptor<>("absence-alerts", String.class, AbsenceState.class);
        absenceDescriptor.enableTimeToLive(
                StateTtlConfig.newBuilder(FORGET_AFTER).build());
        absences = getRuntimeContext().getMapState(absenceDescriptor);
        lastLineWritten = new java.util.HashMap<>();
        startedAt = Long.MIN_VALUE; // set by the first element or check this subtask sees
        ValueStateDescriptor<Long> l = new ValueStateDescriptor<>("last-line", Long.class);
        l.enableTimeToLive(StateTtlConfig.newBuilder(FORGET_AFTER).build());
        lastLine = getRuntimeContext().getState(l);
    }

    @Override
    public void processBroadcastElement(AlertRuleUpdate update, Context ctx, Collector<AlertTransition> out)
            throws Exception {
        AlertRule before = ctx.getBroadcastState(RuleBook.RULES).get(update.ruleId);
        rules.apply(update, ctx.getBroadcastState(RuleBook.RULES));
        // An open absence alert whose rule was deleted, paused, or no longer watches its source is
        // resolved now: nothing else would ever close it.
        AlertRule current = ctx.getBroadcastState(RuleBook.RULES).get(update.ruleId);
        long now = ctx.currentProcessingTime();
        ctx.applyToKeyedState(absenceDescriptor, (key, state) -> {
            AbsenceState open = state.get(update.ruleId);
            if (open == null) {
                return;
            }
            int slash = key.indexOf('/');
            String org = key.substring(0, slash);
            String source = key.substring(slash + 1);
            boolean stillWatched = current != null && current.isAbsence() && current.watches(org, source);
            if (!stillWatched) {
                if (open.alertId != null) {
                    AlertRule gone = current != null ? current : update.rule != null ? update.rule : before;
                    if (gone != null) {
                        out.collect(absenceTransition(gone, org, source, open, "resolved", now, "the rule changed"));
                    }
                }
                state.remove(update.ruleId);
            }
        });
    }

    @Override
    public void processElement(LogRecord r, ReadOnlyContext ctx, Collector<AlertTransition> out) throws Exception {
        List<AlertRule> watching = rules.watching(r.orgId, r.sourceId, ctx.getBroadcastState(RuleBook.RULES));
        long now = ctx.timerService().currentProcessingTime();
        if (startedAt == Long.MIN_VALUE) {
            startedAt = now;
        }
        // When the line reached LogAi (the gateway's clock), so a backlog read after a restart is
        // not silence; no later than now.
        long arrived = r.receivedAt > 0 ? Math.min(r.receivedAt, now) : now;
        // Every source keeps a clock: the last line's arrival (to the check interval) and the next
        // check, re-armed by the checks themselves; more often while an absence rule watches it.
        long every = watching.stream().anyMatch(AlertRule::isAbsence) ? CHECK_EVERY_MS : IDLE_CHECK_EVERY_MS;
        String sourceKey = ctx.getCurrentKey();
        Long written = lastLineWritten.get(sourceKey);
        if (written == null || now - written >= every) {
            Long last = written != null ? written : lastLine.value();
            if (last == null || now - last >= every) {
                lastLine.update(now);
                ctx.timerService().registerProcessingTimeTimer((now / every + 1) * every);
                last = now;
            }
            if (lastLineWritten.size() > 100_000) {
                lastLineWritten.clear();
            }
            lastLineWritten.put(sourceKey, last);
        }
        for (AlertRule rule : watching) {
            if (!rule.matchesLine(r.templateNew, r.raw)) {
                continue;
            }
            if (rule.isAbsence()) {
                AbsenceState s = absences.get(rule.id);
                if (s != null && s.alertId != null) {
                    out.collect(absenceTransition(rule, r.orgId, r.sourceId, s, "resolved", arrived, null));
                }
                boolean fresh = s == null;
                if (fresh) {
                    s = new AbsenceState();
                }
                if (fresh || s.alertId != null || arrived - s.lastSeen >= 1_000) {
                    // to the second: a busy source writes this state once a second, not per line
                    s.lastSeen = Math.max(s.lastSeen, arrived);
                    s.alertId = null;
                    absences.put(rule.id, s);
                }
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

    /**
     * The check of this source's absence rules: each one silent for its duration fires once; the
     * checks go on while the source sent a line within {@link #FORGET_AFTER}.
     */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertTransition> out) throws Exception {
        // The wall clock now, not the timer's time: a timer restored overdue after downtime is one
        // check, not a catch-up run of them.
        long now = Math.max(timestamp, ctx.timerService().currentProcessingTime());
        if (startedAt == Long.MIN_VALUE) {
            startedAt = now;
        }
        boolean settled = now - startedAt >= RESTART_GRACE_MS;
        String key = ctx.getCurrentKey();
        int slash = key.indexOf('/');
        String org = key.substring(0, slash);
        String source = key.substring(slash + 1);
        boolean watched = false;
        Long last = lastLine.value();
        for (AlertRule rule : rules.watching(org, source, ctx.getBroadcastState(RuleBook.RULES))) {
            if (!rule.isAbsence()) {
                continue;
            }
            watched = true;
            AbsenceState s = absences.get(rule.id);
            if (s == null) {
                // A rule new to this source counts the silence from the source's last line: a rule
                // for this one source, or one for all the org's sources that any line satisfies. A
                // rule for all sources with a text judges only sources that showed that text since.
                if (rule.sourceId == null && rule.patternContains != null) {
                    continue;
                }
                s = new AbsenceState();
                s.lastSeen = last != null ? Math.min(last, now) : now;
                absences.put(rule.id, s);
            }
            if (settled && s.alertId == null && now - s.lastSeen >= rule.absenceForMs) {
                s.alertId =
                        TemplateIds.of(String.join("|", org, rule.id, source, "absence", Long.toString(s.lastSeen)));
                s.firedAt = now;
                absences.put(rule.id, s);
                out.collect(absenceTransition(rule, org, source, s, "firing", now, null));
            }
        }
        if (last != null) {
            if (watched && now - last < FORGET_AFTER.toMillis()) {
                ctx.timerService().registerProcessingTimeTimer((now / CHECK_EVERY_MS + 1) * CHECK_EVERY_MS);
            } else if (!watched && now - last < AlertRuleCodec.MAX_ABSENCE.toMillis() + IDLE_CHECK_EVERY_MS) {
                ctx.timerService().registerProcessingTimeTimer((now / IDLE_CHECK_EVERY_MS + 1) * IDLE_CHECK_EVERY_MS);
            }
        }
    }

    /**
     * An absence alert's transition: {@code firing} when the silence reached the rule's duration,
     * {@code resolved} at the next matching line (or when the rule stopped watching: {@code why}).
     * Event ids come from the alert and the kind only, so a replayed line cannot notify twice.
     */
    static AlertTransition absenceTransition(
            AlertRule rule, String org, String source, AbsenceState s, String kind, long now, String why) {
        AlertTransition t = AlertTransition.of(rule, org, source, kind);
        long silentMs = Math.max(0, now - s.lastSeen);
        t.firstSeen = s.lastSeen;
        t.windowStart = s.lastSeen;
        t.windowEnd = now;
        t.value = silentMs / 60_000.0;
        t.count = 0;
        t.alertId = s.alertId;
        t.eventId = TemplateIds.of(String.join("|", s.alertId, kind));
        String allowed = minutes(rule.absenceForMs / 60_000);
        String what = rule.patternContains == null ? "no lines" : "no line containing \"" + rule.patternContains + "\"";
        List<String> bullets = new ArrayList<>();
        if (kind.equals("resolved")) {
            t.severity = "info";
            t.title = "Resolved: " + rule.name + " — "
                    + (why != null
                            ? why
                            : (rule.patternContains == null
                                            ? "lines are back"
                                            : "\"" + rule.patternContains + "\" seen again")
                                    + " after " + minutes(Math.round(t.value)));
            bullets.add((why != null ? "Closed because " + why : "A matching line arrived") + " at "
                    + Instant.ofEpochMilli(now));
            bullets.add("Silent since " + Instant.ofEpochMilli(s.lastSeen) + "; the alert fired at "
                    + Instant.ofEpochMilli(s.firedAt));
        } else {
            t.severity = "high";
            t.title = rule.name + " — " + what + " for " + allowed;
            bullets.add("Last matching line arrived at " + Instant.ofEpochMilli(s.lastSeen)
                    + " (or the rule started watching then)");
            bullets.add("Silent for " + minutes(Math.round(t.value)) + "; the rule allows " + allowed);
        }
        t.bullets = bullets.toArray(String[]::new);
        return t;
    }

    /** "10 min", "2 h", "1 h 30 min". */
    static String minutes(long total) {
        long h = total / 60;
        long m = total % 60;
        return h == 0 ? m + " min" : m == 0 ? h + " h" : h + " h " + m + " min";
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
        if (r.traceParent != null) {
            t.traceParents = new String[] {r.traceParent};
        }
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
