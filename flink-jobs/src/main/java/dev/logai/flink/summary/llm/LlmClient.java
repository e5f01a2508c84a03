package dev.logai.flink.summary.llm;

import java.util.List;

/** A chat-completion model. Implementations are thread-safe; one call, no retries (the caller retries). */
public interface LlmClient extends AutoCloseable {
    /** The messages of one request: system prompt, then alternating user and assistant turns. */
    record Message(String role, String text) {}

    record Reply(String text, int tokensIn, int tokensOut, String model) {}

    Reply chat(List<Message> messages) throws LlmException;

    String model();

    @Override
    default void close() {}
}
