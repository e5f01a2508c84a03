package dev.logai.flink.summary;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * USD per million input and output tokens, per model: {@code gpt-4.1-mini=0.40/1.60,*=0/0}. A model
 * is matched exactly, then by the longest configured prefix ({@code gpt-4.1-mini-2025-04-14} costs
 * what {@code gpt-4.1-mini} costs), then by {@code *}. Self-hosted models (vLLM, Ollama) cost what
 * the operator says they cost, zero by default.
 */
public final class PriceTable implements Serializable {
    /** List prices of common hosted models at the time of writing; operators override them. */
    public static final String DEFAULT = "gpt-4.1-mini=0.40/1.60,gpt-4.1-nano=0.10/0.40,gpt-4.1=2.00/8.00,"
            + "gpt-4o-mini=0.15/0.60,gpt-4o=2.50/10.00,*=0/0";

    public record Price(double inputPerMillion, double outputPerMillion) implements Serializable {}

    private final Map<String, Price> prices;

    private PriceTable(Map<String, Price> prices) {
        this.prices = prices;
    }

    public static PriceTable parse(String text) {
        Map<String, Price> prices = new LinkedHashMap<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) continue;
            int eq = entry.indexOf('=');
            int slash = entry.indexOf('/', eq + 1);
            if (eq <= 0 || slash < 0) {
                throw new IllegalArgumentException(
                        "LLM price '" + entry.trim() + "' is not model=input/output (USD per million tokens)");
            }
            try {
                double in = Double.parseDouble(entry.substring(eq + 1, slash).trim());
                double out = Double.parseDouble(entry.substring(slash + 1).trim());
                if (in < 0 || out < 0) throw new NumberFormatException("negative");
                prices.put(entry.substring(0, eq).trim().toLowerCase(Locale.ROOT), new Price(in, out));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "LLM price '" + entry.trim() + "' has a price that is not a non-negative number");
            }
        }
        return new PriceTable(prices);
    }

    public Price priceOf(String model) {
        String m = model.toLowerCase(Locale.ROOT);
        Price exact = prices.get(m);
        if (exact != null) return exact;
        String best = null;
        for (String k : prices.keySet()) {
            if (!k.equals("*") && m.startsWith(k) && (best == null || k.length() > best.length())) best = k;
        }
        return best != null ? prices.get(best) : prices.getOrDefault("*", new Price(0, 0));
    }

    public double cost(String model, long tokensIn, long tokensOut) {
        Price p = priceOf(model);
        return (tokensIn * p.inputPerMillion() + tokensOut * p.outputPerMillion()) / 1_000_000.0;
    }
}
