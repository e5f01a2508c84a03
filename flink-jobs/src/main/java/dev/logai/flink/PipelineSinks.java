package dev.logai.flink;

import dev.logai.flink.anomaly.Anomaly;
import dev.logai.flink.connector.Connectors;
import dev.logai.flink.deadletter.DeadLetter;
import dev.logai.flink.ingest.LogLine;
import dev.logai.flink.summary.Summary;
import dev.logai.flink.template.TemplateMerge;
import dev.logai.flink.window.PatternWindow;
import dev.logai.flink.window.WindowLateness;
import dev.logai.flink.window.WindowStats;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;

/**
 * Where the pipeline's results go. In production: Postgres (rows upserted as the application role,
 * row-level security applies), the raw archive on S3 and the dead-letter topic ({@link
 * #fromSettings}); a test passes collecting sinks instead. Alert notifications are sent by the job
 * itself (async I/O), not through a sink.
 *
 * @param windowStats one row per (org, source, window), updated while the window is open
 * @param windowLateness per (org, source, window), how many lines came too late to count
 * @param patternWindows per-template counts of each window
 * @param patternMerges templates generalised into another (earlier ids linked to the live one)
 * @param anomalies explained anomalies of judged windows
 * @param summaries one summary per incident (LLM or extractive)
 * @param deadLetters unreadable batches and lines past their allowed lateness, with the reason
 * @param archive every raw line, exactly once
 */
public record PipelineSinks(
        Sink<WindowStats> windowStats,
        Sink<WindowLateness> windowLateness,
        Sink<PatternWindow> patternWindows,
        Sink<TemplateMerge> patternMerges,
        Sink<Anomaly> anomalies,
        Sink<Summary> summaries,
        Sink<DeadLetter> deadLetters,
        Sink<LogLine> archive) {

    /** The sinks of a deployment: Postgres, the dead-letter topic and the archive, from the settings. */
    public static PipelineSinks fromSettings(Configuration config) {
        return new PipelineSinks(
                Connectors.windowStats(config),
                Connectors.windowLateness(config),
                Connectors.patternWindows(config),
                Connectors.patternMerges(config),
                Connectors.anomalies(config),
                Connectors.summaries(config),
                Connectors.deadLetters(config),
                Connectors.archive(config));
    }
}
