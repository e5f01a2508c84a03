package dev.logai.flink.anomaly;

/**
 * One record of the anomaly-settings topic ({@link dev.logai.common.contract.Topics#ANOMALY_SETTINGS}):
 * the sensitivity an org set for itself ({@code key} = org id) or for one of its sources ({@code
 * key} = {@code org/source}); {@code sensitivity} null when it was cleared (inherit again).
 */
public class SensitivityUpdate {
    public String key;
    /** {@code low}, {@code medium}, {@code high}, or null (cleared). */
    public String sensitivity;

    public SensitivityUpdate() {}

    public SensitivityUpdate(String key, String sensitivity) {
        this.key = key;
        this.sensitivity = sensitivity;
    }
}
