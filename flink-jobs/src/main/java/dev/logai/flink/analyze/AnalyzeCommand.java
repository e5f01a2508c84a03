package dev.logai.flink.analyze;

import dev.logai.flink.LogPipelineJob;
import dev.logai.flink.PipelineOptions;
import dev.logai.flink.anomaly.Anomaly;
import dev.logai.flink.anomaly.AnomalySettings;
import dev.logai.flink.ingest.LogLine;
import dev.logai.flink.parse.LineText;
import dev.logai.flink.parse.LogRecord;
import dev.logai.flink.parse.ParseSettings;
import dev.logai.flink.parse.SourceParser;
import dev.logai.flink.runtime.FlinkRuntime;
import dev.logai.flink.summary.LlmSettings;
import dev.logai.flink.summary.Summary;
import dev.logai.flink.summary.SummarySettings;
import dev.logai.flink.template.TemplateMerge;
import dev.logai.flink.window.PatternWindow;
import dev.logai.flink.window.WindowSettings;
import dev.logai.flink.window.WindowStats;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * {@code ./logai analyze [--json | --events | --max-anomalies N] FILE...}: the pipeline's own parsing and windowing, run
 * bounded over local files (plain or .gz) on an in-process Flink, with no services. Each file is one
 * source. Prints a {@link AnalysisReport} (text, or JSON with {@code --json}), or with {@code
 * --events} every parsed event as one JSON object per line ({@link EventLine}), so anyone can check
 * a parse: time, level, service, message, template, format, physical lines, flags.
 */
public final class AnalyzeCommand {
    private AnalyzeCommand() {}

