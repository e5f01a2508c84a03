package dev.logai.flink.summary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.anomaly.Anomaly;
import dev.logai.flink.parse.Level;
import dev.logai.flink.parse.LogRecord;
import dev.logai.flink.window.WindowMetrics;
import org.junit.jupiter.api.Test;

/** What the prompt shows of a window. */
class SummaryPromptTest {
    @Test
    void aServicesAnomalyLeadsTheLinesWithThatServicesOwnLine() {
        // one template shared by two services: its first line in the window is another service's
        WindowMetrics m = WindowMetrics.empty("org", "app.log", 0, 60_000);
        for (int i = 0; i < 40; i++) {
            String service = i < 30 ? "search" : "checkout";
            LogRecord r = new LogRecord();
            r.level = Level.INFO;
            r.service = service;
            r.templateId = "t1";
            r.template = "GET <*> 200 completed in <*>";
            r.raw = r.message =
                    "[" + service + "] GET /v1/" + service + "/" + i + " 200 completed in " + (i + 50) + "ms";
            r.attributes.put("duration_ms", Integer.toString(i + 50));
            m.add(r);
        }
        Anomaly a = new Anomaly();
        a.id = "a1";
        a.orgId = "org";
        a.sourceId = "app.log";
        a.metric = "latency_geomean";
        a.service = "checkout";
        a.label = "spike";
        a.score = 0.7;
        a.explanation = "{\"reason\":\"service checkout: typical latency 84 ms vs usually 40 ms\","
                + "\"top_templates\":[{\"template_id\":\"t1\"}],"
                + "\"examples\":[\"[checkout] GET /v1/checkout/39 200 completed in 89ms\"]}";
        SummaryRequest r = SummaryRequest.forWindow("org/app.log/0", m, new Anomaly[] {a}, 0, "anomaly");
        SummaryPrompt.Built prompt = SummaryPrompt.build(r, ExtractiveSummarizer.MODEL, 3000);
        assertThat(prompt.lines().get(0)).isEqualTo("[checkout] GET /v1/checkout/39 200 completed in 89ms");
        assertThat(prompt.lines()).contains("[search] GET /v1/search/0 200 completed in 50ms");
        assertThat(ExtractiveSummarizer.summarize(r, prompt).evidence().get(0)).startsWith("[checkout]");
    }
}
