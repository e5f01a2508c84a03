package dev.logai.flink.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.anomaly.Anomaly;
import dev.logai.flink.parse.Level;
import dev.logai.flink.parse.LogRecord;
import dev.logai.flink.summary.SummaryAnswer;
import dev.logai.flink.summary.WindowFindings;
import dev.logai.flink.window.WindowMetrics;
import org.junit.jupiter.api.Test;

/** What a window rule's notification says about the window that breached it. */
class JudgeWindowRulesTest {
    private static final long MINUTE = 60_000;

    private static WindowFindings findings(long onset) {
        WindowMetrics m = WindowMetrics.empty("org", "app.log", 100 * MINUTE, 101 * MINUTE);
        LogRecord r = new LogRecord();
        r.level = Level.INFO;
        r.service = "checkout";
        r.templateId = "t";
        r.template = "charge card <*>";
        r.raw = r.message = "checkout charge card 1 duration=2400";
        m.add(r);
        Anomaly a = new Anomaly();
        a.orgId = "org";
        a.sourceId = "app.log";
        a.windowStart = m.windowStart;
        a.windowEnd = m.windowEnd;
        a.metric = "latency_geomean";
        a.service = "checkout";
        a.label = "spike";
        a.score = 0.9;
        a.onset = onset;
        a.explanation = "{\"reason\":\"service checkout: typical latency 2400 ms vs usually 400 ms\"}";
        return new WindowFindings(m, new Anomaly[] {a});
    }

    @Test
    void aNotificationOfALastingChangeSaysSinceWhen() {
        SummaryAnswer lasting = JudgeWindowRules.alertSummary(findings(94 * MINUTE));
        assertThat(lasting.bullets()).contains("Ongoing since 1970-01-01T01:34:00Z (7 windows)");

        SummaryAnswer spike = JudgeWindowRules.alertSummary(findings(100 * MINUTE));
        assertThat(spike.bullets()).noneMatch(b -> b.startsWith("Ongoing since"));
    }
}
