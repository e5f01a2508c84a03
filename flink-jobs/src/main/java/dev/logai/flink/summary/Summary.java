package dev.logai.flink.summary;

/**
 * A row of {@code summary}: the seed's fields (severity, title, bullets, llm_model, cost_usd) plus
 * evidence lines, next steps, the incident's time range and how the summary was made. An
 * {@link #extendOnly} summary carries no content: it moves an existing summary's end forward.
 */
public class Summary {
    public String id;
    public String orgId;
    public String sourceId;
    public long windowStart;
    public long windowEnd;
    /** The incident's interesting windows so far (with anomalies or errors); its span can hold more. */
    public int windows = 1;

    public String trigger;
    public boolean extendOnly;
    /** info, low, medium, high or critical. */
    public String severity;

    public String title;
    public String[] bullets = new String[0];
    public String[] evidence = new String[0];
    public String[] nextSteps = new String[0];
    /** The model that wrote it, or {@code extractive}. */
    public String llmModel;

    public double costUsd;
    public int tokensIn;
    public int tokensOut;
    public boolean cacheHit;
    /** Input tokens of the prompt as built (what a model call costs at least); 0 for an extension. Not stored. */
    public int promptTokens;

    public String promptVersion = "";
    /** SHA-256 of the scrubbed prompt (the cache key). */
    public String promptHash = "";
    /** Written by the extractive summarizer instead of the LLM. */
    public boolean partial;
    /** Why the extractive summarizer wrote it: no_llm, budget, llm_unavailable, invalid_answer, timeout. */
    public String fallbackReason = "";
    /**
     * Why {@link #llmModel} wrote it: {@code primary}; {@code second: non_urgent} (old data),
     * {@code second: budget} or {@code second: <the first model's failure>} for the second model;
     * {@code extractive} (see {@link #fallbackReason}); {@code cache} for a cached answer.
     */
    public String modelReason = "";

    public Summary() {}

    @Override
    public String toString() {
        return "Summary{" + orgId + "/" + sourceId + " " + id
                + (extendOnly
                        ? " extend to " + windowEnd
                        : " [" + severity + "] " + title + " model=" + llmModel + " partial=" + partial + " cache="
                                + cacheHit + " cost=" + costUsd)
                + "}";
    }
}
