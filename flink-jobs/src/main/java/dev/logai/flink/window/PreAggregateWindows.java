package dev.logai.flink.window;

import dev.logai.flink.parse.LogRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Local pre-aggregation ("mini-batch") in front of the window operator: lines are folded into one
 * {@link WindowMetrics} per (org, source, window) in memory, and only those partial aggregates go
 * to the keyed window. The window's state backend (RocksDB) is then touched once per partial, not
 * once per line, which is what keeps per-template, per-service and latency metrics affordable.
 *
 * <p>It needs no state of its own: everything buffered is emitted before each checkpoint barrier
 * ({@link #prepareSnapshotPreBarrier}), so a checkpoint never holds half of it. Partials are also
 * emitted before a watermark that closes one of their windows (so the window sees them in time),
 * every {@code flushIntervalMs} (so early firings stay fresh) and when the bundle is full.
 *
 * <p>Lines whose window is already past the allowed lateness go to {@link LateLines#TAG}, judged by
 * this operator's watermark, which is never behind the window operator's.
 */
public class PreAggregateWindows extends AbstractStreamOperator<WindowMetrics>
        implements OneInputStreamOperator<LogRecord, WindowMetrics>, ProcessingTimeCallback {
    private final long sizeMs;
    private final long allowedLatenessMs;
    private final long flushIntervalMs;
    private final int maxBufferedLines;

    private transient Map<String, WindowMetrics> bundle;
    private transient WindowMetrics last;
    private transient int bufferedLines;
    private transient long earliestBufferedEnd;
    private transient long watermark;

    public PreAggregateWindows(long sizeMs, long allowedLatenessMs, long flushIntervalMs, int maxBufferedLines) {
        this.sizeMs = sizeMs;
        this.allowedLatenessMs = allowedLatenessMs;
        this.flushIntervalMs = flushIntervalMs;
        this.maxBufferedLines = maxBufferedLines;
    }

    @Override
    public void open() throws Exception {
        super.open();
        bundle = new LinkedHashMap<>();
        earliestBufferedEnd = Long.MAX_VALUE;
        watermark = Long.MIN_VALUE;
        if (flushIntervalMs > 0) {
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService().registerTimer(now + flushIntervalMs, this);
        }
    }

    @Override
    public void processElement(StreamRecord<LogRecord> element) {
        LogRecord r = element.getValue();
        long ts = element.hasTimestamp() ? element.getTimestamp() : r.ts;
        long start = TimeWindow.getWindowStartWithOffset(ts, 0, sizeMs);
        long maxTimestamp = start + sizeMs - 1;
        if (maxTimestamp + allowedLatenessMs <= watermark) {
            output.collect(LateLines.TAG, element);
            return;
        }
        WindowMetrics m = last;
        if (m == null || m.windowStart != start || !m.sourceId.equals(r.sourceId) || !m.orgId.equals(r.orgId)) {
            m = bundle.computeIfAbsent(
                    r.orgId + "/" + r.sourceId + "/" + start,
                    k -> WindowMetrics.empty(r.orgId, r.sourceId, start, start + sizeMs));
            last = m;
        }
        m.add(r);
        earliestBufferedEnd = Math.min(earliestBufferedEnd, maxTimestamp);
        if (++bufferedLines >= maxBufferedLines) {
            flush();
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() >= earliestBufferedEnd) {
            flush();
        }
        watermark = Math.max(watermark, mark.getTimestamp());
        super.processWatermark(mark);
    }

    @Override
    public void onProcessingTime(long time) {
        flush();
        getProcessingTimeService().registerTimer(time + flushIntervalMs, this);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flush();
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    private void flush() {
        if (bundle.isEmpty()) {
            return;
        }
        for (WindowMetrics m : bundle.values()) {
            output.collect(new StreamRecord<>(m, m.windowEnd - 1));
        }
        bundle.clear();
        last = null;
        bufferedLines = 0;
        earliestBufferedEnd = Long.MAX_VALUE;
    }
}
