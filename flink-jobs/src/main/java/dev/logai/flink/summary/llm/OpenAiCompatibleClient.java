package dev.logai.flink.summary.llm;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.output.TokenUsage;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Any OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, Ollama, LiteLLM, ...) through
 * langchain4j's OpenAI client. JSON output is requested ({@code response_format: json_object}),
 * temperature 0 so a repeated prompt gives a repeatable answer, and langchain4j's own retries are
 * off: the summarizer retries with jitter within its deadline.
 */
public final class OpenAiCompatibleClient implements LlmClient {
    private final OpenAiChatModel model;
    private final String modelName;

    public OpenAiCompatibleClient(String baseUrl, String apiKey, String modelName, Duration requestTimeout) {
        this.modelName = modelName;
        this.model = OpenAiChatModel.builder()
                .httpClientBuilder(new StatusHttpClient.Builder())
                .baseUrl(baseUrl)
                .apiKey(apiKey == null || apiKey.isEmpty() ? "none" : apiKey)
                .modelName(modelName)
                .temperature(0.0)
                .maxTokens(800)
                .responseFormat("json_object")
                .timeout(requestTimeout)
                .maxRetries(0)
                .build();
    }

    @Override
    public String model() {
        return modelName;
    }

    @Override
    public Reply chat(List<Message> messages) throws LlmException {
        List<ChatMessage> chat = new ArrayList<>();
        for (Message m : messages) {
            chat.add(
                    switch (m.role()) {
                        case "system" -> SystemMessage.from(m.text());
                        case "assistant" -> AiMessage.from(m.text());
                        default -> UserMessage.from(m.text());
                    });
        }
        ChatResponse response;
        try {
            response = model.chat(ChatRequest.builder().messages(chat).build());
        } catch (RuntimeException e) {
            throw classify(e);
        }
        TokenUsage usage = response.tokenUsage();
        String text = response.aiMessage() == null ? null : response.aiMessage().text();
        return new Reply(
                text,
                usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount(),
                usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount(),
                response.modelName() == null ? modelName : response.modelName());
    }

    /** Finds the HTTP status, Retry-After or I/O failure under langchain4j's exception mapping. */
    static LlmException classify(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StatusHttpClient.StatusException s) {
                int status = s.statusCode();
                boolean retriable = status == 408 || status == 409 || status == 429 || status >= 500;
                return new LlmException("LLM endpoint answered HTTP " + status, status, retriable, s.retryAfter, e);
            }
            if (t instanceof HttpTimeoutException) {
                return new LlmException("LLM endpoint did not answer in time", 0, true, null, t);
            }
            if (t instanceof UncheckedIOException || t instanceof java.io.IOException) {
                return new LlmException("LLM endpoint unreachable: " + t.getMessage(), 0, true, null, t);
            }
        }
        // Anything else (an unreadable response body, for example) is worth one more try.
        return new LlmException("LLM call failed: " + e.getMessage(), 0, true, null, e);
    }
}
