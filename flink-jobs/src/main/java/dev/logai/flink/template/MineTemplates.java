package dev.logai.flink.template;

import dev.logai.flink.parse.LogRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Per (org, source): mines each record's template ({@link TemplateMiner}) and stamps the record
 * with the template id, text and whether it is new.
 *
 * <p>The templates live in keyed state (RocksDB in the job, so checkpointed, rescalable, and not
 * bounded by heap): one map entry per template, written only when a template is created, merged
 * away, evicted, or its count reaches a power of two — never per line. The miner itself is a heap
 * cache over that state for the most recently active sources of this subtask; a source pushed out
 * of the cache, or any source after a restore, is rebuilt from state on its next line. Because
 * ids are hashes of template text, a rebuilt miner gives every template the id it had.
 *
 * <p>Side output {@link #MERGES}: one {@link TemplateMerge} per template generalised into
 * another, so counts already written under the old id follow it.
 */
public class MineTemplates extends KeyedProcessFunction<String, LogRecord, LogRecord> {
    /** Sources whose miner stays on the heap per subtask; the rest are rebuilt from state on demand. */
    static final int HEAP_MINERS = 512;

    /** Templates generalised into another, for {@code pattern_merge} and the reports: see {@link TemplateMerge}. */
    public static final OutputTag<TemplateMerge> MERGES = new OutputTag<>("template-merges") {};

    private final TemplateMiner.Limits limits;
    private transient MapState<String, byte[]> templates;
    private transient ValueState<byte[]> meta;
    private transient Map<String, TemplateMiner> miners;
    /** When each heap miner's state was last written in full (processing time, ms), for the state TTL. */
    private transient Map<String, Long> touchedAt;
    /** How often a source on the heap rewrites its learned state (well inside the 90-day TTL). */
    static final long TOUCH_EVERY_MS = 24L * 3600 * 1000;

    public MineTemplates() {
        this(TemplateMiner.Limits.DEFAULT);
    }

    /** linesParsed per format, parseFlags, templatesCreated ({@link dev.logai.flink.runtime.StageMetrics}). */
    private transient dev.logai.flink.runtime.StageMetrics.Lines lineMetrics;

    public MineTemplates(TemplateMiner.Limits limits) {
        this.limits = limits;
    }

    @Override
    public void open(OpenContext openContext) {
        lineMetrics = new dev.logai.flink.runtime.StageMetrics.Lines(
                getRuntimeContext().getMetricGroup());
        templates = getRuntimeContext()
                .getMapState(dev.logai.flink.runtime.StateTtl.learned(new MapStateDescriptor<>(
                        "templates", Types.STRING, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)));
        meta = getRuntimeContext()
                .getState(dev.logai.flink.runtime.StateTtl.learned(new ValueStateDescriptor<>(
                        "miner-meta", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)));
        touchedAt = new java.util.HashMap<>();
        miners = new LinkedHashMap<>(HEAP_MINERS * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, TemplateMiner> eldest) {
                if (size() > HEAP_MINERS) {
                    touchedAt.remove(eldest.getKey());
                    return true;
                }
                return false;
            }
        };
    }

    @Override
    public void processElement(LogRecord record, Context ctx, Collector<LogRecord> out) throws Exception {
        String key = ctx.getCurrentKey();
        TemplateMiner miner = miners.get(key);
        if (miner == null) {
            List<byte[]> stored = new ArrayList<>();
            for (byte[] t : templates.values()) stored.add(t);
            miner = TemplateMiner.restore(limits, stored, meta.value());
            miners.put(key, miner);
            touchedAt.put(key, System.currentTimeMillis());
        } else if (System.currentTimeMillis() - touchedAt.getOrDefault(key, 0L) > TOUCH_EVERY_MS) {
            // The miner lives on the heap and writes a template only when its count doubles: once
            // a day every template and the meta are written again, so the state's time-to-live
            // runs from the source's last line, not from a template's last doubling.
            for (Template t : miner.templates()) templates.put(t.id(), TemplateMiner.encode(t));
            meta.update(miner.encodeMeta());
            touchedAt.put(key, System.currentTimeMillis());
        }
        boolean wasWarm = miner.isWarm();
        TemplateMiner.Match match = miner.match(MiningInput.of(record), record.ts);
        record.templateId = match.template().id();
        record.template = match.template().text();
        record.templateNew = match.isNew();
        if (match.created()) {
            // Its id may have been merged away before (ids are text hashes); it lives on its own now.
            ctx.output(MERGES, TemplateMerge.unmerge(record.orgId, record.sourceId, match.template()));
        }
        if (miner.hasChanges()) {
            for (String id : miner.drainRemoved()) templates.remove(id);
            for (Template t : miner.drainDirty()) templates.put(t.id(), TemplateMiner.encode(t));
            for (Template from : miner.drainMergedAway()) {
                if (from.current().id().equals(from.id())) continue; // merged into a template of the same text
                ctx.output(MERGES, TemplateMerge.of(record.orgId, record.sourceId, from));
            }
        }
        if (miner.isWarm() != wasWarm) meta.update(miner.encodeMeta());
        if (lineMetrics != null) {
            lineMetrics.count(record, match.created());
        }
        out.collect(record);
    }
}
