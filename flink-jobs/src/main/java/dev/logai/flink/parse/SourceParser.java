package dev.logai.flink.parse;

import dev.logai.flink.ingest.LogLine;
import dev.logai.flink.parse.container.ContainerLine;
import dev.logai.flink.parse.format.AccessLogLineParser;
import dev.logai.flink.parse.format.JsonLineParser;
import dev.logai.flink.parse.format.LogfmtLineParser;
import dev.logai.flink.parse.format.SyslogLineParser;
import dev.logai.flink.parse.multiline.Continuations;
import dev.logai.flink.parse.text.HeaderLearner;
import dev.logai.flink.parse.text.HeaderShape;
import java.util.ArrayList;
import java.util.List;

/**
 * The parsing state of one source: its detected format, and the watch that re-learns it when
 * lines stop fitting (a deploy switched the logging layout). Used by the Flink job (one per
 * (org, source) key, format kept in keyed state) and by {@code ./logai eval headers}, so both
 * measure the same thing.
 *
 * <p>Detection needs a sample: the caller hands the first {@link #LEARN_LINES} lines (or what
 * arrived within a short wait) to {@link #learn}, then {@link #parse}s every line.
 */
public final class SourceParser {
    /** Lines a source's format is learned from. */
    public static final int LEARN_LINES = 64;
    /** Lines between two checks of whether the format still fits. */
    static final int CHECK_WINDOW = 64;

    static final int MISS_SAMPLE = 32;
    static final int MISS_SAMPLE_CHARS = 1024;

    private final RecordParser parser;
    private SourceFormat format;
    private int seen;
    private int misses;
    private final List<String> missSample = new ArrayList<>();

    public SourceParser(RecordParser parser, SourceFormat format) {
        this.parser = parser;
        this.format = format;
    }

    public SourceFormat format() {
        return format;
    }

    public boolean learned() {
        return format != null;
    }

    /** Sets the format outright (a source's {@code parser_hint}); the watch for misfits keeps running. */
    public void use(SourceFormat format) {
        this.format = format;
    }

    public void learn(List<String> sample, long referenceMillis) {
        format = detect(sample, referenceMillis);
    }

    /**
     * One line decoded ({@link LineText}) and, when a container runtime wrote it, unwrapped: what
     * {@link #parse(LogLine, Line)} reads. {@code text} is the application's text; the runtime's
     * fields are null/0 for a line without a wrapper.
     */
    public static final class Line {
        /** The application's text: the line, or the content inside its CRI/Docker wrapper. */
        public String text;
        /** {@code FLAG_*} bits found while decoding. */
        public int flags;
        /** The wrapper's runtime, or null for a plain line. */
        public ContainerLine.Runtime runtime;
        /** The runtime's time of the line (epoch ms), when {@link #runtime} is set. */
        public long runtimeTime;

        public String runtimeTimeText;
        /** {@code stdout} or {@code stderr}, when {@link #runtime} is set. */
        public String stream;
        /** The runtime cut the line here: the next chunk of the same stream continues it. */
        public boolean partial;
    }

    /** Decodes {@code line} and unwraps a container runtime's wrapper, if any. */
    public Line read(LogLine line) {
        int[] flags = {line.truncated ? LogRecord.FLAG_TRUNCATED : 0};
        Line read = new Line();
        read.text = LineText.decode(line.raw, flags);
        read.flags = flags[0];
        ContainerLine container = parser.container;
        if (container.read(read.text)) {
            read.runtime = container.runtime;
            read.runtimeTime = container.timeMillis;
            read.runtimeTimeText = container.timeText;
            read.stream = container.stream;
            read.partial = container.partial;
            read.text = LineText.cleanContent(container.content);
        }
        return read;
    }

    /** The record of one line; counts lines that do not fit and re-learns when most stop fitting. */
    public LogRecord parse(LogLine line) {
        return parse(line, read(line));
    }

