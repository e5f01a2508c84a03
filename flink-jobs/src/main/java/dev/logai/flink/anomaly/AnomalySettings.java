package dev.logai.flink.anomaly;

import dev.logai.flink.PipelineOptions;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * Sensitivity per org and source: a default and overrides such as
 * {@code org_a=high,org_b/src_1=low} (a source's entry wins over its org's). Daily and weekly
 * seasonality is not a setting: each series learns whether it has one ({@link SeasonalProfile}).
 * {@code live}: the input goes on (the job), so a silent live source is also judged by the wall
 * clock, except within {@code silenceRestartGrace} of a (re)start; false for bounded runs over
 * files ({@link #bounded()}), whose end is no silence.
 */
public record AnomalySettings(
        String defaultSensitivity, Map<String, String> overrides, boolean live, Duration silenceRestartGrace)
        implements Serializable {

    public static final AnomalySettings DEFAULTS = new AnomalySettings("medium", Map.of());

    /** Live settings (the job's) with the default restart grace: see the record's comment. */
    public AnomalySettings(String defaultSensitivity, Map<String, String> overrides) {
        this(defaultSensitivity, overrides, true, PipelineOptions.ANOMALY_SILENCE_RESTART_GRACE.defaultValue());
    }

    /** The sensitivity settings of a deployment ({@code LOGAI_ANOMALY_*}); a bad level or entry throws, naming it. */
    public static AnomalySettings from(Configuration config) {
        return new AnomalySettings(
                config.get(PipelineOptions.ANOMALY_SENSITIVITY),
                parseOverrides(config.get(PipelineOptions.ANOMALY_SENSITIVITY_OVERRIDES)),
                true,
                config.get(PipelineOptions.ANOMALY_SILENCE_RESTART_GRACE));
    }

    /** The same settings for a bounded run over files: no wall-clock silence. */
    public AnomalySettings bounded() {
        return new AnomalySettings(defaultSensitivity, overrides, false, silenceRestartGrace);
    }

    public AnomalySettings {
        if (silenceRestartGrace == null || silenceRestartGrace.isNegative()) {
            throw new IllegalArgumentException("LOGAI_ANOMALY_SILENCE_RESTART_GRACE must be zero or more, e.g. 60s");
        }
        DetectorSettings.forSensitivity(defaultSensitivity);
        overrides.values().forEach(DetectorSettings::forSensitivity);
        overrides = new HashMap<>(overrides);
    }

    /** Parses {@code key=sensitivity} pairs separated by commas; the message names the bad entry. */
    public static Map<String, String> parseOverrides(String text) {
        Map<String, String> out = new HashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String entry : text.split(",")) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(
                        "Anomaly sensitivity override '" + entry.trim() + "' is not org=level or org/source=level");
            }
            out.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
        }
        return out;
    }

    public DetectorSettings forSource(String orgId, String sourceId) {
        String level = overrides.get(orgId + "/" + sourceId);
        if (level == null) {
            level = overrides.getOrDefault(orgId, defaultSensitivity);
        }
        return DetectorSettings.forSensitivity(level);
    }
}
