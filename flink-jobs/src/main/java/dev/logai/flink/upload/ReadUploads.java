package dev.logai.flink.upload;

import dev.logai.common.contract.LogBatch;
import dev.logai.common.contract.RawLine;
import dev.logai.flink.ingest.DecodedBatch;
import dev.logai.flink.parse.text.TimestampLayouts;
import dev.logai.flink.runtime.StateTtl;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipException;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads registered uploads, keyed by {@code org/source}, one step at a time: each processing-time
 * timer (1 ms after the last step) reads the next {@link UploadSettings#chunkBytes()} of the
 * current upload's lines (to the next line end) and emits them as one batch — the same {@link DecodedBatch} a gateway request
 * becomes — so they take the streamed lines' path (parse, mine, windows, detect, summarise,
 * alert). The task does other work between steps, so a huge upload holds it for one step at a time.
 *
 * <p>Exactly once: the upload's line-stream offset is keyed state updated in the same call that
 * emits the step's batch, so with aligned checkpoints a checkpoint holds exactly the lines emitted
 * before its barrier; a restore re-reads from that offset (plain files with a ranged GET, gzip by
 * re-reading and skipping the decompressed bytes before it). Progress rows ({@link UploadStatus})
 * are idempotent, so writing them again is harmless.
 *
 * <p>Fair shares: within a task, the next step goes to an org that has read the fewest bytes among
 * the orgs reading now ({@link OrgShares}), so an org uploading to many sources at once does not
 * crowd out another org's single upload.
 *
 * <p>An org reads at most its plan's {@code concurrent_uploads} uploads at once per task (free 1,
 * starter 2, team 4; other sources of the org wait, in the order they started), so one tenant's
 * bulk backfill cannot occupy every reading slot.
 *
 * <p>One source reads one upload at a time (more wait in a list, in registration order), so its
 * event-time clock sees each file in order; an upload id is read once (ids seen kept 30 days).
 * Ends: every line read → {@code processed}; corrupt or truncated gzip → {@code failed} with the
 * decompressed offset, the complete lines before it emitted and counted; a NUL byte in the first
 * 64 KiB → {@code failed} as not a text log, nothing emitted; object gone → {@code failed}. Other
 * read errors fail the task, and the job retries from its checkpoint.
 */
public class ReadUploads extends KeyedProcessFunction<String, UploadTask, DecodedBatch> {
    private static final Logger LOG = LoggerFactory.getLogger(ReadUploads.class);
    /** How long an upload id is remembered, so a re-delivered registration is not read again. */
    static final Duration REMEMBER_FOR = Duration.ofDays(30);
    /** Open objects kept between steps per task (more uploads than that are reopened per step). */
    static final int MAX_OPEN = 8;
    /** Lines at each end of a step searched for the step's first and last timestamp. */
    static final int TIME_PROBE_LINES = 16;

    private final UploadSettings settings;

    private transient ValueState<UploadProgress> current;
    private transient ListState<UploadTask> waiting;
    private transient MapState<String, Boolean> seen;
    private transient UploadObjects objects;
    private transient UploadStatus status;
    private transient Map<String, UploadObjects.OpenObject> open;
    private transient TimestampLayouts.Match match;
    private transient OrgShares shares;
    private transient dev.logai.common.plan.PlanCatalog catalog;
    /** Each org's cap of uploads read at once, looked up at most once a minute: org → (cap, expiry ms). */
    private transient Map<String, long[]> caps;

    /** @param settings the object store, the step size, the line limit and the database for progress */
    public ReadUploads(UploadSettings settings) {
        this.settings = settings;
    }

    static MapStateDescriptor<String, Boolean> seenUploads() {
        MapStateDescriptor<String, Boolean> d = new MapStateDescriptor<>("seen-uploads", Types.STRING, Types.BOOLEAN);
        d.enableTimeToLive(StateTtl.forgetAfterWrite(REMEMBER_FOR));
        return d;
    }

