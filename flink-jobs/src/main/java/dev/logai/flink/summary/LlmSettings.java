package dev.logai.flink.summary;

import dev.logai.common.plan.Plans;
import dev.logai.flink.sink.PostgresSettings;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * How summaries are written: the OpenAI-compatible endpoint (none: extractive only), the async
 * call's bounds and retries, prices and per-plan monthly budgets, and where the cache and usage
 * live ({@code db} null: in memory, for {@code ./logai analyze}).
 */
public record LlmSettings(String baseUrl, String apiKey, String model, Duration requestTimeout, Duration timeout,
        int capacity, int maxAttempts, String prices, Map<String, Double> planBudgets, PostgresSettings db,
        int promptTokens) implements Serializable {

    public LlmSettings {
        if (capacity < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException("LLM capacity and max attempts must be at least 1");
        }
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("The LLM timeout must be at least 1 s");
        }
        PriceTable.parse(prices); // fail at start-up, not at the first summary
        planBudgets = new HashMap<>(planBudgets);
        baseUrl = baseUrl == null || baseUrl.isBlank() ? null : baseUrl.strip();
    }

    public boolean llmConfigured() {
        return baseUrl != null;
    }

    /** What a summary is labelled with: the model, or "extractive" when no LLM is configured. */
    public String effectiveModel() {
        return llmConfigured() ? model : ExtractiveSummarizer.MODEL;
    }

    /** {@code free=1,starter=20,team=200}: USD per month, parsed by {@link Plans#parseAiBudgets}. */
    public static Map<String, Double> parseBudgets(String text) {
        Map<String, Double> out = new HashMap<>();
        Plans.parseAiBudgets(text).forEach((plan, usd) -> out.put(plan, usd.doubleValue()));
        return out;
    }
}
