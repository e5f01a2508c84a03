package dev.logai.flink.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.alert.rule.AlertRule;
import dev.logai.flink.alert.rule.AlertRuleUpdate;
import dev.logai.flink.alert.rule.AlertTransition;
import dev.logai.flink.alert.rule.RuleBook;
import dev.logai.flink.parse.Level;
import dev.logai.flink.parse.LogRecord;
import dev.logai.flink.template.TemplateIds;
import dev.logai.flink.window.OrgSourceKey;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * Pattern rules line by line: the first matching line of a template alerts, at once; more lines of
 * it are counted and mentioned only after the cool-down; another org's line never matches; a
 * rule changed or deleted on the topic applies to the next line; a restore replays without
 * re-alerting.
 */
class MatchLineRulesTest {
    static final long HOUR = 3_600_000;

    static AlertRule rule(String id, String org, String pattern, long version) {
        return AlertRule.parse("{\"id\":\"" + id + "\",\"org_id\":\"" + org + "\",\"name\":\"OOM\",\"condition\":"
                + "{\"pattern\":" + pattern + "},\"channels\":{\"webhook\":[\"https://198.51.100.7/h\"]},"
                + "\"is_active\":true,\"version\":" + version + ",\"signing_secret\":\"whsec_x\"}");
    }

    static LogRecord line(String org, long ts, String template, boolean isNew, String raw) {
        LogRecord r = new LogRecord();
        r.orgId = org;
        r.sourceId = "src_1";
        r.ts = ts;
        r.level = Level.ERROR;
        r.service = "api";
        r.template = template;
        r.templateId = TemplateIds.of(template);
        r.templateNew = isNew;
        r.raw = raw;
        return r;
    }