    @Override
    public void open(OpenContext ctx) {
        current = getRuntimeContext()
                .getState(new ValueStateDescriptor<>("upload-progress", TypeInformation.of(UploadProgress.class)));
        waiting = getRuntimeContext()
                .getListState(new ListStateDescriptor<>("uploads-waiting", TypeInformation.of(UploadTask.class)));
        seen = getRuntimeContext().getMapState(seenUploads());
        objects = new UploadObjects(settings);
        status = new UploadStatus(settings.db());
        open = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, UploadObjects.OpenObject> eldest) {
                if (size() > MAX_OPEN) {
                    closeQuietly(eldest.getValue());
                    return true;
                }
                return false;
            }
        };
        match = new TimestampLayouts.Match();
        catalog = dev.logai.common.plan.PlanCatalog.parse(settings.plans());
        caps = new java.util.HashMap<>();
        shares = new OrgShares(settings.chunkBytes(), this::concurrentUploads);
    }

    /** The org's plan cap of uploads read at once on this task (cached a minute; 1 while unreadable). */
    private int concurrentUploads(String orgId) {
        long now = System.currentTimeMillis();
        long[] cached = caps.get(orgId);
        if (cached != null && cached[1] > now) {
            return (int) cached[0];
        }
        int cap;
        try {
            cap = status.concurrentUploads(orgId, catalog);
        } catch (java.sql.SQLException e) {
            LOG.warn("Could not read the plan of org {}; reading one upload at a time for a minute", orgId, e);
            cap = 1;
        }
        caps.put(orgId, new long[] {cap, now + 60_000});
        return cap;
    }

    @Override
    public void processElement(UploadTask task, Context ctx, Collector<DecodedBatch> out) throws Exception {
        if (seen.contains(task.uploadId)) {
            LOG.info("Upload {} was registered before; not reading it again", task.uploadId);
            return;
        }
        seen.put(task.uploadId, true);
        if (current.value() == null) {
            start(task, ctx);
        } else {
            waiting.add(task);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DecodedBatch> out) throws Exception {
        UploadProgress p = current.value();
        if (p == null) {
            return;
        }
        String source = ctx.getCurrentKey();
        if (!shares.admitted(p.task.orgId, source)) {
            // The org reads its plan's number of uploads at once; this one waits for one to finish.
            ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + 250);
            return;
        }
        if (!shares.mayStep(p.task.orgId, source)) {
            // Another org has read less: its step first, this one a millisecond later.
            ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + 1);
            return;
        }
        long before = p.offset;
        boolean more = step(p, out);
        shares.stepped(p.task.orgId, Math.max(1, p.offset - before));
        if (more) {
            current.update(p);
            // after a passing failure, wait 1 s, 2 s, 4 s … before the next attempt
            long delay = p.failedReads == 0 ? 1 : 1000L << Math.min(p.failedReads - 1, 6);
            ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + delay);
            return;
        }
        shares.finished(p.task.orgId, source);
        closeQuietly(open.remove(p.task.uploadId));
        current.clear();
        List<UploadTask> next = new ArrayList<>();
        Iterable<UploadTask> queued = waiting.get();
        if (queued != null) queued.forEach(next::add);
        if (next.isEmpty()) {
            return;
        }
        waiting.update(next.subList(1, next.size()));
        start(next.get(0), ctx);
    }

    private void start(UploadTask task, Context ctx) throws Exception {
        current.update(new UploadProgress(task));
        status.started(task);
        LOG.info(
                "Reading upload {} ({} bytes{}) for {}/{}",
                task.uploadId,
                task.size,
                task.gzip ? ", gzip" : "",
                task.orgId,
                task.sourceId);
        ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime());
    }

    /**
     * Reads, emits and records one step of {@code p}'s upload, advancing {@code p}.
     *
     * @return true when the upload has more to read
     */
    boolean step(UploadProgress p, Collector<DecodedBatch> out) throws Exception {
        UploadTask task = p.task;
        UploadObjects.OpenObject object = open.get(task.uploadId);
        if (object == null || object.lines.position() != p.offset) {
            closeQuietly(open.remove(task.uploadId));
            try {
                object = objects.open(task, p.offset, settings.maxLineBytes());
            } catch (UploadObjects.ObjectGoneException | ZipException | EOFException e) {
                status.failed(p, "The uploaded object can no longer be read: " + e.getMessage(), p.offset);
                return false;
            } catch (IOException | software.amazon.awssdk.core.exception.SdkException e) {
                return retryLater(p, e);
            }
            open.put(task.uploadId, object);
        }
        long start = p.offset;
        List<RawLine> lines = new ArrayList<>();
        long truncated = 0;
        boolean end = false;
        String failure = null;
        try {
            while (object.lines.position() - start < settings.chunkBytes()) {
                RawLine line = object.lines.next();
                if (line == null) {
                    end = true;
                    break;
                }
                if (line.bytes().length == 0) {
                    continue; // blank lines are skipped, as the gateway does
                }
                lines.add(line);
                if (line.truncated()) truncated++;
            }
        } catch (LineStream.BinaryContentException e) {
            lines.clear();
            truncated = 0;
            failure = "The file is not a text log: byte " + e.offset + " of its lines is NUL (a binary file?)."
                    + " Upload a text log file, plain or gzip-compressed.";
        } catch (ZipException | EOFException e) {
            failure = "The gzip data is corrupt or cut short after " + object.lines.position() + " bytes of lines ("
                    + e.getMessage() + "); the " + (p.lines + lines.size()) + " complete lines before it were read."
                    + " Compress the file again (gzip -t checks it) and upload it as a new file.";
        } catch (LineStream.TooLongException e) {
            failure = "The file is not a log LogAi can read: " + e.getMessage() + "; the " + (p.lines + lines.size())
                    + " complete lines before it were read. Split the file into lines (or into smaller files)"
                    + " and upload it as a new file.";
        } catch (IOException | software.amazon.awssdk.core.exception.SdkException e) {
            if (lines.isEmpty()) {
                closeQuietly(open.remove(task.uploadId));
                return retryLater(p, e);
            }
            // the lines read before the failure are emitted below; the next step reopens at their end
            closeQuietly(open.remove(task.uploadId));
            p.failedReads++;
        }
        long stop = object.lines.position();
        Long first = null;
        Long last = null;
        if (!lines.isEmpty()) {
            first = firstTime(lines, task.registeredAt);
            last = lastTime(lines, task.registeredAt);
            out.collect(batch(task, start, lines));
        }
        p.offset = stop;
        if (failure == null && open.containsKey(task.uploadId)) p.failedReads = 0;
        p.objectBytes = end ? task.size : Math.max(p.objectBytes, object.objectBytes());
        p.lines += lines.size();
        p.truncated += truncated;
        if (first != null && (p.tsStart == null || first < p.tsStart)) p.tsStart = first;
        if (last != null && (p.tsEnd == null || last > p.tsEnd)) p.tsEnd = last;
        if (!lines.isEmpty()) {
            status.chunk(p, start, stop - start, lines.size(), first, last);
        }
        if (failure != null) {
            LOG.info("Upload {} failed at offset {}: {}", task.uploadId, stop, failure);
            status.failed(p, failure, stop);
            return false;
        }
        if (end) {
            LOG.info("Upload {} read: {} lines, {} bytes", task.uploadId, p.lines, stop);
            status.processed(p);
            return false;
        }
        return true;
    }

    /** Reads in a row that may fail for a passing reason before the upload is marked failed. */
    static final int MAX_FAILED_READS = 8;

    /** A read failed for a reason that may pass (the network, the store): try again later, or give up. */
    private boolean retryLater(UploadProgress p, Exception e) throws java.sql.SQLException {
        p.failedReads++;
        if (p.failedReads > MAX_FAILED_READS) {
            status.failed(
                    p,
                    "Reading the uploaded object failed " + MAX_FAILED_READS + " times in a row at byte " + p.offset
                            + " of its lines (" + e.getClass().getSimpleName() + "); the " + p.lines
                            + " lines before it were read. Upload the file again as a new file.",
                    p.offset);
            return false;
        }
        LOG.warn(
                "Reading upload {} at {} failed ({}); attempt {} of {}, retrying",
                p.task.uploadId,
                p.offset,
                e.toString(),
                p.failedReads,
                MAX_FAILED_READS);
        return true;
    }

    private static DecodedBatch batch(UploadTask task, long offset, List<RawLine> lines) {
        LogBatch batch = new LogBatch(
                task.orgId,
                task.sourceId,
                task.uploadId + "@" + offset,
                task.registeredAt,
                LogBatch.PayloadFormat.TEXT,
                lines);
        DecodedBatch decoded = new DecodedBatch("upload:" + task.uploadId + "@" + offset, batch);
        decoded.parserHint = task.parserHint;
        decoded.uploadId = task.uploadId;
        return decoded;
    }

    private Long firstTime(List<RawLine> lines, long reference) {
        for (int i = 0; i < Math.min(TIME_PROBE_LINES, lines.size()); i++) {
            Long t = leadingTime(lines.get(i), reference);
            if (t != null) return t;
        }
        return null;
    }

    private Long lastTime(List<RawLine> lines, long reference) {
        for (int i = lines.size() - 1; i >= Math.max(0, lines.size() - TIME_PROBE_LINES); i--) {
            Long t = leadingTime(lines.get(i), reference);
            if (t != null) return t;
        }
        return null;
    }

    /** The timestamp a line starts with (optionally after '['), or null. */
    private Long leadingTime(RawLine line, long reference) {
        byte[] b = line.bytes();
        String head = new String(b, 0, Math.min(b.length, 64), StandardCharsets.ISO_8859_1);
        int from = head.startsWith("[") ? 1 : 0;
        return TimestampLayouts.matchAny(head, from, reference, match) ? match.epochMillis : null;
    }

    private static void closeQuietly(UploadObjects.OpenObject object) {
        if (object == null) return;
        try {
            object.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("Closing an upload's object failed: {}", e.toString());
        }
    }

    @Override
    public void close() throws Exception {
        if (open != null) {
            for (Iterator<UploadObjects.OpenObject> it = open.values().iterator(); it.hasNext(); ) {
                closeQuietly(it.next());
                it.remove();
            }
        }
        if (objects != null) objects.close();
        if (status != null) status.close();
    }
}
