package dev.logai.flink.summary;

import dev.logai.flink.summary.llm.LlmClient;
import dev.logai.flink.summary.llm.LlmClient.Message;
import dev.logai.flink.summary.llm.LlmClient.Reply;
import dev.logai.flink.summary.llm.LlmException;
import dev.logai.flink.summary.store.SummaryStore;
import dev.logai.flink.summary.store.SummaryStore.CachedAnswer;
import dev.logai.flink.summary.store.SummaryStore.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one summary, never failing: scrubbed prompt → cache (per org, shared if the org opted
 * in) → budget → the model, with bounded, jittered retries that honour Retry-After and stay within
 * the deadline → validated JSON, one repair request → stored answer and usage. Whatever goes wrong
 * (no LLM configured, budget spent, LLM down, answer unusable, database unreachable) ends in the
 * extractive summary, marked partial with the reason.
 */
public final class Summarizer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Summarizer.class);
    static final long BACKOFF_BASE_MS = 500;
    static final long BACKOFF_CAP_MS = 10_000;
    /** Output tokens assumed when estimating whether a call fits the budget. */
    static final int ESTIMATED_OUTPUT_TOKENS = 600;

    private final LlmSettings settings;
    private final LlmClient client;
    private final LlmClient second;
    private final SummaryStore store;
    private final PriceTable prices;

    /** {@code client} null: no LLM configured, every summary is extractive. */
    public Summarizer(LlmSettings settings, LlmClient client, SummaryStore store) {
        this(settings, client, null, store);
    }

    /**
     * With the second model of {@link LlmSettings#second()} ({@code second} null: none); {@code
     * client} null: only the second model, then the extractive summary.
     */
    public Summarizer(LlmSettings settings, LlmClient client, LlmClient second, SummaryStore store) {
        this.settings = settings;
        this.client = client;
        this.second = second;
        this.store = store;
        this.prices = PriceTable.parse(settings.prices());
    }

    /**
     * The summary for {@code r}; gives up on a model at {@code deadlineNanos} (System.nanoTime).
     * Which model: windows that ended more than the second model's {@code olderThan} ago (uploads,
     * backfills) go to the second model first, then the first; live windows go to the first model
     * (within the org's budget), then — when it fails or the budget is spent — to the second; the
     * extractive summary comes last. {@link Summary#modelReason} records which and why.
     */
    public Summary summarize(SummaryRequest r, long deadlineNanos) {
        if (!r.refresh) {
            return extension(r);
        }
        SummaryPrompt.Built prompt = SummaryPrompt.build(r, settings.effectiveModel(), settings.promptTokens());
        if (client == null && second == null) {
            return extractive(r, prompt, "no_llm", 0, 0, 0);
        }
        SummaryStore.Budget budget;
        try {
            budget = store.budget(r.orgId);
            Optional<CachedAnswer> hit = store.cached(r.orgId, prompt.hash(), budget.sharedCache());
            if (hit.isPresent()) {
                SummaryAnswer.Parsed cached = SummaryAnswer.parse(hit.get().answerJson());
                if (cached.valid()) {
                    store.record(r.orgId, new Usage(0, 1, 0, 0, 0, 0));
                    Summary s = fromAnswer(r, prompt, cached.answer(), hit.get().model(), 0, 0, 0);
                    s.cacheHit = true;
                    s.modelReason = "cache";
                    return s;
                }
            }
        } catch (Exception e) {
            LOG.warn("Summary store unavailable for org {}; writing an extractive summary: {}", r.orgId, e.toString());
            return extractive(r, prompt, "store_unavailable", 0, 0, 0);
        }
        Spent spent = new Spent();
        boolean nonUrgent = second != null
                && r.windowEnd
                        < System.currentTimeMillis()
                                - settings.second().olderThan().toMillis();
        String failure = null;
        if (nonUrgent) {
            Summary s = ask(second, r, prompt, budget, deadlineNanos, spent);
            if (s != null) {
                s.modelReason = "second: non_urgent";
                return s;
            }
            failure = "second model: " + spent.failure;
        }
        if (client != null) {
            double estimate = prices.cost(client.model(), prompt.tokens(), ESTIMATED_OUTPUT_TOKENS);
            if (!budget.allows(estimate)) {
                failure = failure == null ? "budget" : failure + "; budget";
            } else {
                Summary s = ask(client, r, prompt, budget, deadlineNanos, spent);
                if (s != null) {
                    s.modelReason = nonUrgent ? "primary: " + failure : "primary";
                    return s;
                }
                failure = failure == null ? spent.failure : failure + "; " + spent.failure;
            }
        } else if (failure == null) {
            failure = "no_llm";
        }
        if (second != null && !nonUrgent) {
            Summary s = ask(second, r, prompt, budget, deadlineNanos, spent);
            if (s != null) {
                s.modelReason = "second: " + failure;
                return s;
            }
            failure = failure + "; second model: " + spent.failure;
        }
        recordQuietly(r.orgId, new Usage(0, 0, 1, 0, 0, 0));
        Summary s = extractive(r, prompt, failure, spent.tokensIn, spent.tokensOut, spent.cost);
        return s;
    }

    /** What the model calls of one summary cost so far, and why the last one failed. */
    private static final class Spent {
        int tokensIn;
        int tokensOut;
        double cost;
        String failure;
    }

    /**
     * One model's summary: calls with retries, validated JSON, one repair request; the answer cached
     * and the calls' usage recorded. Null when the model gave no usable answer ({@code spent.failure}
     * says why); {@code spent} accumulates tokens and cost either way.
     */
    private Summary ask(
            LlmClient model,
            SummaryRequest r,
            SummaryPrompt.Built prompt,
            SummaryStore.Budget budget,
            long deadlineNanos,
            Spent spent) {
        List<Message> messages =
                new ArrayList<>(List.of(new Message("system", prompt.system()), new Message("user", prompt.user())));
        int calls = 0;
        int tokensIn = 0;
        int tokensOut = 0;
        String name = model.model();
        Summary result = null;
        while (true) {
            Reply reply;
            try {
                reply = callWithRetries(model, messages, deadlineNanos);
            } catch (LlmException e) {
                spent.failure = "llm_unavailable: " + e.reason();
                break;
            }
            calls++;
            name = reply.model();
            tokensIn += reply.tokensIn() > 0 ? reply.tokensIn() : estimateTokens(messages);
            tokensOut += reply.tokensOut() > 0 ? reply.tokensOut() : Tokens.count(reply.text());
            SummaryAnswer.Parsed parsed = SummaryAnswer.parse(reply.text());
            if (parsed.valid()) {
                try {
                    store.remember(
                            r.orgId,
                            prompt.hash(),
                            new CachedAnswer(
                                    parsed.answer().toJson(), name, SummaryPrompt.VERSION, tokensIn, tokensOut),
                            budget.sharedCache());
                } catch (Exception e) {
                    LOG.warn("Could not cache a summary of org {}: {}", r.orgId, e.toString());
                }
                double cost = prices.cost(model.model(), tokensIn, tokensOut);
                result = fromAnswer(
                        r,
                        prompt,
                        parsed.answer(),
                        name,
                        spent.tokensIn + tokensIn,
                        spent.tokensOut + tokensOut,
                        spent.cost + cost);
                break;
            }
            if (calls >= 2) {
                spent.failure = "invalid_answer: " + parsed.problem();
                break;
            }
            // One repair request: the model sees its answer and what is wrong with it.
            messages.add(new Message("assistant", reply.text() == null ? "" : reply.text()));
            messages.add(new Message(
                    "user",
                    "That reply cannot be used: " + parsed.problem()
                            + ". Reply again with only the JSON object described in the instructions."));
        }
        double cost = prices.cost(model.model(), tokensIn, tokensOut);
        spent.tokensIn += tokensIn;
        spent.tokensOut += tokensOut;
        spent.cost += cost;
        if (calls > 0) {
            recordQuietly(r.orgId, new Usage(calls, 0, 0, tokensIn, tokensOut, cost));
        }
        return result;
    }

    /**
     * One model answer, retrying 429s, 5xx, timeouts and broken connections up to the configured
     * attempts with full-jitter exponential backoff, or as long as Retry-After asks; never waits past
     * the deadline.
     */
    Reply callWithRetries(LlmClient model, List<Message> messages, long deadlineNanos) throws LlmException {
        for (int attempt = 1; ; attempt++) {
            try {
                return model.chat(messages);
            } catch (LlmException e) {
                if (!e.retriable() || attempt >= settings.maxAttempts()) {
                    throw e;
                }
                long backoff = ThreadLocalRandom.current()
                        .nextLong(Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS << (attempt - 1)) + 1);
                long waitMs = e.retryAfter() == null
                        ? backoff
                        : e.retryAfter().toMillis()
                                + ThreadLocalRandom.current().nextLong(250);
                if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs) >= deadlineNanos) {
                    throw e; // the answer would come too late to matter
                }
                LOG.debug(
                        "LLM call failed ({}), attempt {} of {}, retrying in {} ms",
                        e.reason(),
                        attempt,
                        settings.maxAttempts(),
                        waitMs);
                try {
                    Thread.sleep(waitMs);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** The extractive summary for {@code r}, as the fallback after {@code reason}; never calls the LLM. */
    public Summary fallback(SummaryRequest r, String reason) {
        if (!r.refresh) {
            return extension(r);
        }
        return extractive(
                r, SummaryPrompt.build(r, settings.effectiveModel(), settings.promptTokens()), reason, 0, 0, 0);
    }

    private Summary extractive(
            SummaryRequest r, SummaryPrompt.Built prompt, String reason, int tokensIn, int tokensOut, double cost) {
        Summary s = fromAnswer(
                r,
                prompt,
                ExtractiveSummarizer.summarize(r, prompt),
                ExtractiveSummarizer.MODEL,
                tokensIn,
                tokensOut,
                cost);
        s.partial = true;
        s.fallbackReason = reason;
        s.modelReason = "extractive";
        return s;
    }

    /** Counts a fallback decided outside {@link #summarize} (the async operator's timeout). */
    public void recordFallback(String orgId) {
        recordQuietly(orgId, new Usage(0, 0, 1, 0, 0, 0));
    }

    private static int estimateTokens(List<Message> messages) {
        return messages.stream()
                .mapToInt(m -> Tokens.count(m.text()) + SummaryPrompt.MESSAGE_OVERHEAD_TOKENS)
                .sum();
    }

    private void recordQuietly(String orgId, Usage usage) {
        try {
            store.record(orgId, usage);
        } catch (Exception e) {
            LOG.warn("Could not record AI usage of org {}: {}", orgId, e.toString());
        }
    }

    static Summary extension(SummaryRequest r) {
        Summary s = base(r);
        s.extendOnly = true;
        return s;
    }

    private static Summary base(SummaryRequest r) {
        Summary s = new Summary();
        s.id = r.id;
        s.orgId = r.orgId;
        s.sourceId = r.sourceId;
        s.windowStart = r.incidentStart;
        s.windowEnd = r.windowEnd;
        s.windows = r.windows;
        s.trigger = r.trigger;
        return s;
    }

    private static Summary fromAnswer(
            SummaryRequest r,
            SummaryPrompt.Built prompt,
            SummaryAnswer a,
            String model,
            int tokensIn,
            int tokensOut,
            double cost) {
        Summary s = base(r);
        s.severity = a.severity();
        s.title = a.title();
        s.bullets = a.bullets().toArray(String[]::new);
        s.evidence = a.evidence().toArray(String[]::new);
        s.nextSteps = a.nextSteps().toArray(String[]::new);
        s.llmModel = model;
        s.tokensIn = tokensIn;
        s.tokensOut = tokensOut;
        s.costUsd = cost;
        s.promptVersion = SummaryPrompt.VERSION;
        s.promptHash = prompt.hash();
        s.promptTokens = prompt.tokens();
        return s;
    }

    @Override
    public void close() throws Exception {
        if (client != null) {
            client.close();
        }
        if (second != null) {
            second.close();
        }
        store.close();
    }
}
