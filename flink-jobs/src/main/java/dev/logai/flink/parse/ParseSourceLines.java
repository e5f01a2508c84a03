package dev.logai.flink.parse;

import dev.logai.flink.ingest.LogLine;
import dev.logai.flink.parse.container.PartialLine;
import dev.logai.flink.parse.multiline.Continuations;
import dev.logai.flink.parse.multiline.MultilineJoiner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per (org, source): learns the source's format from its first lines, parses every line with it,
 * reassembles lines a container runtime cut into partial chunks (CRI {@code P}, Docker's
 * newline-less {@code log}), and joins multi-line events (stack traces) before they go on.
 *
 * <p>State per source, all keyed (so it moves with the key on rescale and survives restarts):
 * the detected format; the lines waiting while the format is learned; the partial chunks of each
 * stream, at most {@link MultilineJoiner#MAX_CHARS} characters (further chunks are counted in the
 * event's flags as truncation, not kept); the event still open for continuation lines. Both waits are bounded in time by a processing-time timer (the last event
 * of a quiet source is never stuck) and flushed at the end of a bounded input by an event-time
 * timer at the end of time, which is what fires when a file or test input is exhausted.
 */
public class ParseSourceLines extends KeyedProcessFunction<String, LogLine, LogRecord> {
    private static final long END_OF_INPUT = Long.MAX_VALUE - 1;
    /**
     * How long a text line waits for continuation lines while its source has only ever sent whole
     * events in one request: the lines of a request arrive together, so only the last line of a
     * request can be waiting at all, and this covers a request split over several Kafka records.
     */
    static final long QUICK_FLUSH_MS = 200;
    /** Stands in for "an event was open" to ask whether a line would have continued one. */
    private static final LogRecord ANY_EVENT = new LogRecord();

    /**
     * Parsers kept on the heap per subtask, least recently used out first (as {@code MineTemplates}
     * keeps its miners). A parser is its source's format, which is in keyed state, plus the counts
     * of its re-learn watch (at most 32 sample lines); an evicted source gets its parser rebuilt
     * from the format on its next line, with the watch restarted, exactly as after a restore.
     */
    static final int HEAP_PARSERS = 4_096;

    private final long learnWaitMs;
    private final long multilineFlushMs;
    private final int heapParsers;
    /** A bounded input (files): the end of input flushes; no timer cuts an event or a learning wait short. */
    private final boolean boundedInput;

    private transient ValueState<String> formatState;
    /** When each heap parser's state was last read (processing time, ms), for the state TTL. */
    private transient Map<String, Long> touchedAt;
    /** How often a source on the heap touches its learned state (well inside the 90-day TTL). */
    static final long TOUCH_EVERY_MS = 24L * 3600 * 1000;

    private transient ListState<LogLine> learningLines;
    private transient ValueState<Integer> learningCount;
    private transient ValueState<LogRecord> openEvent;
    private transient ValueState<Long> lastLineAt;
    private transient ValueState<Long> flushTimer;
    /** True once the source has sent an event's continuation lines after the event was flushed or in a later request. */
    private transient ValueState<Boolean> splitsEvents;
    /** Receive time of the request that brought the open event's last line. */
    private transient ValueState<Long> openReceivedAt;
    /** Event time of the last event flushed for lack of more lines (what a late continuation belongs to). */
    private transient ValueState<Long> lastFlushedTs;
    /** The {@code parser_hint} the format was last set from (null: none seen). */
    private transient ValueState<String> hintState;
    /** Partial chunks of a container runtime's line, per stream, waiting for the chunk that ends it. */
    private transient MapState<String, PartialLine> partialLines;

    private transient RecordParser recordParser;
    /** Parsers of recently active keys of this subtask, at most {@link #heapParsers}; the format is also in state. */
    private transient Map<String, SourceParser> parsers;

    /**
     * @param learnWaitMs      how long (processing time) a new source's first lines wait for the
     *                         {@link SourceParser#LEARN_LINES} its format is learned from
     * @param multilineFlushMs how long an open event waits for continuation lines once its source
     *                         has split events over requests
     */
    public ParseSourceLines(long learnWaitMs, long multilineFlushMs) {
        this(learnWaitMs, multilineFlushMs, HEAP_PARSERS, false);
    }

