package dev.logai.flink.summary;

import dev.logai.flink.runtime.JobTracing;
import dev.logai.flink.summary.llm.LlmClient;
import dev.logai.flink.summary.llm.OpenAiCompatibleClient;
import dev.logai.flink.summary.llm.TracedLlmClient;
import dev.logai.flink.summary.store.MemorySummaryStore;
import dev.logai.flink.summary.store.PostgresSummaryStore;
import dev.logai.flink.summary.store.SummaryStore;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The async I/O stage: each request is summarized on a small thread pool (as many threads as the
 * operator's capacity), so slow model calls overlap instead of blocking the task. Used with
 * {@code AsyncDataStream.unorderedWait}: summaries of different windows need no order. Whatever
 * happens, exactly one summary comes out — an exception or a call past the operator's timeout
 * yields the extractive fallback ({@link #timeout}), so an LLM problem never fails or restarts
 * the job.
 *
 * <p>Fair sharing (seed spec §10): the pool serves orgs in turn, each with at most its plan's
 * {@code summaries_in_flight} running ({@link OrgFairDispatch}), so one tenant's burst of incidents
 * cannot take every model call from the others.
 */
public class SummarizeWindows extends RichAsyncFunction<SummaryRequest, Summary> {
    private static final Logger LOG = LoggerFactory.getLogger(SummarizeWindows.class);
    /** The summarizer stops retrying this long before the operator's timeout. */
    static final long DEADLINE_MARGIN_MS = 1_000;
    /** Requests the async operator holds per summarizing thread: the rest wait in the fair dispatch. */
    public static final int QUEUED_PER_THREAD = 8;

    private final LlmSettings settings;
    private transient Summarizer summarizer;
    /** The spans of each summary and its LLM calls, continuing the window's request traces. */
    private transient Tracer tracer;

    private transient ExecutorService pool;
    /** Requests being summarized (by identity), so a timeout can interrupt its call. */
    private transient Map<SummaryRequest, Future<?>> inFlight;

    private transient OrgFairDispatch dispatch;
    /** Each org's cap of summaries in flight, looked up at most once a minute: org → (cap, expiry ms). */
    private transient Map<String, long[]> caps;

    private transient SummaryStore store;

    public SummarizeWindows(LlmSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext ctx) {
        tracer = JobTracing.tracer(settings.tracing());
        JobTracing.closeOnRelease(this);
        LlmClient client = settings.llmConfigured()
                ? new TracedLlmClient(
                        new OpenAiCompatibleClient(
                                settings.baseUrl(), settings.apiKey(), settings.model(), settings.requestTimeout()),
                        tracer,
                        settings.baseUrl())
                : null;
        SummaryStore store = settings.db() == null
                ? new MemorySummaryStore(settings.planBudgets().getOrDefault("local", Double.MAX_VALUE))
                : new PostgresSummaryStore(settings.db(), settings.planBudgets(), settings.capacity())
                        .withPlans(settings.plans());
        this.store = store;
        LlmSettings.SecondModel second = settings.second();
        LlmClient secondClient = second == null
                ? null
                : new TracedLlmClient(
                        new OpenAiCompatibleClient(
                                second.baseUrl(), second.apiKey(), second.model(), settings.requestTimeout()),
                        tracer,
                        second.baseUrl());
        summarizer = new Summarizer(settings, client, secondClient, store);
        inFlight = Collections.synchronizedMap(new IdentityHashMap<>());
        pool = Executors.newFixedThreadPool(settings.capacity(), r -> {
            Thread t = new Thread(r, "logai-summarizer");
            t.setDaemon(true);
            return t;
        });
        caps = new java.util.concurrent.ConcurrentHashMap<>();
        dispatch = new OrgFairDispatch(pool, settings.capacity(), this::knownCap);
    }

    /** The last cap read for the org, without I/O (the dispatcher asks under its lock). */
    private int knownCap(String orgId) {
        long[] cached = caps.get(orgId);
        return cached == null ? settings.capacity() : (int) cached[0];
    }

    /** The org's plan cap of summaries in flight (cached a minute; the whole capacity if unknown). */
    private int capOf(String orgId) {
        long now = System.currentTimeMillis();
        long[] cached = caps.get(orgId);
        if (cached != null && cached[1] > now) {
            return (int) cached[0];
        }
        int cap;
        try {
            cap = (int) Math.min(Integer.MAX_VALUE, store.summariesInFlight(orgId));
        } catch (Exception e) {
            LOG.warn("Could not read the plan of org {}; no cap on its summaries for a minute", orgId, e);
            cap = settings.capacity();
        }
        caps.put(orgId, new long[] {cap, now + 60_000});
        return cap;
    }

    @Override
    public void asyncInvoke(SummaryRequest request, ResultFuture<Summary> result) {
        long deadline = System.nanoTime()
                + TimeUnit.MILLISECONDS.toNanos(Math.max(0, settings.timeout().toMillis() - DEADLINE_MARGIN_MS));
        FutureTask<Void> work = new FutureTask<>(
                () -> {
                    Summary summary;
                    Span span = JobTracing.start(tracer, "summarize", SpanKind.INTERNAL, traceParentsOf(request));
                    span.setAttribute("logai.org_id", request.orgId);
                    span.setAttribute("logai.source_id", request.sourceId);
                    span.setAttribute("logai.summary.id", request.id);
                    try (Scope ignored = span.makeCurrent()) {
                        summary = summarizer.summarize(request, deadline);
                    } catch (RuntimeException e) {
                        LOG.warn("Summarizing {} failed; storing the extractive summary", request.id, e);
                        span.setStatus(StatusCode.ERROR);
                        summary = summarizer.fallback(request, "error");
                    } finally {
                        inFlight.remove(request);
                        span.end();
                    }
                    result.complete(List.of(summary)); // ignored by Flink if the timeout completed it first
                },
                null);
        inFlight.put(request, work); // before it runs, so its own removal cannot come first
        capOf(request.orgId); // looked up here, on the task's thread, not under the dispatcher's lock
        dispatch.submit(request.orgId, work);
    }

    /** The request traces of the summarized window, most telling first (none for an old request without them). */
    private static String[] traceParentsOf(SummaryRequest request) {
        return request.metrics == null || request.metrics.traceParents == null
                ? new String[0]
                : request.metrics.traceParents;
    }

    /**
     * Past the operator's timeout (a hung endpoint): the extractive summary, never a job failure.
     * The call is interrupted so a hung connection does not hold a summarizing thread.
     */
    @Override
    public void timeout(SummaryRequest request, ResultFuture<Summary> result) {
        LOG.warn("Summarizing {} took longer than {}; storing the extractive summary", request.id, settings.timeout());
        // Complete first: the interrupted call would otherwise race to complete with its own error.
        result.complete(List.of(summarizer.fallback(request, "timeout")));
        Future<?> work = inFlight.remove(request);
        if (work != null) {
            work.cancel(true);
        }
        if (request.refresh) {
            pool.execute(() -> summarizer.recordFallback(request.orgId));
        }
    }

    @Override
    public void close() throws Exception {
        if (pool != null) {
            pool.shutdownNow();
        }
        if (summarizer != null) {
            summarizer.close();
        }
    }
}
