package dev.logai.flink.summary;

import dev.logai.common.plan.Plans;
import dev.logai.flink.PipelineOptions;
import dev.logai.flink.runtime.JobTracing;
import dev.logai.flink.sink.PostgresSettings;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * How summaries are written: the OpenAI-compatible endpoint (none: extractive only), the async
 * call's bounds and retries, prices and per-plan monthly budgets, and where the cache and usage
 * live ({@code db} null: in memory, for {@code ./logai analyze}), and the second model, if any.
 *
 * @param second the second endpoint for non-urgent work and as the first one's fallback; null: none
 * @param plans the deployment's plan changes ({@code LOGAI_PLANS}); each org's summaries in flight
 *     are capped at its plan's {@code summaries_in_flight}
 */
public record LlmSettings(
        String baseUrl,
        String apiKey,
        String model,
        Duration requestTimeout,
        Duration timeout,
        int capacity,
        int maxAttempts,
        String prices,
        Map<String, Double> planBudgets,
        PostgresSettings db,
        int promptTokens,
        SecondModel second,
        String plans,
        JobTracing.Settings tracing)
        implements Serializable {

    /**
     * A second OpenAI-compatible endpoint (a local vLLM or Ollama, say): it writes the summaries of
     * windows that ended more than {@code olderThan} ago (uploads, backfills), and live ones when the
     * first model fails or the org's budget is spent, before the extractive fallback. Its calls are
     * priced by {@code LOGAI_LLM_PRICES} like the first model's ({@code *} for a model not listed).
     */
    public record SecondModel(String baseUrl, String apiKey, String model, Duration olderThan)
            implements Serializable {}

    /**
     * The LLM settings of a deployment ({@code LOGAI_LLM_*}, {@code LOGAI_AI_BUDGETS}).
     *
     * @param withDatabase cache, budgets and usage in Postgres; otherwise in memory ({@code ./logai analyze})
     */
    public static LlmSettings from(Configuration config, boolean withDatabase) {
        return new LlmSettings(
                config.getOptional(PipelineOptions.LLM_BASE_URL).orElse(null),
                config.get(PipelineOptions.LLM_API_KEY),
                config.get(PipelineOptions.LLM_MODEL),
                config.get(PipelineOptions.LLM_REQUEST_TIMEOUT),
                config.get(PipelineOptions.LLM_TIMEOUT),
                config.get(PipelineOptions.LLM_CAPACITY),
                config.get(PipelineOptions.LLM_MAX_ATTEMPTS),
                config.get(PipelineOptions.LLM_PRICES),
                parseBudgets(config.get(PipelineOptions.AI_BUDGETS)),
                withDatabase ? PostgresSettings.from(config) : null,
                config.get(PipelineOptions.SUMMARY_PROMPT_TOKENS),
                config.getOptional(PipelineOptions.LLM_FALLBACK_BASE_URL)
                        .filter(url -> !url.isBlank())
                        .map(url -> new SecondModel(
                                url.strip(),
                                config.get(PipelineOptions.LLM_FALLBACK_API_KEY),
                                config.get(PipelineOptions.LLM_FALLBACK_MODEL),
                                config.get(PipelineOptions.LLM_FALLBACK_OLDER_THAN)))
                        .orElse(null),
                config.get(PipelineOptions.PLANS),
                JobTracing.Settings.from(config));
    }

    public LlmSettings {
        if (capacity < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException("LLM capacity and max attempts must be at least 1");
        }
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("The LLM timeout must be at least 1 s");
        }
        PriceTable.parse(prices); // fail at start-up, not at the first summary
        planBudgets = new HashMap<>(planBudgets);
        tracing = tracing == null ? JobTracing.Settings.OFF : tracing;
        baseUrl = baseUrl == null || baseUrl.isBlank() ? null : baseUrl.strip();
    }

    public boolean llmConfigured() {
        return baseUrl != null;
    }

    /** What a summary is labelled with: the model, or "extractive" when no LLM is configured. */
    public String effectiveModel() {
        return llmConfigured() ? model : second != null ? second.model() : ExtractiveSummarizer.MODEL;
    }

    /** {@code free=1,starter=20,team=200}: USD per month, parsed by {@link Plans#parseAiBudgets}. */
    public static Map<String, Double> parseBudgets(String text) {
        Map<String, Double> out = new HashMap<>();
        Plans.parseAiBudgets(text).forEach((plan, usd) -> out.put(plan, usd.doubleValue()));
        return out;
    }
}
