package dev.logai.flink;

import dev.logai.flink.alert.NotifyAlerts;
import dev.logai.flink.anomaly.AnomalySettings;
import dev.logai.flink.parse.ParseSettings;
import dev.logai.flink.summary.LlmSettings;
import dev.logai.flink.summary.SummarySettings;
import dev.logai.flink.upload.UploadSettings;
import dev.logai.flink.window.WindowSettings;
import org.apache.flink.configuration.Configuration;

/**
 * What each stage of the pipeline is tuned by, one record per feature, each built next to its
 * feature from the deployment's settings ({@link PipelineOptions}).
 *
 * @param parse format learning and multi-line joining
 * @param windows window size, out-of-orderness, lateness, early firing, idleness
 * @param anomalies detector sensitivity per org/source
 * @param summaries which windows get a summary and how incidents are grouped
 * @param llm the LLM endpoint, its bounds, prices and budgets
 * @param alerts where alert outcomes are recorded and how notifications are sent
 * @param uploads where registered uploads are read from, in what steps, and where progress goes
 */
public record PipelineSettings(
        ParseSettings parse,
        WindowSettings windows,
        AnomalySettings anomalies,
        SummarySettings summaries,
        LlmSettings llm,
        NotifyAlerts.Settings alerts,
        UploadSettings uploads) {

    /** The settings of a deployment; throws {@link IllegalArgumentException} naming a bad value. */
    public static PipelineSettings from(Configuration config) {
        return new PipelineSettings(
                ParseSettings.from(config),
                WindowSettings.from(config),
                AnomalySettings.from(config),
                SummarySettings.from(config),
                LlmSettings.from(config, true),
                NotifyAlerts.Settings.from(config),
                UploadSettings.from(config));
    }
}
