package dev.logai.flink.window;

import dev.logai.flink.parse.LogRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Tumbling event-time windows of {@link WindowMetrics} per (org, source), each source on its own
 * clock: a line is late only against its own source's newest line, never against another source or
 * tenant, so a log file catching up after an outage, a backfill days old, or a source whose clock
 * runs ahead all count in full while live sources go on.
 *
 * <p>Why not Flink's window operator: its event time is one watermark per parallel instance, the
 * minimum over every source that shares it. A source three hours behind would either hold every
 * other source's windows open for three hours, or (as it did) have all its lines dropped as late.
 * Here each source's clock lives in keyed state ({@link SourceWindowState}):
 *
 * <ul>
 *   <li>the source's watermark is its newest event time minus {@code outOfOrderness}; a window whose
 *       end it passed is emitted complete ({@code complete = true}), in time order;
 *   <li>a line of a window that ended more than {@code allowedLateness} before the watermark goes to
 *       {@link LateLines#TAG} (and then the dead-letter topic), and is counted per window on {@link
 *       #LATENESS}; one within the allowed lateness updates its complete window, which is emitted
 *       again (complete) at the next flush;
 *   <li>every {@code flushInterval} of processing time, open windows that changed are emitted with
 *       their running totals ({@code complete = false}); a flush interval of 0 emits only complete
 *       windows (bounded runs);
 *   <li>a source that sent nothing for {@code idleness} moves its watermark on with the wall clock,
 *       so its newest window completes at most {@code max(idleness, size + outOfOrderness)} after
 *       its last line;
 *   <li>the end of the input (a bounded run) completes every window.
 * </ul>
 *
 * <p>Input: {@link LogRecord}s keyed by {@code org/source} ({@link OrgSourceKey}), their event time
 * in {@link LogRecord#ts}. A line without a timestamp of its own ({@link LogRecord#tsFromLine}
 * false, so {@code ts} is its receive time) takes the time of its source's last timestamped line,
 * if that came within {@code idleness}; a source that never writes timestamps runs on receive time. Output: window totals, any number of updates per window, the last one
 * complete; per source, complete windows come in time order. Emits no watermarks (there is no
 * global event time downstream), only the end-of-input one.
 *
 * <p>Cost: lines are folded into windows on the heap; keyed state (RocksDB in the job) is written
 * once per changed source per checkpoint, before the barrier, never per line. Sources with windows
 * stay on the heap; sources whose windows are all forgotten leave it beyond {@link #HEAP_SOURCES}
 * and are read back on their next line. A source's clock is forgotten {@code clockTtl} after it was
 * last written (state TTL), so a source that went quiet costs nothing after that; a line it sends
 * later starts a new clock.
 */
public class SourceWindows extends AbstractStreamOperator<WindowMetrics>
        implements OneInputStreamOperator<LogRecord, WindowMetrics>, ProcessingTimeCallback {
    /** Running late-line totals per window, for {@code window_stats.late_lines}. */
    public static final OutputTag<WindowLateness> LATENESS = new OutputTag<>("window-lateness") {};

    /** Idle sources (no windows) kept on the heap per subtask beyond those with windows. */
    static final int HEAP_SOURCES = 4_096;
    /** Windows per source whose late lines are counted; the oldest counts are dropped beyond. */
    static final int MAX_LATE_WINDOWS = 256;

    private final long sizeMs;
    private final long outOfOrdernessMs;
    private final long allowedLatenessMs;
    private final long flushIntervalMs;
    private final long idlenessMs;
    private final long clockTtlMs;

    private transient ValueState<SourceWindowState> state;
    /**
     * Copies a source's heap state into keyed state: the heap copy goes on changing, and a heap
     * state backend would otherwise snapshot an object that is being mutated.
     */
    private transient TypeSerializer<SourceWindowState> copier;
    /** Sources on the heap, least recently active first. */
    private transient LinkedHashMap<String, Source> heap;

    private transient Source last;
    private transient long timerIntervalMs;

    /**
     * @param sizeMs window length
     * @param outOfOrdernessMs how far behind its source's newest line a line may be and still be on time
     * @param allowedLatenessMs how long after completing a window still takes updates
     * @param flushIntervalMs how often changed open windows are emitted (0: never, bounded runs)
     * @param idlenessMs after this long without lines a source's clock moves on with the wall clock
     * @param clockTtlMs how long a source's clock is kept after its last change
     */
    public SourceWindows(
            long sizeMs,
            long outOfOrdernessMs,
            long allowedLatenessMs,
            long flushIntervalMs,
            long idlenessMs,
            long clockTtlMs) {
        if (sizeMs <= 0 || outOfOrdernessMs < 0 || allowedLatenessMs < 0 || flushIntervalMs < 0 || idlenessMs <= 0) {
            throw new IllegalArgumentException(
                    "window size and idleness must be positive, the other durations not negative");
        }
        this.sizeMs = sizeMs;
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.allowedLatenessMs = allowedLatenessMs;
        this.flushIntervalMs = flushIntervalMs;
        this.idlenessMs = idlenessMs;
        this.clockTtlMs = clockTtlMs;
    }

    /** One source on the heap: its state, and what changed since the last flush and the last checkpoint. */
    private static final class Source {
        final String key;
        final SourceWindowState s;
        long lastLineAtMs;
        /** The event time of the source's last line that carried its own timestamp, and when it came. */
        boolean sawOwnTimestamp;

        long lastOwnTimestamp;
        long lastOwnTimestampAtMs;
        boolean dirty;
        /**
         * The watermark from which {@link #advance} has work (a window to complete or forget);
         * below it, moving the watermark is one comparison. {@code Long.MIN_VALUE}: not known yet.
         */
        long nextEventAt = Long.MIN_VALUE;
        /** The window the last line went to, and whether it is already among the changed ones. */
        WindowMetrics hotWindow;

        long hotStart;
        boolean hotChanged;
        final List<Long> changed = new ArrayList<>();
        final List<Long> lateChanged = new ArrayList<>();

        Source(String key, SourceWindowState s, long now) {
            this.key = key;
            this.s = s;
            this.lastLineAtMs = now;
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        ValueStateDescriptor<SourceWindowState> d =
                new ValueStateDescriptor<>("source-windows", SourceWindowState.class);
        if (clockTtlMs > 0) {
            d.enableTimeToLive(StateTtlConfig.newBuilder(java.time.Duration.ofMillis(clockTtlMs))
                    .build());
        }
        state = getPartitionedState(d);
        copier = TypeInformation.of(SourceWindowState.class)
                .createSerializer(getExecutionConfig().getSerializerConfig());
        heap = new LinkedHashMap<>(64, 0.75f, true);
        long now = getProcessingTimeService().getCurrentProcessingTime();
        // After a restore, sources with windows come back onto the heap, so quiet ones still complete.
        List<Object> keys;
        try (Stream<Object> stored = getKeyedStateBackend().getKeys("source-windows", VoidNamespace.INSTANCE)) {
            keys = stored.toList();
        }
        for (Object key : keys) {
            setCurrentKey(key);
            SourceWindowState s = state.value();
            if (s != null && !s.idle()) {
                heap.put((String) key, new Source((String) key, s, now));
            }
        }
        timerIntervalMs = Math.max(100, Math.min(idlenessMs, flushIntervalMs > 0 ? flushIntervalMs : idlenessMs) / 2);
        getProcessingTimeService().registerTimer(now + timerIntervalMs, this);
    }

    @Override
    public void processElement(StreamRecord<LogRecord> element) throws Exception {
        LogRecord r = element.getValue();
        Source src = last;
        if (src == null || !src.key.equals(getCurrentKey())) {
            src = load((String) getCurrentKey());
            last = src;
        }
        long now = getProcessingTimeService().getCurrentProcessingTime();
        if (r.tsFromLine) {
            src.sawOwnTimestamp = true;
            src.lastOwnTimestamp = r.ts;
            src.lastOwnTimestampAtMs = now;
        } else if (src.sawOwnTimestamp && now - src.lastOwnTimestampAtMs <= idlenessMs) {
            // A line without a timestamp of its own (a banner, a bare message) amid timestamped ones
            // belongs to their timeline, as log shippers treat it: with its receive time it would
            // push a backfill's clock to now and make the rest of the backfill late.
            r.ts = src.lastOwnTimestamp;
        }
        long start = Math.floorDiv(r.ts, sizeMs) * sizeMs;
        long end = start + sizeMs;
        SourceWindowState s = src.s;
        src.dirty = true;
        if (s.watermark != SourceWindowState.NONE && end - 1 + allowedLatenessMs <= s.watermark) {
            output.collect(LateLines.TAG, new StreamRecord<>(r));
            s.lateLines.merge(start, 1L, Long::sum);
            if (!src.lateChanged.contains(start)) src.lateChanged.add(start);
            if (s.lateLines.size() > MAX_LATE_WINDOWS) {
                s.lateLines.remove(Collections.min(s.lateLines.keySet()));
            }
            return;
        }
        WindowMetrics w;
        if (src.hotWindow != null && src.hotStart == start) {
            w = src.hotWindow; // most lines go to the window of the line before: no lookup
        } else {
            w = s.windows.get(start);
            if (w == null) {
                w = WindowMetrics.empty(r.orgId, r.sourceId, start, end);
                // Behind the watermark but within the allowed lateness: complete from its first line.
                w.complete = end - 1 <= s.watermark;
                s.windows.put(start, w);
                src.nextEventAt = Math.min(src.nextEventAt, w.complete ? end - 1 + allowedLatenessMs : end - 1);
            }
            src.hotWindow = w;
            src.hotStart = start;
            src.hotChanged = false;
        }
        w.add(r);
        if (!src.hotChanged) {
            if (!src.changed.contains(start)) src.changed.add(start);
            src.hotChanged = true;
        }
        src.lastLineAtMs = now;
        if (r.ts > s.newestEventTime) {
            s.newestEventTime = r.ts;
            advance(src, r.ts - outOfOrdernessMs, false);
        }
        // A complete window that changed (a line within the allowed lateness) is emitted again,
        // complete, at the next flush.
    }

    /** The source's state: from the heap, else from keyed state (the current key), else new. */
    private Source load(String key) throws Exception {
        Source src = heap.get(key);
        if (src == null) {
            SourceWindowState s = state.value();
            src = new Source(
                    key,
                    s == null ? new SourceWindowState() : s,
                    getProcessingTimeService().getCurrentProcessingTime());
            heap.put(key, src);
            evictIdleSources();
        }
        return src;
    }

    /** Moves the source's watermark to {@code to} (never back): completes and forgets windows. */
    /**
     * Moves the source's clock to {@code to}, completing the windows it passed. {@code quiet}: the
     * clock moves because no line came (idleness, or the end of a bounded input), so the window
     * holding the newest line may simply be where the data stopped: it is marked {@code endOfData}.
     */
    private void advance(Source src, long to, boolean quiet) {
        SourceWindowState s = src.s;
        if (to <= s.watermark) {
            return;
        }
        s.watermark = to;
        src.dirty = true;
        if (to < src.nextEventAt) {
            return;
        }
        List<Long> starts = new ArrayList<>(s.windows.keySet());
        Collections.sort(starts);
        long next = Long.MAX_VALUE;
        for (long start : starts) {
            WindowMetrics w = s.windows.get(start);
            if (w.windowEnd - 1 > to) {
                next = Math.min(next, w.windowEnd - 1);
                break;
            }
            if (!w.complete) {
                w.complete = true;
                w.endOfData = quiet && w.windowEnd - 1 >= s.newestEventTime;
                src.changed.remove(start);
                if (src.hotWindow == w) {
                    src.hotChanged = false; // a later line in it is an update, to be emitted again
                }
                output.collect(new StreamRecord<>(w.emitted(true)));
            }
            if (w.windowEnd - 1 + allowedLatenessMs <= to) {
                if (src.changed.remove(start)) {
                    output.collect(new StreamRecord<>(w.emitted(true))); // its last late update
                }
                s.windows.remove(start);
                if (src.hotWindow == w) {
                    src.hotWindow = null;
                }
            } else {
                next = Math.min(next, w.windowEnd - 1 + allowedLatenessMs);
            }
        }
        src.nextEventAt = next;
    }

    /** Periodic: moves quiet sources' clocks on, emits what changed. */
    @Override
    public void onProcessingTime(long time) throws Exception {
        for (Source src : new ArrayList<>(heap.values())) {
            SourceWindowState s = src.s;
            if (!s.windows.isEmpty()
                    && time - src.lastLineAtMs >= idlenessMs
                    && s.newestEventTime != SourceWindowState.NONE) {
                advance(src, s.newestEventTime - outOfOrdernessMs + (time - src.lastLineAtMs), true);
            }
        }
        if (flushIntervalMs > 0) {
            flushChanged();
        }
        evictIdleSources();
        getProcessingTimeService().registerTimer(time + timerIntervalMs, this);
    }

    /** Emits every changed window (running totals, or a complete window's update) and late-line totals. */
    private void flushChanged() {
        for (Source src : heap.values()) {
            if (!src.changed.isEmpty()) {
                Collections.sort(src.changed);
                for (long start : src.changed) {
                    WindowMetrics w = src.s.windows.get(start);
                    if (w != null) {
                        output.collect(new StreamRecord<>(w.emitted(w.complete)));
                    }
                }
                src.changed.clear();
                src.hotChanged = false;
            }
            for (long start : src.lateChanged) {
                Long n = src.s.lateLines.get(start);
                if (n != null) {
                    String[] orgSource = src.key.split("/", 2);
                    output.collect(
                            LATENESS,
                            new StreamRecord<>(
                                    new WindowLateness(orgSource[0], orgSource[1], start, start + sizeMs, n)));
                }
            }
            src.lateChanged.clear();
        }
    }

    /** Beyond {@link #HEAP_SOURCES}, sources without windows leave the heap (their state is written first). */
    private void evictIdleSources() throws Exception {
        if (heap.size() <= HEAP_SOURCES) {
            return;
        }
        Object current = getCurrentKey();
        Iterator<Source> it = heap.values().iterator();
        while (heap.size() > HEAP_SOURCES && it.hasNext()) {
            Source src = it.next();
            if (src.s.idle() && src.changed.isEmpty() && src.lateChanged.isEmpty() && src != last) {
                if (src.dirty) {
                    setCurrentKey(src.key);
                    state.update(copier.copy(src.s));
                }
                it.remove();
            }
        }
        if (current != null) {
            setCurrentKey(current);
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        // What was emitted and what is in state must agree at the barrier: pending changes go out
        // before it, and snapshotState then writes the state they came from.
        flushChanged();
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        // Every changed source's state into keyed state, just before the keyed state is snapshotted:
        // the only place (besides leaving the heap) where keyed state is written.
        Object current = getCurrentKey();
        for (Source src : heap.values()) {
            if (src.dirty) {
                setCurrentKey(src.key);
                state.update(copier.copy(src.s));
                src.dirty = false;
            }
        }
        if (current != null) {
            setCurrentKey(current);
        }
        super.snapshotState(context);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        // Only the end of the input means anything here: there is no shared event time upstream.
        if (mark.getTimestamp() == Long.MAX_VALUE) {
            for (Source src : heap.values()) {
                advance(src, Long.MAX_VALUE - allowedLatenessMs - 1, true);
            }
            flushChanged();
            super.processWatermark(mark);
        }
    }

    @Override
    public void finish() throws Exception {
        flushChanged();
        super.finish();
    }

    /** The sources on this subtask's heap (tests). */
    int sourcesOnHeap() {
        return heap.size();
    }

    /** Shorthand for tests: a source's state as it is on the heap, or null. */
    SourceWindowState heapState(String key) {
        Source src = heap.get(key);
        return src == null ? null : src.s;
    }

    /** A source's state as stored in keyed state, or null (tests). */
    SourceWindowState storedClock(String key) throws Exception {
        Object current = getCurrentKey();
        setCurrentKey(key);
        SourceWindowState s = state.value();
        if (current != null) {
            setCurrentKey(current);
        }
        return s;
    }
}
