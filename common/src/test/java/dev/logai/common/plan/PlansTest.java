package dev.logai.common.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logai.common.contract.Metric;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PlansTest {
    @Test
    void sourceQuotasFollowTheSpecAndUnknownPlansGetNone() {
        assertThat(Plans.maxSources("free")).isEqualTo(1);
        assertThat(Plans.maxSources("starter")).isEqualTo(3);
        assertThat(Plans.maxSources("team")).isEqualTo(10);
        assertThat(Plans.maxSources("enterprise?")).isZero();
        assertThat(Plans.sourceUpgradeHint("free")).contains("Starter").contains("Team");
    }

    @Test
    void defaultBudgetsParse() {
        assertThat(Plans.parseAiBudgets(Plans.DEFAULT_AI_BUDGETS))
                .containsEntry("free", new BigDecimal("1"))
                .containsEntry("starter", new BigDecimal("20"))
                .containsEntry("team", new BigDecimal("200"));
        assertThat(Plans.parseAiBudgets(" free = 0.5 , ,team=7")).containsOnlyKeys("free", "team");
    }

    @Test
    void aBadBudgetEntryIsRefusedByName() {
        assertThatThrownBy(() -> Plans.parseAiBudgets("free=1,starter=abc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("starter=abc");
        assertThatThrownBy(() -> Plans.parseAiBudgets("free=-1")).hasMessageContaining("free=-1");
        assertThatThrownBy(() -> Plans.parseAiBudgets("=3")).hasMessageContaining("=3");
    }

    @Test
    void metricNamesAreTheWireNames() {
        assertThat(Metric.thresholdRuleNames())
                .containsExactly("line_count", "error_count", "error_rate", "latency_p95", "new_templates");
        assertThat(Metric.detectedNames())
                .containsExactly(
                        "volume",
                        "error_rate",
                        "latency_p95",
                        "latency_geomean",
                        "template_rate",
                        "new_templates",
                        "silence");
        assertThat(Metric.fromWireName("error_rate")).contains(Metric.ERROR_RATE);
        assertThat(Metric.fromWireName("ERROR_RATE")).isEmpty();
    }
}
