package dev.logai.flink.alert.rule;

import dev.logai.flink.template.TemplateIds;
import java.util.ArrayList;
import java.util.List;

/**
 * The life of one rule's alert on one source, window by window: it opens after {@code sustained}
 * consecutive breaching windows (one notification), escalates once if the value gets past
 * {@code escalate_above} within {@code escalate_within} of opening, reminds at most once per
 * cool-down while it stays on, and resolves after {@code resolve_after} clean windows. Breaching
 * windows in between only count (deduplication: one alert, not one message per minute).
 */
public final class AlertStateMachine {
    /** While an alert stays on, people are reminded at most this often (event time). */
    public static final long REMIND_AFTER_MS = 60 * 60_000L;

    private AlertStateMachine() {}

    public static List<AlertTransition> onWindow(AlertRule rule, AlertState s, String orgId, String sourceId,
            long windowStart, long windowEnd, boolean breach, double value) {
        List<AlertTransition> out = new ArrayList<>(1);
        if (breach) {
            s.consecutiveBreaches++;
            s.cleanWindows = 0;
            s.lastValue = value;
            if (!s.open()) {
                if (s.consecutiveBreaches == 1) {
                    s.firstSeen = windowStart;
                }
                if (s.consecutiveBreaches >= Math.max(1, rule.sustained)) {
                    s.status = AlertState.FIRING;
                    s.episode++;
                    s.count = s.consecutiveBreaches;
                    s.lastNotified = windowEnd;
                    out.add(transition(rule, s, orgId, sourceId, "firing", windowStart, windowEnd, value, ""));
                }
            } else {
                s.count++;
                if (s.status.equals(AlertState.FIRING) && !Double.isNaN(rule.escalateAbove)
                        && rule.worse(value, rule.escalateAbove) && windowEnd - s.firstSeen <= rule.escalateWithinMs) {
                    s.status = AlertState.ESCALATED;
                    s.lastNotified = windowEnd;
                    out.add(transition(rule, s, orgId, sourceId, "escalated", windowStart, windowEnd, value, ""));
                } else if (windowEnd - s.lastNotified >= REMIND_AFTER_MS) {
                    s.lastNotified = windowEnd;
                    out.add(transition(rule, s, orgId, sourceId, "reminder", windowStart, windowEnd, value,
                            Long.toString(windowEnd)));
                }
            }
        } else {
            s.consecutiveBreaches = 0;
            if (s.open()) {
                s.cleanWindows++;
                if (s.cleanWindows >= Math.max(1, rule.resolveAfter)) {
                    out.add(transition(rule, s, orgId, sourceId, "resolved", windowStart, windowEnd, value, ""));
                    s.status = AlertState.OK;
                    s.cleanWindows = 0;
                    s.count = 0;
                }
            }
        }
        return out;
    }

    private static AlertTransition transition(AlertRule rule, AlertState s, String orgId, String sourceId, String kind,
            long windowStart, long windowEnd, double value, String discriminator) {
        AlertTransition t = new AlertTransition();
        t.orgId = orgId;
        t.sourceId = sourceId;
        t.ruleId = rule.id;
        t.kind = kind;
        t.firstSeen = s.firstSeen;
        t.windowStart = windowStart;
        t.windowEnd = windowEnd;
        t.value = value;
        t.count = s.count;
        t.alertId = TemplateIds.of(String.join("|", orgId, rule.id, sourceId, Integer.toString(s.episode)));
        t.eventId = TemplateIds.of(String.join("|", orgId, rule.id, sourceId, Integer.toString(s.episode), kind,
                discriminator));
        return t;
    }
}
