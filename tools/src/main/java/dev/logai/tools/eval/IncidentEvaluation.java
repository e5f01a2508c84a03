package dev.logai.tools.eval;

import dev.logai.flink.PipelineOptions;
import dev.logai.flink.analyze.AnalysisReport;
import dev.logai.flink.analyze.AnalyzeCommand;
import dev.logai.tools.eval.IncidentCorpus.Corpus;
import dev.logai.tools.eval.IncidentCorpus.Kind;
import dev.logai.tools.eval.IncidentCorpus.Label;
import dev.logai.tools.eval.IncidentScorer.Flag;
import dev.logai.tools.eval.IncidentScorer.Outcome;
import dev.logai.tools.eval.IncidentScorer.Scores;
import dev.logai.tools.eval.IncidentScorer.SourceFigures;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;

/**
 * {@code ./logai eval incidents [--seed N] [--hours H] [--retried-errors] [--volume F] [--out DIR]}: anomaly
 * detection on generated multi-service logs with labelled incidents of every kind ({@link
 * IncidentCorpus}; with {@code --retried-errors}, each error line a failure logged again by 1–5
 * retries).
 * The logs are written to DIR (one file per source) and run through exactly what {@code ./logai
 * analyze} runs ({@link AnalyzeCommand#analyze}: parsing, template mining, per-source windows and
 * the detectors, on an in-process Flink, with the default settings whatever the environment says);
 * the anomalies are matched to the labels by {@link IncidentScorer}.
 *
 * <p>Prints per incident kind the recall and the detection delay in windows (median and worst),
 * per kind of normal activity the false alarms in it, per source the false alarms per clean hour
 * and per clean day, every incident with how it was found, and a last line {@code average
 * incidents_recall=… false_alarms_per_clean_hour=… median_delay_windows=…}. Writes {@code
 * labels.csv} and {@code anomalies.csv} (each anomaly with the incident it was matched to, or
 * {@code false_alarm}, and its reason) next to the logs. Defaults: seed 1, 72 hours, DIR a new directory under
 * the system's temporary directory.
 */
public final class IncidentEvaluation {
    private IncidentEvaluation() {}

    public static void main(String[] args) throws Exception {
        long seed = 1;
        int hours = 72;
        Path out = null;
        boolean retriedErrors = false;
        double volume = 1;
        try {
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                switch (flag) {
                    case "--seed" -> seed = (long) number(flag, valueOf(args, ++i, flag), true);
                    case "--hours" -> hours = (int) number(flag, valueOf(args, ++i, flag), true);
                    case "--out" -> out = Path.of(valueOf(args, ++i, flag));
                    case "--retried-errors" -> retriedErrors = true;
                    case "--volume" -> volume = number(flag, valueOf(args, ++i, flag), false);
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            if (hours < 12 || hours > 24 * 31) {
                throw new IllegalArgumentException("--hours must be between 12 and 744");
            }
            if (!(volume >= IncidentCorpus.MIN_VOLUME && volume <= IncidentCorpus.MAX_VOLUME)) {
                throw new IllegalArgumentException("--volume must be between " + IncidentCorpus.MIN_VOLUME + " and "
                        + IncidentCorpus.MAX_VOLUME + " (a factor on every source's lines a minute)");
            }
        } catch (RuntimeException e) {
            System.err.println("logai eval incidents: " + e.getMessage());
            System.err.println(
                    "usage: ./logai eval incidents [--seed N] [--hours H] [--retried-errors] [--volume F] [--out DIR]");
            System.exit(2);
            return;
        }
        if (out == null) {
            out = Files.createTempDirectory("logai-incidents-");
        }
        long t0 = System.nanoTime();
        Corpus corpus = IncidentCorpus.write(seed, hours, out, retriedErrors, volume);
        long t1 = System.nanoTime();
        Configuration settings = PipelineOptions.fromEnvironment(Map.of());
        AnalysisReport report =
                AnalyzeCommand.analyze(new ArrayList<>(corpus.files().values()), settings);
        long t2 = System.nanoTime();
        long windowMs = settings.get(PipelineOptions.WINDOW_SIZE).toMillis();
        List<Flag> flags = flags(report);
        List<String> sources = new ArrayList<>(corpus.files().keySet());
        Scores scores = IncidentScorer.score(
                corpus.labels(), flags, corpus.start(), corpus.end(), IncidentCorpus.WARMUP, windowMs, sources);
        System.out.printf(
                Locale.ROOT,
                "seed=%d hours=%d%s%s sources=%d lines=%d window=%ds (generated in %.0f s, job %.0f s; logs in %s)%n",
                seed,
                hours,
                retriedErrors ? " retried-errors" : "",
                volume == 1 ? "" : String.format(Locale.ROOT, " volume=%s", volume),
                sources.size(),
                corpus.lines(),
                windowMs / 1000,
                (t1 - t0) / 1e9,
                (t2 - t1) / 1e9,
                out);
        print(scores, windowMs);
        writeLabels(out.resolve("labels.csv"), corpus.labels());
        writeAnomalies(out.resolve("anomalies.csv"), flags, scores, windowMs, corpus.start() + IncidentCorpus.WARMUP);
    }

    /** The value after {@code flag} at {@code args[i]}; refused when missing or another flag. */
    private static String valueOf(String[] args, int i, String flag) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    /** {@code value} as a number (a whole one when {@code whole}), or a message naming {@code flag}. */
    private static double number(String flag, String value, boolean whole) {
        try {
            return whole ? Long.parseLong(value) : Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    flag + " needs " + (whole ? "a whole number" : "a number") + ", not '" + value + "'");
        }
    }

