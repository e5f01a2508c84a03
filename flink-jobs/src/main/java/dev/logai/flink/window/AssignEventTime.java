package dev.logai.flink.window;

import dev.logai.flink.parse.LogRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Sets each record's event time and emits watermarks: bounded out-of-orderness that keeps moving
 * when the input goes quiet, and that survives restarts.
 *
 * <p>Why not a {@code WatermarkStrategy}: log streams are bursty. A source may send a few lines and
 * stop; with plain event-time watermarks its newest window stays open until it speaks again, and
 * Flink's idleness only stops a quiet input from counting, which can leave every input idle and no
 * watermark at all. And a watermark generator has no state: after a restore in which all input had
 * already been read, event time would restart from nothing and restored windows would never
 * complete. So this operator:
 *
 * <ul>
 *   <li>emits {@code newest event time - outOfOrderness} every watermark interval;
 *   <li>once no line arrived for {@code quietAfter}, advances that watermark with the wall clock, so
 *       the newest window of a quiet source completes about {@code size + outOfOrderness + quietAfter}
 *       after its last line;
 *   <li>checkpoints the newest event time per subtask (split list state: at the same parallelism
 *       each subtask gets its own value back; after a rescale a subtask takes the minimum of the
 *       values it receives, so no partition's lines become late, and one that receives none waits
 *       for lines). Union state would be wrong here: it hands every subtask every value, and an
 *       input that never sees a line would then hold the watermark at another input's old time;
 *   <li>marks an input that never saw a line idle, so it holds nobody back.
 * </ul>
 */
public class AssignEventTime extends AbstractStreamOperator<LogRecord>
        implements OneInputStreamOperator<LogRecord, LogRecord>, ProcessingTimeCallback {
    private static final long NONE = Long.MIN_VALUE;

    private final long outOfOrdernessMs;
    private final long quietAfterMs;
    private final long emitIntervalMs;

    private transient ListState<Long> newestEventTimeState;
    private transient long newestEventTime;
    private transient long eventsSeen;
    private transient long eventsAtLastCheck;
    private transient long lastActivityMs;
    private transient long startedMs;
    private transient long lastWatermark;
    private transient boolean idle;

    public AssignEventTime(long outOfOrdernessMs, long quietAfterMs, long emitIntervalMs) {
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.quietAfterMs = quietAfterMs;
        this.emitIntervalMs = emitIntervalMs;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        newestEventTimeState = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("newest-event-time", Types.LONG));
        newestEventTime = NONE;
        if (context.isRestored()) {
            long restored = Long.MAX_VALUE;
            for (Long value : newestEventTimeState.get()) {
                restored = Math.min(restored, value);
            }
            newestEventTime = restored == Long.MAX_VALUE ? NONE : restored;
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        startedMs = getProcessingTimeService().getCurrentProcessingTime();
        lastActivityMs = startedMs;
        lastWatermark = NONE;
        eventsAtLastCheck = -1;
        getProcessingTimeService().registerTimer(startedMs + emitIntervalMs, this);
    }

    @Override
    public void processElement(StreamRecord<LogRecord> element) {
        long ts = element.getValue().ts;
        eventsSeen++;
        if (ts > newestEventTime) {
            newestEventTime = ts;
        }
        output.collect(element.replace(element.getValue(), ts));
    }

    @Override
    public void onProcessingTime(long now) {
        if (eventsSeen != eventsAtLastCheck) {
            eventsAtLastCheck = eventsSeen;
            lastActivityMs = now;
        }
        if (newestEventTime == NONE) {
            if (!idle && now - startedMs > quietAfterMs) {
                idle = true;
                output.emitWatermarkStatus(WatermarkStatus.IDLE);
            }
        } else {
            long quietFor = now - lastActivityMs;
            long wallClockProgress = quietFor > quietAfterMs ? quietFor - quietAfterMs : 0;
            long watermark = newestEventTime - outOfOrdernessMs - 1 + wallClockProgress;
            if (watermark > lastWatermark) {
                if (idle) {
                    idle = false;
                    output.emitWatermarkStatus(WatermarkStatus.ACTIVE);
                }
                lastWatermark = watermark;
                output.emitWatermark(new Watermark(watermark));
            }
        }
        getProcessingTimeService().registerTimer(now + emitIntervalMs, this);
    }

    @Override
    public void processWatermark(Watermark mark) {
        // Upstream has no event time; only the end-of-input watermark of a bounded run passes on.
        if (mark.getTimestamp() == Long.MAX_VALUE) {
            output.emitWatermark(mark);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        List<Long> value = new ArrayList<>(1);
        if (newestEventTime != NONE) {
            value.add(newestEventTime);
        }
        newestEventTimeState.update(value);
    }
}
