package dev.logai.flink.window;

import org.apache.flink.api.java.functions.KeySelector;

/** Keys window metrics by {@code org/source}, like {@link OrgSourceKey} keys records. */
public class MetricsKey implements KeySelector<WindowMetrics, String> {
    @Override
    public String getKey(WindowMetrics m) {
        return m.orgId + "/" + m.sourceId;
    }
}
