package dev.logai.flink.summary;

import dev.logai.flink.PipelineOptions;
import dev.logai.flink.anomaly.AnomalySettings;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * Which windows get a summary, how incidents are grouped, and the prompt's token budget.
 *
 * @param errorLines a window with at least this many error lines is summarized (per org/source overrides)
 * @param newTemplates a window with at least this many new templates is summarized
 * @param incidentGap interesting windows closer than this are one incident with one summary
 * @param refreshWindows an incident with no new signal is re-summarized every this many windows
 * @param digest period of a digest summary per source, or zero for none
 * @param promptTokens input token budget of one prompt
 */
public record SummarySettings(
        int errorLines,
        Map<String, Integer> errorLinesOverrides,
        int newTemplates,
        Duration incidentGap,
        int refreshWindows,
        Duration digest,
        int promptTokens)
        implements Serializable {

    public static final SummarySettings DEFAULTS =
            new SummarySettings(100, Map.of(), 5, Duration.ofMinutes(5), 15, Duration.ZERO, 6000);

    /** The summary settings of a deployment ({@code LOGAI_SUMMARY_*}). */
    public static SummarySettings from(Configuration config) {
        return new SummarySettings(
                config.get(PipelineOptions.SUMMARY_ERROR_LINES),
                parseOverrides(config.get(PipelineOptions.SUMMARY_ERROR_LINES_OVERRIDES)),
                config.get(PipelineOptions.SUMMARY_NEW_TEMPLATES),
                config.get(PipelineOptions.SUMMARY_INCIDENT_GAP),
                config.get(PipelineOptions.SUMMARY_REFRESH_WINDOWS),
                config.get(PipelineOptions.SUMMARY_DIGEST),
                config.get(PipelineOptions.SUMMARY_PROMPT_TOKENS));
    }

    public SummarySettings {
        if (errorLines < 1 || newTemplates < 1 || refreshWindows < 1) {
            throw new IllegalArgumentException("Summary thresholds must be at least 1");
        }
        if (promptTokens < 1000) {
            throw new IllegalArgumentException("The prompt token budget must be at least 1000, was " + promptTokens);
        }
        errorLinesOverrides = new HashMap<>(errorLinesOverrides);
    }

    public int errorLinesFor(String orgId, String sourceId) {
        Integer n = errorLinesOverrides.get(orgId + "/" + sourceId);
        return n != null ? n : errorLinesOverrides.getOrDefault(orgId, errorLines);
    }

    /** {@code org=N,org/source=N}. */
    public static Map<String, Integer> parseOverrides(String text) {
        Map<String, Integer> out = new HashMap<>();
        AnomalySettings.parseOverrides(text).forEach((k, v) -> {
            try {
                out.put(k, Integer.parseInt(v));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "Summary error-lines override '" + k + "=" + v + "' is not a number");
            }
        });
        return out;
    }
}