    /** The record of a line already {@link #read}, partial chunks possibly joined into {@code read.text}. */
    public LogRecord parse(LogLine line, Line read) {
        String text = read.text;
        LogRecord record = newRecord(line, text, read.flags);
        SourceFormat current = format == null ? SourceFormat.text(HeaderShape.NONE) : format;
        boolean cleanBytes =
                read.runtime == null && (read.flags & (LogRecord.FLAG_INVALID_UTF8 | LogRecord.FLAG_BINARY)) == 0;
        // A time without a date (klog's "I0514 09:12:03") takes its date from the runtime's time when
        // a container runtime wrote the line, else from the receive time.
        long reference = read.runtime != null ? read.runtimeTime : line.receivedAt;
        boolean fits = parser.parse(current, cleanBytes ? line.raw : null, text, reference, record);
        record.lineFitsFormat = fits;
        if (read.runtime != null) {
            // The application's own time wins; the runtime's time is the line's when it wrote none,
            // or wrote a bare date ("2024-01-01 INFO …"): a day is less than the runtime knows.
            boolean dateOnly = record.tsFromLine && record.tsText != null && record.tsText.length() <= 10;
            if (!record.tsFromLine || dateOnly) {
                record.ts = read.runtimeTime;
                record.tsFromLine = true;
                record.tsText = read.runtimeTimeText;
                record.timeFromRuntime = true;
            }
            record.attributes.put("stream", read.stream);
        }
        clampFutureAndFlag(record, line.receivedAt);
        if (!fits && format != null && !Continuations.looksLikeContinuation(text)) {
            misses++;
            if (missSample.size() < MISS_SAMPLE) {
                missSample.add(text.length() > MISS_SAMPLE_CHARS ? text.substring(0, MISS_SAMPLE_CHARS) : text);
            }
        }
        if (++seen >= CHECK_WINDOW) {
            if (misses >= MIN_SHARE * seen && missSample.size() >= MISS_SAMPLE / 2) {
                relearn(line.receivedAt, misses * 2 > seen);
            }
            seen = 0;
            misses = 0;
            missSample.clear();
        }
        return record;
    }

    /**
     * A line may claim to be at most this far ahead of its receive time. Event time drives its
     * source's clock, so one line from a wrong clock (a year ahead) must not make every later line of
     * that source late; lines further ahead get the receive time and a flag.
     */
    static final long MAX_FUTURE_MS = 5 * 60 * 1000;

    static void clampFutureAndFlag(LogRecord record, long receivedAt) {
        if (record.tsFromLine && record.ts > receivedAt + MAX_FUTURE_MS) {
            record.ts = receivedAt;
            record.tsFromLine = false;
            record.flags |= LogRecord.FLAG_FUTURE_TIMESTAMP;
        }
        if (!record.tsFromLine) {
            record.flags |= LogRecord.FLAG_NO_TIMESTAMP;
        }
    }

    /**
     * Adopts the format the recent misfits agree on, if they agree on a real one: as the primary
     * format when most lines stopped fitting (a deploy changed the layout), else as an alternate
     * (another writer joined the source). The formats it replaces stay as alternates, so lines of
     * the old layout still in flight keep parsing.
     */
    private void relearn(long referenceMillis, boolean mostLinesMiss) {
        SourceFormat candidate = detect(missSample, referenceMillis).alone();
        if (candidate.equals(format.alone()) || format.alternates.contains(candidate)) return;
        int fit = 0;
        int timestamped = 0;
        LogRecord probe = new LogRecord();
        for (String s : missSample) {
            probe.attributes.clear();
            probe.flags = 0;
            if (parser.parse(candidate, s, referenceMillis, probe)) fit++;
            if (probe.tsFromLine) timestamped++;
        }
        boolean structured = candidate.kind != SourceFormat.Kind.TEXT;
        if (fit >= 0.6 * missSample.size() && (structured || timestamped >= 0.6 * missSample.size())) {
            List<SourceFormat> all = new ArrayList<>();
            all.add(format.alone());
            all.addAll(format.alternates);
            if (mostLinesMiss) {
                format = candidate.withAlternates(all).inContainer(format.container);
            } else {
                all.add(1, candidate);
                format = format.alone()
                        .withAlternates(all.subList(1, all.size()))
                        .inContainer(format.container);
            }
        }
    }

    static LogRecord newRecord(LogLine line, String text, int flags) {
        LogRecord record = new LogRecord();
        record.orgId = line.orgId;
        record.sourceId = line.sourceId;
        record.raw = text;
        record.truncated = line.truncated;
        record.ts = line.receivedAt;
        record.message = text;
        record.flags = flags;
        record.traceParent = line.traceParent;
        return record;
    }