    /** With {@code settings}; for a bounded input no line or event waits by the clock (see {@link ParseSettings#bounded()}). */
    public ParseSourceLines(ParseSettings settings) {
        this(
                settings.learnWait().toMillis(),
                settings.multilineFlush().toMillis(),
                HEAP_PARSERS,
                settings.boundedInput());
    }

    /** As above, with at most {@code heapParsers} parsers on the heap (tests use a small cache). */
    ParseSourceLines(long learnWaitMs, long multilineFlushMs, int heapParsers) {
        this(learnWaitMs, multilineFlushMs, heapParsers, false);
    }

    private ParseSourceLines(long learnWaitMs, long multilineFlushMs, int heapParsers, boolean boundedInput) {
        if (heapParsers < 1) {
            throw new IllegalArgumentException("heapParsers must be at least 1, was " + heapParsers);
        }
        this.learnWaitMs = learnWaitMs;
        this.multilineFlushMs = multilineFlushMs;
        this.heapParsers = heapParsers;
        this.boundedInput = boundedInput;
    }

    @Override
    public void open(OpenContext openContext) {
        touchedAt = new java.util.HashMap<>();
        formatState = getRuntimeContext()
                .getState(dev.logai.flink.runtime.StateTtl.learned(new ValueStateDescriptor<>("format", String.class)));
        learningLines = getRuntimeContext()
                .getListState(dev.logai.flink.runtime.StateTtl.learned(
                        new ListStateDescriptor<>("learning-lines", LogLine.class)));
        learningCount = getRuntimeContext()
                .getState(dev.logai.flink.runtime.StateTtl.learned(
                        new ValueStateDescriptor<>("learning-count", Integer.class)));
        openEvent = getRuntimeContext()
                .getState(dev.logai.flink.runtime.StateTtl.learned(
                        new ValueStateDescriptor<>("open-event", LogRecord.class)));
        lastLineAt = getRuntimeContext()
                .getState(dev.logai.flink.runtime.StateTtl.learned(
                        new ValueStateDescriptor<>("last-line-at", Long.class)));
        flushTimer = getRuntimeContext()
                .getState(dev.logai.flink.runtime.StateTtl.learned(
                        new ValueStateDescriptor<>("flush-timer", Long.class)));
        splitsEvents = getRuntimeContext()
                .getState(dev.logai.flink.runtime.StateTtl.learned(
                        new ValueStateDescriptor<>("splits-events", Boolean.class)));
        openReceivedAt = getRuntimeContext()
                .getState(dev.logai.flink.runtime.StateTtl.learned(
                        new ValueStateDescriptor<>("open-received-at", Long.class)));
        lastFlushedTs = getRuntimeContext()
                .getState(dev.logai.flink.runtime.StateTtl.learned(
                        new ValueStateDescriptor<>("last-flushed-ts", Long.class)));
        hintState = getRuntimeContext()
                .getState(dev.logai.flink.runtime.StateTtl.learned(
                        new ValueStateDescriptor<>("parser-hint", String.class)));
        partialLines = getRuntimeContext()
                .getMapState(dev.logai.flink.runtime.StateTtl.learned(
                        new MapStateDescriptor<>("partial-lines", String.class, PartialLine.class)));
        recordParser = new RecordParser();
        int cap = heapParsers;
        parsers = new LinkedHashMap<>(Math.min(cap, 1_024) * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, SourceParser> eldest) {
                return size() > cap;
            }
        };
    }

    @Override
    public void processElement(LogLine line, Context ctx, Collector<LogRecord> out) throws Exception {
        SourceParser parser = parser(ctx.getCurrentKey());
        if (line.parserHint != null && !line.parserHint.equals(hintState.value())) {
            useHint(parser, line.parserHint, ctx, out);
        }
        if (!parser.learned()) {
            learningLines.add(line);
            int count = learningCount.value() == null ? 1 : learningCount.value() + 1;
            learningCount.update(count);
            if (count == 1) {
                if (!boundedInput) {
                    ctx.timerService()
                            .registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + learnWaitMs);
                }
                ctx.timerService().registerEventTimeTimer(END_OF_INPUT);
            }
            if (count >= SourceParser.LEARN_LINES) {
                learnAndFlush(parser, ctx, out);
            }
            return;
        }
        handle(parser, line, ctx, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<LogRecord> out) throws Exception {
        SourceParser parser = parser(ctx.getCurrentKey());
        if (!parser.learned() && learningCount.value() != null) {
            learnAndFlush(parser, ctx, out);
        }
        if (timestamp == END_OF_INPUT) {
            flushPartialLines(parser, ctx, out);
            LogRecord open = openEvent.value();
            if (open != null) out.collect(open);
            openEvent.clear();
            flushTimer.clear();
            return;
        }
        if (timestamp != flushTimerValue()) {
            return; // the learning timer, or a flush timer already superseded
        }
        flushTimer.clear();
        long last = lastLineAt.value() == null ? Long.MIN_VALUE : lastLineAt.value();
        long now = ctx.timerService().currentProcessingTime();
        long hold = hold();
        if (now - last >= hold) {
            // a line cut by its runtime whose last chunk never came: it is as complete as it gets
            flushPartialLines(parser, ctx, out);
        }
        LogRecord open = openEvent.value();
        if (open == null && partialLines.isEmpty()) return;
        if (open != null && now - last >= hold) {
            out.collect(open);
            lastFlushedTs.update(open.ts);
            openEvent.clear();
        } else if (now - last < hold) {
            long next = last + hold;
            ctx.timerService().registerProcessingTimeTimer(next);
            flushTimer.update(next);
        }
    }

    private long flushTimerValue() throws Exception {
        Long t = flushTimer.value();
        return t == null ? Long.MIN_VALUE : t;
    }

    /**
     * A source's {@code parser_hint}, new or changed: the format it names replaces the detected
     * one (lines waiting for detection are parsed with it). A hint asking for detection, or one
     * that does not compile (the API refuses those; this guards older rows), leaves detection on.
     */
    private void useHint(SourceParser parser, String hint, Context ctx, Collector<LogRecord> out) throws Exception {
        hintState.update(hint);
        SourceFormat hinted;
        try {
            hinted = SourceFormat.fromHint(hint);
        } catch (IllegalArgumentException e) {
            return;
        }
        if (hinted == null) return;
        parser.use(hinted);
        formatState.update(hinted.encode());
        if (learningCount.value() != null) {
            List<LogLine> waiting = new ArrayList<>();
            learningLines.get().forEach(waiting::add);
            learningLines.clear();
            learningCount.clear();
            for (LogLine l : waiting) handle(parser, l, ctx, out);
        }
    }

    private void learnAndFlush(SourceParser parser, Context ctx, Collector<LogRecord> out) throws Exception {
        List<LogLine> waiting = new ArrayList<>();
        learningLines.get().forEach(waiting::add);
        List<String> sample = new ArrayList<>(waiting.size());
        long reference = ctx.timerService().currentProcessingTime();
        int[] ignoredFlags = {0};
        for (LogLine l : waiting) {
            sample.add(LineText.decode(l.raw, ignoredFlags));
            reference = l.receivedAt;
        }
        parser.learn(sample, reference);
        formatState.update(parser.format().encode());
        learningLines.clear();
        learningCount.clear();
        for (LogLine l : waiting) {
            handle(parser, l, ctx, out);
        }
    }

    private void handle(SourceParser parser, LogLine line, Context ctx, Collector<LogRecord> out) throws Exception {
        SourceParser.Line read = parser.read(line);
        if (read.runtime != null) {
            PartialLine waiting = partialLines.get(read.stream);
            if (read.partial) {
                PartialLine joined = PartialLine.append(waiting, read);
                joined.orgId = line.orgId;
                joined.sourceId = line.sourceId;
                joined.receivedAt = line.receivedAt;
                partialLines.put(read.stream, joined);
                armFlushTimer(ctx);
                return;
            }
            if (waiting != null) {
                partialLines.remove(read.stream);
                waiting.complete(read);
            }
        }
        handleRead(parser, line, read, ctx, out);
    }

    /** Parses the chunks of lines whose final chunk never came, each as the line it is. */
    private void flushPartialLines(SourceParser parser, Context ctx, Collector<LogRecord> out) throws Exception {
        if (partialLines.isEmpty()) return;
        List<Map.Entry<String, PartialLine>> waiting = new ArrayList<>();
        partialLines.entries().forEach(waiting::add);
        partialLines.clear();
        for (Map.Entry<String, PartialLine> e : waiting) {
            PartialLine p = e.getValue();
            SourceParser.Line read = p.asLine(e.getKey());
            handleRead(parser, LogLine.ofText(p.orgId, p.sourceId, p.receivedAt, read.text), read, ctx, out);
        }
    }

    private void armFlushTimer(Context ctx) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        lastLineAt.update(now);
        if (flushTimer.value() == null) {
            long at = now + hold();
            ctx.timerService().registerProcessingTimeTimer(at);
            ctx.timerService().registerEventTimeTimer(END_OF_INPUT);
            flushTimer.update(at);
        }
    }

    private void handleRead(
            SourceParser parser, LogLine line, SourceParser.Line read, Context ctx, Collector<LogRecord> out)
            throws Exception {
        SourceFormat before = parser.format();
        LogRecord record = parser.parse(line, read);
        if (parser.format() != before) {
            formatState.update(parser.format().encode());
        }
        LogRecord open = openEvent.value();
        if (Continuations.continues(open, record.raw, record, parser.format())) {
            if (!Boolean.TRUE.equals(splitsEvents.value())
                    && !Long.valueOf(line.receivedAt).equals(openReceivedAt.value())) {
                splitsEvents.update(true); // continued in a later request: wait the full hold from now on
            }
            MultilineJoiner.append(open, record);
            openEvent.update(open);
            openReceivedAt.update(line.receivedAt);
            lastLineAt.update(ctx.timerService().currentProcessingTime());
            return;
        }
        if (open == null
                && !Continuations.isWholeEvent(record)
                && Continuations.continues(ANY_EVENT, record.raw, record, parser.format())) {
            // The rest of an event already flushed: it arrived after the hold. It stays a separate
            // event, at its event's time (not the receive time, which could be hours ahead of
            // the data and move event time past every other line), and the source gets the full hold.
            splitsEvents.update(true);
            Long eventTs = lastFlushedTs.value();
            if (!record.tsFromLine && eventTs != null) {
                record.ts = eventTs;
            }
        }
        if (open != null) {
            out.collect(open);
        }
        if (Continuations.isWholeEvent(record)) {
            openEvent.clear();
            out.collect(record);
            return;
        }
        openEvent.update(record);
        openReceivedAt.update(line.receivedAt);
        armFlushTimer(ctx);
    }

    /** How long the open event waits for more lines: short until the source has split an event over requests. */
    private long hold() throws Exception {
        if (boundedInput) return Long.MAX_VALUE / 4; // never reached: the end of input flushes first
        return Boolean.TRUE.equals(splitsEvents.value())
                ? multilineFlushMs
                : Math.min(QUICK_FLUSH_MS, multilineFlushMs);
    }

    /** Parsers on the heap now (for tests of the bound). */
    int heapParserCount() {
        return parsers.size();
    }

    private SourceParser parser(String key) throws Exception {
        SourceParser parser = parsers.get(key);
        if (parser == null) {
            String encoded = formatState.value();
            parser = new SourceParser(recordParser, encoded == null ? null : SourceFormat.decode(encoded));
            parsers.put(key, parser);
            touchedAt.put(key, System.currentTimeMillis());
        } else if (System.currentTimeMillis() - touchedAt.getOrDefault(key, 0L) > TOUCH_EVERY_MS) {
            // The parser lives on the heap, so its state is not read per line: reading it once a
            // day keeps the format's time-to-live running from the source's last line.
            formatState.value();
            touchedAt.put(key, System.currentTimeMillis());
        }
        return parser;
    }
}
