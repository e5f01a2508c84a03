package dev.logai.flink.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logai.flink.parse.Level;
import dev.logai.flink.parse.LogRecord;
import dev.logai.flink.window.WindowMetrics;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A service's anomaly is explained by that service's lines, not the window's busiest ones. */
class ExplanationsTest {
    private static LogRecord line(String service, String template, Level level, Long durationMs, String raw) {
        LogRecord r = new LogRecord();
        r.service = service;
        r.templateId = template;
        r.template = template;
        r.level = level;
        r.raw = raw;
        r.message = raw;
        if (durationMs != null) r.attributes.put("duration_ms", durationMs.toString());
        return r;
    }

    /** A window where "api" is busy and fails often, and "checkout" is small, slow and fails once. */
    private static WindowMetrics window() {
        WindowMetrics m = WindowMetrics.empty("org", "src", 0, 60_000);
        for (int i = 0; i < 50; i++) {
            m.add(line("api", "GET <*> 200", Level.INFO, 20L + i, "api GET /a/" + i + " 200 duration=" + (20 + i)));
            m.add(line("api", "db timeout <*>", Level.ERROR, 900L, "api db timeout " + i + " duration=900"));
        }
        m.add(line("checkout", "charge card <*>", Level.INFO, 400L, "checkout charge card 1 duration=400"));
        m.add(line("checkout", "charge card <*>", Level.INFO, 2400L, "checkout charge card 2 duration=2400"));
        m.add(line("checkout", "card declined <*>", Level.ERROR, null, "checkout card declined 3"));
        return m;
    }

    @Test
    void aServicesLatencyAnomalyShowsItsSlowestLine() throws Exception {
        JsonNode why =
                new ObjectMapper().readTree(new Explanations(window(), Map.of()).ofServiceLatency("checkout", "slow"));
        assertThat(why.at("/examples/0").asText()).isEqualTo("checkout charge card 2 duration=2400");
        assertThat(why.at("/examples")).hasSize(1);
        assertThat(why.at("/top_templates/0/template").asText()).isEqualTo("charge card <*>");
        assertThat(why.at("/top_services")).hasSize(1);
        assertThat(why.at("/top_services/0/service").asText()).isEqualTo("checkout");
    }

    @Test
    void aServicesErrorAnomalyShowsItsOwnErrorLine() throws Exception {
        Explanations explanations = new Explanations(window(), Map.of());
        JsonNode why = new ObjectMapper().readTree(explanations.ofServiceErrors("checkout", "errors"));
        assertThat(why.at("/examples/0").asText()).isEqualTo("checkout card declined 3");
        assertThat(why.at("/top_templates/0/template").asText()).isEqualTo("card declined <*>");
        // the window-wide explanation leads with the busiest error template, another service's
        JsonNode all = new ObjectMapper().readTree(explanations.of(Explanations.Focus.ERRORS, "errors"));
        assertThat(all.at("/examples/0").asText()).startsWith("api db timeout");
    }
}