    /**
     * A format is kept for a source when at least this share of its sample's lines (continuation
     * lines not counted) are in it: interleaved writers each get their own format.
     */
    static final double MIN_SHARE = 0.1;

    /**
     * The formats of a source, from a sample of its lines: every structured format (JSON, syslog,
     * access log, logfmt) that at least {@link #MIN_SHARE} of the lines are in, and free text with
     * a header learned from the remaining lines when they are that many too; the format with the
     * most lines is the primary one, the others are its {@link SourceFormat#alternates}. Lines a
     * container runtime wrote are judged by their content (partial chunks joined), and the runtime
     * that wrote most lines is noted. Continuation lines (stack frames, goroutine dumps) say
     * nothing about a format and are not counted.
     */
    public static SourceFormat detect(List<String> sample, long referenceMillis) {
        JsonLineParser json = new JsonLineParser();
        SyslogLineParser syslog = new SyslogLineParser();
        AccessLogLineParser access = new AccessLogLineParser();
        LogfmtLineParser logfmt = new LogfmtLineParser();
        ContainerLine container = new ContainerLine();
        int[] votes = new int[4];
        int[] runtimeVotes = new int[ContainerLine.Runtime.values().length];
        int lines = 0;
        int wrapped = 0;
        List<String> unstructured = new ArrayList<>(sample.size());
        java.util.Map<String, String> partials = new java.util.HashMap<>();
        LogRecord probe = new LogRecord();
        for (String raw : sample) {
            String line = raw;
            if (container.read(raw)) {
                runtimeVotes[container.runtime.ordinal()]++;
                wrapped++;
                // judge the application's lines, not the runtime's chunks of them
                line = partials.getOrDefault(container.stream, "") + LineText.cleanContent(container.content);
                if (container.partial) {
                    partials.put(container.stream, line);
                    continue;
                }
                partials.remove(container.stream);
            }
            if (line.isBlank() || Continuations.looksLikeContinuation(line) || Continuations.looksLikeFrame(line)) {
                unstructured.add(line);
                continue;
            }
            lines++;
            int vote = -1;
            if (RecordParser.isJsonObject(line) && json.parse(line, referenceMillis, probe)) vote = 0;
            else if (line.startsWith("<") && syslog.parse(line, referenceMillis, probe)) vote = 1;
            else if (access.parse(line, referenceMillis, probe)) vote = 2;
            else if (LogfmtLineParser.looksLikeLogfmt(line) && logfmt.parse(line, referenceMillis, probe)) vote = 3;
            if (vote >= 0) votes[vote]++;
            else unstructured.add(line);
        }
        ContainerLine.Runtime runtime = null;
        if (wrapped * 2 > sample.size()) {
            runtime = runtimeVotes[0] >= runtimeVotes[1] ? ContainerLine.Runtime.CRI : ContainerLine.Runtime.DOCKER;
        }
        SourceFormat[] structured = {SourceFormat.JSON, SourceFormat.SYSLOG, SourceFormat.ACCESS, SourceFormat.LOGFMT};
        List<SourceFormat> kept = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        int structuredLines = 0;
        for (int i = 0; i < votes.length; i++) {
            structuredLines += votes[i];
            if (votes[i] > 0 && votes[i] >= MIN_SHARE * lines) {
                kept.add(structured[i]);
                counts.add(votes[i]);
            }
        }
        int textLines = lines - structuredLines;
        if (kept.isEmpty() || textLines >= MIN_SHARE * lines) {
            SourceFormat text = SourceFormat.text(HeaderLearner.learn(unstructured, referenceMillis));
            // Headerless text fits every line: beside structured formats it would hide every misfit.
            if (kept.isEmpty() || !text.shape.isEmpty()) {
                kept.add(text);
                counts.add(textLines);
            }
        }
        Integer[] order = new Integer[kept.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> counts.get(b) - counts.get(a)); // stable: structured first on ties
        List<SourceFormat> ranked = new ArrayList<>();
        for (Integer i : order) ranked.add(kept.get(i));
        return ranked.get(0).withAlternates(ranked.subList(1, ranked.size())).inContainer(runtime);
    }
}