    /** Every anomaly of the report, by source name (the file name without {@code .log}). */
    static List<Flag> flags(AnalysisReport report) {
        List<Flag> flags = new ArrayList<>();
        for (AnalysisReport.SourceReport s : report.sources()) {
            String source = s.source().endsWith(".log")
                    ? s.source().substring(0, s.source().length() - 4)
                    : s.source();
            for (AnalysisReport.AnomalySummary a : s.anomalies()) {
                flags.add(new Flag(
                        source, a.windowStart().toEpochMilli(), a.metric(), a.service(), a.label(), a.reason()));
            }
        }
        return flags;
    }

    static void print(Scores scores, long windowMs) {
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "%-20s %9s %5s %6s %12s %9s  %s%n",
                "kind",
                "incidents",
                "found",
                "recall",
                "median_delay",
                "max_delay",
                "found first by");
        Map<Kind, List<Outcome>> byKind = new TreeMap<>();
        scores.incidents()
                .forEach(o -> byKind.computeIfAbsent(o.label().kind(), k -> new ArrayList<>())
                        .add(o));
        for (Map.Entry<Kind, List<Outcome>> e : byKind.entrySet()) {
            printKind(e.getKey().wireName(), e.getValue());
        }
        printKind("all incidents", scores.incidents());

        System.out.println();
        System.out.printf(Locale.ROOT, "%-20s %9s %8s %13s%n", "normal activity", "spans", "flagged", "false_alarms");
        for (Map.Entry<Kind, int[]> e : scores.normalActivity().entrySet()) {
            System.out.printf(
                    Locale.ROOT,
                    "%-20s %9d %8d %13d%n",
                    e.getKey().wireName(),
                    e.getValue()[0],
                    e.getValue()[1],
                    e.getValue()[2]);
        }

        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "%-20s %11s %13s %15s %14s  %s%n",
                "source",
                "clean_hours",
                "false_alarms",
                "per_clean_hour",
                "per_clean_day",
                "where");
        double hours = 0;
        int alarms = 0;
        for (SourceFigures f : scores.sources()) {
            hours += f.cleanHours();
            alarms += f.falseAlarms();
            System.out.printf(
                    Locale.ROOT,
                    "%-20s %11.1f %13d %15.3f %14.2f  %s%n",
                    f.source(),
                    f.cleanHours(),
                    f.falseAlarms(),
                    f.falseAlarms() / f.cleanHours(),
                    24 * f.falseAlarms() / f.cleanHours(),
                    f.byActivity().isEmpty() ? "" : f.byActivity().toString());
        }
        System.out.printf(
                Locale.ROOT,
                "%-20s %11.1f %13d %15.3f %14.2f  (per source: %.2f a clean day)%n",
                "all",
                hours,
                alarms,
                alarms / hours,
                24 * alarms / hours,
                24 * alarms / hours);
        System.out.printf(
                Locale.ROOT,
                "(%d anomalies in the first %d hours, the warm-up, are not counted)%n",
                scores.inWarmup(),
                IncidentCorpus.WARMUP / 3_600_000);

        System.out.println();
        System.out.println("incidents:");
        for (Outcome o : scores.incidents()) {
            Label l = o.label();
            System.out.printf(
                    Locale.ROOT,
                    "  %-18s %-15s %s %4d min  %-9s %s  (%s%s)%n",
                    l.kind().wireName(),
                    l.source(),
                    Instant.ofEpochMilli(l.start()).toString().substring(0, 16),
                    (l.end() - l.start()) / 60_000,
                    o.found() ? "found" : "MISSED",
                    o.found() ? "after " + o.delayWindows() + " windows by " + describe(o.first()) : "",
                    l.service().isEmpty() ? "" : l.service() + ": ",
                    l.detail());
        }
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "average incidents_recall=%.3f false_alarms_per_clean_hour=%.3f median_delay_windows=%.1f%n",
                scores.recall(),
                scores.falseAlarmsPerCleanHour(),
                scores.medianDelay());
    }

    private static void printKind(String name, List<Outcome> outcomes) {
        int[] delays = outcomes.stream()
                .filter(Outcome::found)
                .mapToInt(Outcome::delayWindows)
                .sorted()
                .toArray();
        Map<String, Long> firstBy = outcomes.stream()
                .filter(Outcome::found)
                .collect(Collectors.groupingBy(o -> o.first().metric(), TreeMap::new, Collectors.counting()));
        System.out.printf(
                Locale.ROOT,
                "%-20s %9d %5d %6.2f %12s %9s  %s%n",
                name,
                outcomes.size(),
                delays.length,
                delays.length / (double) outcomes.size(),
                delays.length == 0 ? "-" : String.format(Locale.ROOT, "%.1f", IncidentScorer.median(delays)),
                delays.length == 0 ? "-" : Integer.toString(delays[delays.length - 1]),
                firstBy.isEmpty() ? "" : firstBy.toString());
    }

    private static String describe(Flag f) {
        return f.metric() + (f.service().isEmpty() ? "" : "[" + f.service() + "]") + " " + f.label();
    }

    private static void writeLabels(Path file, List<Label> labels) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("source,kind,start,end,service,detail\n");
            for (Label l : labels) {
                w.write(String.join(
                                ",",
                                l.source(),
                                l.kind().wireName(),
                                Instant.ofEpochMilli(l.start()).toString(),
                                Instant.ofEpochMilli(l.end()).toString(),
                                l.service(),
                                "\"" + l.detail().replace("\"", "\"\"") + "\"")
                        + "\n");
            }
        }
    }

    private static void writeAnomalies(Path file, List<Flag> flags, Scores scores, long windowMs, long warmupEnd)
            throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("source,window,metric,service,label,matched,reason\n");
            for (Flag f : flags) {
                String matched = "false_alarm";
                for (Outcome o : scores.incidents()) {
                    long[] span = IncidentScorer.span(o.label(), windowMs);
                    long win = f.windowStart() / windowMs;
                    if (o.label().source().equals(f.source()) && win >= span[0] && win <= span[1]) {
                        matched = o.label().kind().wireName() + "@"
                                + Instant.ofEpochMilli(o.label().start());
                        break;
                    }
                }
                if (f.windowStart() < warmupEnd) {
                    matched = "warmup";
                }
                w.write(String.join(
                                ",",
                                f.source(),
                                Instant.ofEpochMilli(f.windowStart()).toString(),
                                f.metric(),
                                f.service(),
                                f.label(),
                                matched,
                                "\"" + f.reason().replace("\"", "\"\"") + "\"")
                        + "\n");
            }
        }
    }
}
