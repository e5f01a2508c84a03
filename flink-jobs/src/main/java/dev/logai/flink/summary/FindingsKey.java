package dev.logai.flink.summary;

import org.apache.flink.api.java.functions.KeySelector;

/** Partitions judged windows by (org, source), like the windows themselves. */
public class FindingsKey implements KeySelector<WindowFindings, String> {
    @Override
    public String getKey(WindowFindings f) {
        return f.metrics.orgId + "/" + f.metrics.sourceId;
    }
}