    static KeyedBroadcastOperatorTestHarness<String, LogRecord, AlertRuleUpdate, AlertTransition> harness()
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new MatchLineRules(), new OrgSourceKey(), Types.STRING, RuleBook.RULES);
    }

    @Test
    void theFirstMatchingLineAlertsAndRepeatsWaitForTheCoolDown() throws Exception {
        try (var h = harness()) {
            h.processBroadcastElement(
                    new AlertRuleUpdate("r1", rule("r1", "org_1", "{\"contains\":\"outofmemory\"}", 1)), 0);
            String oom = "java.lang.OutOfMemoryError: Java heap space user=jane@example.com";
            h.processElement(
                    line("org_1", 1_000, "java.lang.OutOfMemoryError: Java heap space jane@example.com", true, oom),
                    1_000);
            h.processElement(
                    line("org_1", 2_000, "java.lang.OutOfMemoryError: Java heap space jane@example.com", false, oom),
                    2_000);
            h.processElement(
                    line(
                            "org_1",
                            2_500,
                            "java.lang.OutOfMemoryError: Java heap space bob@example.org",
                            true,
                            "java.lang.OutOfMemoryError: Java heap space bob@example.org"),
                    2_500);
            h.processElement(line("org_1", 3_000, "request <*> done", false, "request 7 done"), 3_000);
            h.processElement(line("org_2", 3_000, "java.lang.OutOfMemoryError: Java heap space <*>", true, oom), 3_000);
            h.processElement(
                    line(
                            "org_1",
                            1_000 + HOUR,
                            "java.lang.OutOfMemoryError: Java heap space jim@example.net",
                            false,
                            oom),
                    1_000 + HOUR);
            List<AlertTransition> out = h.extractOutputValues();
            assertThat(out).extracting(t -> t.kind).containsExactly("triggered", "reminder");
            AlertTransition first = out.get(0);
            assertThat(first.orgId).isEqualTo("org_1");
            assertThat(first.title)
                    .isEqualTo("OOM — matched \"outofmemory\": java.lang.OutOfMemoryError: Java heap space <EMAIL_1>");
            assertThat(first.severity).isEqualTo("high");
            assertThat(first.topLines)
                    .singleElement()
                    .asString()
                    .contains("OutOfMemoryError")
                    .doesNotContain("jane@example.com");
            assertThat(first.webhook).containsExactly("https://198.51.100.7/h");
            assertThat(out.get(1).count)
                    .as("a variant the miner had not merged yet is the same alert")
                    .isEqualTo(4);
            assertThat(out.get(1).bullets).anyMatch(b -> b.startsWith("3 more matching lines"));
            assertThat(out.get(1).alertId).isEqualTo(first.alertId);
            assertThat(out.get(1).eventId).isNotEqualTo(first.eventId);
        }
    }

    @Test
    void newTemplateRulesWaitForANewTemplateAndRuleChangesApplyToTheNextLine() throws Exception {
        try (var h = harness()) {
            h.processBroadcastElement(new AlertRuleUpdate("r2", rule("r2", "org_1", "{\"new_template\":true}", 1)), 0);
            h.processElement(line("org_1", 1_000, "known <*>", false, "known 1"), 1_000);
            h.processElement(line("org_1", 2_000, "fresh <*>", true, "fresh 1"), 2_000);
            // An older version arriving late changes nothing; a newer one with a text narrows the rule.
            h.processBroadcastElement(
                    new AlertRuleUpdate("r2", rule("r2", "org_1", "{\"new_template\":true,\"contains\":\"disk\"}", 3)),
                    0);
            h.processBroadcastElement(new AlertRuleUpdate("r2", rule("r2", "org_1", "{\"new_template\":true}", 2)), 0);
            h.processElement(line("org_1", 3_000, "other <*>", true, "other 1"), 3_000);
            h.processElement(line("org_1", 4_000, "disk <*> full", true, "disk sda full"), 4_000);
            h.processBroadcastElement(new AlertRuleUpdate("r2", null), 0);
            h.processElement(line("org_1", 5_000, "disk <*> gone", true, "disk sdb gone"), 5_000);
            assertThat(h.extractOutputValues())
                    .extracting(t -> t.title)
                    .containsExactly("OOM — new pattern: fresh <*>", "OOM — new pattern: disk <*> full");
        }
    }

    static AlertRule absence(String id, String absence) {
        return AlertRule.parse("{\"id\":\"" + id + "\",\"org_id\":\"org_1\",\"name\":\"Payments silent\","
                + "\"condition\":{\"absence\":" + absence + "},\"channels\":{\"webhook\":[\"https://198.51.100.7/h\"]},"
                + "\"is_active\":true,\"version\":1,\"signing_secret\":\"whsec_x\"}");
    }

    @Test
    void anAbsenceRuleFiresOnceWhenTheSourceIsSilentForItsDurationAndResolvesAtTheNextLine() throws Exception {
        try (var h = harness()) {
            h.processBroadcastElement(new AlertRuleUpdate("a1", absence("a1", "{\"for\":\"2m\"}")), 0);
            h.setProcessingTime(1_000);
            h.processElement(line("org_1", 1_000, "request <*> done", false, "request 1 done"), 1_000);
            // checked every 15 s by the wall clock; silent for 1 min: nothing yet
            h.setProcessingTime(61_000);
            assertThat(h.extractOutputValues()).isEmpty();
            // silent for 2 min (by the check at 135 s): fires once, whatever the checks after it
            h.setProcessingTime(135_000);
            h.setProcessingTime(300_000);
            List<AlertTransition> fired = h.extractOutputValues();
            assertThat(fired).extracting(t -> t.kind).containsExactly("firing");
            AlertTransition alert = fired.get(0);
            assertThat(alert.title).isEqualTo("Payments silent — no lines for 2 min");
            assertThat(alert.windowEnd - alert.windowStart).isBetween(120_000L, 135_000L);
            assertThat(alert.webhook).containsExactly("https://198.51.100.7/h");
            // the next line resolves the same alert
            h.processElement(line("org_1", 310_000, "request <*> done", false, "request 2 done"), 310_000);
            h.setProcessingTime(310_500);
            h.processElement(line("org_1", 310_500, "request <*> done", false, "request 3 done"), 310_500);
            List<AlertTransition> all = h.extractOutputValues();
            assertThat(all).extracting(t -> t.kind).containsExactly("firing", "resolved");
            assertThat(all.get(1).alertId).isEqualTo(alert.alertId);
            assertThat(all.get(1).eventId).isNotEqualTo(alert.eventId);
        }
    }

    @Test
    void aRuleMadeForASourceThatIsAlreadySilentFiresFromItsLastLineWithoutWaitingForAnother() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(1_000);
            // no rule yet: the source still keeps its clock
            h.processElement(line("org_1", 1_000, "request <*> done", false, "request 1 done"), 1_000);
            h.setProcessingTime(240_000);
            assertThat(h.extractOutputValues()).isEmpty();
            // four minutes later, a 2-minute absence rule: the source is silent already
            h.processBroadcastElement(new AlertRuleUpdate("a4", absence("a4", "{\"for\":\"2m\"}")), 240_000);
            h.setProcessingTime(300_000);
            List<AlertTransition> fired = h.extractOutputValues();
            assertThat(fired).extracting(t -> t.kind).containsExactly("firing");
            assertThat(fired.get(0).windowStart)
                    .as("the silence began at the last line")
                    .isLessThanOrEqualTo(60_000L);
            // an org-wide rule with a text cannot know which source last printed it: it waits
            h.processBroadcastElement(
                    new AlertRuleUpdate("a5", absence("a5", "{\"for\":\"1m\",\"contains\":\"heartbeat\"}")), 300_000);
            h.setProcessingTime(600_000);
            assertThat(h.extractOutputValues()).extracting(t -> t.kind).containsExactly("firing");
        }
    }

    @Test
    void anAbsenceRuleWithATextWaitsForThatLineAndOtherLinesDoNotResetIt() throws Exception {
        try (var h = harness()) {
            h.processBroadcastElement(
                    new AlertRuleUpdate("a2", absence("a2", "{\"for\":\"1m\",\"contains\":\"heartbeat\"}")), 0);
            h.setProcessingTime(0);
            h.processElement(line("org_1", 0, "heartbeat <*>", false, "heartbeat ok"), 0);
            for (long t = 10_000; t <= 100_000; t += 10_000) {
                h.setProcessingTime(t);
                h.processElement(line("org_1", t, "request <*> done", false, "request " + t + " done"), t);
            }
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(a -> assertThat(a.title)
                            .isEqualTo("Payments silent — no line containing \"heartbeat\" for 1 min"));
        }
    }

    @Test
    void anOrgWideAbsenceRuleJudgesOnlySourcesThatShowedItsLineAndADeletedRuleResolvesItsAlert() throws Exception {
        try (var h = harness()) {
            h.processBroadcastElement(
                    new AlertRuleUpdate("a3", absence("a3", "{\"for\":\"1m\",\"contains\":\"heartbeat\"}")), 0);
            h.setProcessingTime(0);
            // src_1 never prints the heartbeat: an org-wide rule leaves it alone
            h.processElement(line("org_1", 0, "request <*> done", false, "request 1 done"), 0);
            h.setProcessingTime(300_000);
            assertThat(h.extractOutputValues()).isEmpty();
            // once it has, its silence counts, and the rule's deletion closes the open alert
            h.processElement(line("org_1", 300_000, "heartbeat <*>", false, "heartbeat ok"), 300_000);
            h.setProcessingTime(400_000);
            assertThat(h.extractOutputValues()).extracting(t -> t.kind).containsExactly("firing");
            h.processBroadcastElement(new AlertRuleUpdate("a3", null), 400_500);
            List<AlertTransition> all = h.extractOutputValues();
            assertThat(all).extracting(t -> t.kind).containsExactly("firing", "resolved");
            assertThat(all.get(1).title).isEqualTo("Resolved: Payments silent — the rule changed");
            assertThat(all.get(1).severity).isEqualTo("info");
            assertThat(all.get(1).alertId).isEqualTo(all.get(0).alertId);
        }
    }

    @Test
    void aRestoreReplaysWithoutAlertingTwice() throws Exception {
        OperatorSubtaskState snapshot;
        AlertRule r = rule("r3", "org_1", "{\"contains\":\"timeout\"}", 1);
        try (var h = harness()) {
            h.processBroadcastElement(new AlertRuleUpdate("r3", r), 0);
            h.processElement(line("org_1", 1_000, "timeout calling <*>", true, "timeout calling db"), 1_000);
            snapshot = h.snapshot(1, 1_500);
            h.processElement(line("org_1", 2_000, "timeout calling <*>", false, "timeout calling db"), 2_000);
            assertThat(h.extractOutputValues()).hasSize(1);
        }
        var restored = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(new MatchLineRules(), List.of(RuleBook.RULES)),
                new OrgSourceKey(),
                Types.STRING,
                1,
                1,
                0);
        restored.initializeState(snapshot);
        restored.open();
        restored.processElement(line("org_1", 2_000, "timeout calling <*>", false, "timeout calling db"), 2_000);
        restored.processElement(line("org_1", 3_000, "timeout reading <*>", true, "timeout reading disk"), 3_000);
        assertThat(restored.extractOutputValues())
                .as("the rule came back with the state; the known template stays quiet")
                .extracting(t -> t.title)
                .containsExactly("OOM — matched \"timeout\": timeout reading <*>");
        restored.close();
    }
}