    public static void main(String[] args) throws Exception {
        boolean json = false;
        boolean events = false;
        int maxAnomalies = AnalysisReport.MAX_ANOMALIES;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--json")) {
                json = true;
            } else if (arg.equals("--events")) {
                events = true;
            } else if (arg.equals("--max-anomalies")) {
                try {
                    maxAnomalies = Integer.parseInt(i + 1 < args.length ? args[++i] : "");
                } catch (NumberFormatException e) {
                    usage("--max-anomalies needs a number (0: all)");
                }
            } else if (arg.startsWith("-")) {
                usage("unknown option " + arg);
            } else {
                Path file = Path.of(arg);
                if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                    usage("cannot read file " + arg);
                }
                files.add(file);
            }
        }
        if (files.isEmpty()) {
            usage("no files given");
        }
        for (Path file : files) {
            if (file.toString().endsWith(".gz")) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                    in.read(); // a corrupt header fails here, with a message a person can act on
                } catch (IOException e) {
                    usage(file + " ends in .gz but is not readable gzip (" + e.getMessage() + ")");
                }
            }
        }
        if (json && events) {
            usage("--json and --events are two outputs: choose one");
        }
        AnalysisReport report;
        List<LogRecord> parsed = events ? new ArrayList<>() : null;
        try {
            report = analyze(files, PipelineOptions.fromEnvironment(System.getenv()), parsed);
        } catch (Exception e) {
            Throwable cause = e;
            while (cause.getCause() != null) cause = cause.getCause();
            System.err.println("logai analyze: the analysis failed: " + cause);
            System.exit(1);
            return;
        }
        if (events) {
            EventLine.print(parsed, System.out);
            return;
        }
        System.out.println(json ? report.toJson() : report.toText(maxAnomalies));
    }

    /**
     * Each file's source name: its file name, or the path as given when two files share a name, so
     * every file stays its own source.
     */
    static Map<Path, String> sourceNames(List<Path> files) {
        Map<String, Long> counts = new HashMap<>();
        files.forEach(f -> counts.merge(f.getFileName().toString(), 1L, Long::sum));
        Map<Path, String> names = new java.util.LinkedHashMap<>();
        for (Path f : files) {
            String base = f.getFileName().toString();
            names.put(f, counts.get(base) > 1 ? f.toString() : base);
        }
        return names;
    }

    private static void usage(String problem) {
        System.err.println("logai analyze: " + problem);
        System.err.println(
                "usage: ./logai analyze [--json | --events | --max-anomalies N] FILE...   (plain text or .gz; each file is one"
                        + " source; the text report prints the N highest scored anomalies per file, 20 by default, 0 for all)");
        System.exit(2);
    }

    /** Runs the windowing of the pipeline in batch mode over {@code files} and collects the windows. */
    public static AnalysisReport analyze(List<Path> files, Configuration settings) throws Exception {
        return analyze(files, settings, null);
    }

    /**
     * As {@link #analyze(List, Configuration)}; when {@code events} is not null, every parsed and
     * mined event is added to it too (per source in file order; all held in memory).
     */
    public static AnalysisReport analyze(List<Path> files, Configuration settings, List<LogRecord> events)
            throws Exception {
        Configuration conf = FlinkRuntime.loopback();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        // Streaming over bounded files: a source's lines reach its parser in file order, which
        // multi-line joining needs (batch mode sorts records by key and may reorder within one).
        // The end of each file's input flushes the parser and closes the windows.
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 4)));

        Map<Path, String> sourceNames = sourceNames(files);
        DataStream<LogLine> lines = null;
        for (Path file : files) {
            String sourceId = sourceNames.get(file);
            // Lines without a timestamp of their own get the file's modification time.
            long fileTime = Files.getLastModifiedTime(file).toMillis();
            FileSource<String> source = FileSource.forRecordStreamFormat(
                            // ISO-8859-1 maps each byte to one char: the line's bytes come back exactly,
                            // and the parser, not the file reader, judges their encoding
                            new TextLineInputFormat("ISO-8859-1"), new org.apache.flink.core.fs.Path(file.toUri()))
                    .build();
            DataStream<LogLine> fileLines = env.fromSource(source, WatermarkStrategy.noWatermarks(), "file:" + sourceId)
                    .filter(line -> !line.isBlank())
                    .map(line -> new LogLine(
                            "local",
                            sourceId,
                            fileTime,
                            stripCarriageReturn(line).getBytes(StandardCharsets.ISO_8859_1),
                            false,
                            false))
                    .returns(LogLine.class)
                    .name("lines:" + sourceId);
            lines = lines == null ? fileLines : lines.union(fileLines);
        }
        LogPipelineJob.WindowOutputs outputs = LogPipelineJob.windowOutputs(
                lines,
                ParseSettings.from(settings).bounded(),
                WindowSettings.from(settings).bounded(),
                AnomalySettings.from(settings).bounded());
        List<WindowStats> windows = new ArrayList<>();
        List<PatternWindow> patterns = new ArrayList<>();
        List<TemplateMerge> merges = new ArrayList<>();
        List<Anomaly> anomalies = new ArrayList<>();
        List<Summary> summaries = new ArrayList<>();
        List<LogRecord> late = new ArrayList<>();
        // Summaries as the job writes them: the LLM if LOGAI_LLM_BASE_URL is set, else extractive;
        // the cache and the budget live in memory for the run.
        DataStream<Summary> summaryStream = LogPipelineJob.summaries(
                outputs.findings(), SummarySettings.from(settings), LlmSettings.from(settings, false));
        List<SourceFlagCounts> flagCounts = new ArrayList<>();
        try (CloseableIterator<SourceFlagCounts> flagResults = outputs.mined()
                        .keyBy(r -> r.sourceId)
                        .process(new SourceFlagCounts.Count())
                        .name("count-parse-flags")
                        .collectAsync();
                CloseableIterator<LogRecord> eventResults =
                        events == null ? null : outputs.mined().collectAsync();
                CloseableIterator<WindowStats> statsResults = outputs.stats().collectAsync();
                CloseableIterator<PatternWindow> patternResults =
                        outputs.patterns().collectAsync();
                CloseableIterator<TemplateMerge> mergeResults = outputs.merges().collectAsync();
                CloseableIterator<Anomaly> anomalyResults = outputs.anomalies().collectAsync();
                CloseableIterator<Summary> summaryResults = summaryStream.collectAsync();
                CloseableIterator<LogRecord> lateResults = outputs.late().collectAsync()) {
            JobClient job = env.executeAsync("logai-analyze");
            // Every result is read while the job runs, each on its own thread: a collect sink whose
            // buffer is full waits for its reader, so reading the results one after another once
            // the job ended deadlocked any run with more than a few MB of windows or patterns.
            AtomicReference<Throwable> failed = new AtomicReference<>();
            List<Thread> readers = new ArrayList<>();
            readers.add(reader(statsResults, windows, failed));
            readers.add(reader(patternResults, patterns, failed));
            readers.add(reader(mergeResults, merges, failed));
            readers.add(reader(anomalyResults, anomalies, failed));
            readers.add(reader(summaryResults, summaries, failed));
            readers.add(reader(lateResults, late, failed));
            readers.add(reader(flagResults, flagCounts, failed));
            if (eventResults != null) readers.add(reader(eventResults, events, failed));
            for (Thread t : readers) {
                t.join();
            }
            job.getJobExecutionResult().get(); // a failed job throws here, with its cause
            if (failed.get() != null) {
                throw new IllegalStateException("reading the job's results failed", failed.get());
            }
        }
        Map<String, Map<String, Long>> flagsBySource = new HashMap<>();
        flagCounts.forEach(c -> flagsBySource.put(c.sourceId, c.counts));
        List<String> names = files.stream().map(sourceNames::get).toList();
        Map<String, String> formats = new HashMap<>();
        Map<String, Long> physicalLines = new HashMap<>();
        for (Path file : files) {
            formats.put(sourceNames.get(file), detectFormat(file));
            physicalLines.put(sourceNames.get(file), nonBlankLines(file));
        }
        Map<String, Long> lateEvents = new HashMap<>();
        late.forEach(r -> lateEvents.merge(r.sourceId, 1L, Long::sum));
        return AnalysisReport.of(
                names,
                formats,
                physicalLines,
                lateEvents,
                flagsBySource,
                windows,
                patterns,
                merges,
                anomalies,
                summaries,
                settings.get(PipelineOptions.WINDOW_SIZE));
    }

    /** A started thread that adds everything {@code results} yields to {@code into}; a failure goes to {@code failed}. */
    private static <T> Thread reader(CloseableIterator<T> results, List<T> into, AtomicReference<Throwable> failed) {
        Thread t = new Thread(
                () -> {
                    try {
                        results.forEachRemaining(into::add);
                    } catch (Throwable e) {
                        failed.compareAndSet(null, e);
                    }
                },
                "analyze-results");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** What the job learns from a source's first lines, for the report (the same detection code). */
    static String detectFormat(Path file) throws IOException {
        List<String> sample = new ArrayList<>();
        int[] flags = {0};
        InputStream in = Files.newInputStream(file);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                file.toString().endsWith(".gz") ? new GZIPInputStream(in) : in, StandardCharsets.ISO_8859_1))) {
            String line;
            while (sample.size() < SourceParser.LEARN_LINES && (line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    sample.add(LineText.decode(stripCarriageReturn(line).getBytes(StandardCharsets.ISO_8859_1), flags));
                }
            }
        }
        return SourceParser.detect(sample, Files.getLastModifiedTime(file).toMillis())
                .describe();
    }

    /** The non-blank lines of a file (plain or .gz), as the job reads them. */
    static long nonBlankLines(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                file.toString().endsWith(".gz") ? new GZIPInputStream(in) : in, StandardCharsets.ISO_8859_1))) {
            return reader.lines().filter(line -> !line.isBlank()).count();
        }
    }

    private static String stripCarriageReturn(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}
