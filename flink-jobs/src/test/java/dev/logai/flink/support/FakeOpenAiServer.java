package dev.logai.flink.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.logai.flink.summary.Tokens;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A local stand-in for OpenAI: real HTTP on 127.0.0.1, the real {@code POST /v1/chat/completions}
 * request and response JSON (choices, message, usage with token counts from the same tokenizer),
 * bearer-key check. What it answers is scripted per "lane": a lane is chosen from each request
 * (by default one lane for all; tests may pick the lane from the prompt, e.g. its source), and
 * each lane plays its queued behaviours, then repeats its last one.
 */
public final class FakeOpenAiServer implements AutoCloseable {
    public static final String API_KEY = "sk-test-fake-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to do with one request. */
    public sealed interface Behaviour permits Answer, Status, Hang {}

    /** 200 with this assistant message content (valid summary JSON, or anything else). */
    public record Answer(String content) implements Behaviour {}

    /** An error status with an OpenAI-style error body, and a Retry-After header if not null. */
    public record Status(int code, Integer retryAfterSeconds) implements Behaviour {}

    /** No answer for this long (the client is expected to give up first). */
    public record Hang(Duration duration) implements Behaviour {}

    /** One request as received. */
    public record Received(String lane, String model, List<JsonNode> messages, String body, long atNanos) {
        /** All message contents, joined: what left the job. */
        public String text() {
            StringBuilder sb = new StringBuilder();
            messages.forEach(m -> sb.append(m.path("content").asText()).append('\n'));
            return sb.toString();
        }
    }

    public static final String VALID_ANSWER = """
            {"title": "Payment gateway timeouts after deploy", "severity": "high",
             "bullets": ["Error rate rose sharply", "Errors come from service api", "Started right after a deploy"],
             "evidence": ["PaymentGatewayTimeoutException: upstream timed out"],
             "next_steps": ["Roll back the deploy", "Check the payment gateway's health"]}""";

    private final HttpServer server;
    private final Map<String, Deque<Behaviour>> lanes = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Function<String, String> laneOf = prompt -> "default";

    public FakeOpenAiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-openai");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** Base URL as LOGAI_LLM_BASE_URL takes it. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Chooses each request's lane from its user prompt. */
    public FakeOpenAiServer lanes(Function<String, String> laneOfPrompt) {
        this.laneOf = laneOfPrompt;
        return this;
    }

    /** Queues behaviours for a lane; the last one repeats once the queue is played. */
    public FakeOpenAiServer script(String lane, Behaviour... behaviours) {
        lanes.put(lane, new ArrayDeque<>(List.of(behaviours)));
        return this;
    }

    public FakeOpenAiServer script(Behaviour... behaviours) {
        return script("default", behaviours);
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    public List<Received> received(String lane) {
        return received.stream().filter(r -> r.lane().equals(lane)).toList();
    }

    private Behaviour next(String lane) {
        Deque<Behaviour> queue = lanes.computeIfAbsent(lane, k -> new ArrayDeque<>(List.of(new Answer(VALID_ANSWER))));
        synchronized (queue) {
            return queue.size() > 1 ? queue.poll() : queue.peek();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!("Bearer " + API_KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, error("Incorrect API key provided", "invalid_request_error"), null);
                return;
            }
            JsonNode request;
            try {
                request = JSON.readTree(body);
            } catch (IOException e) {
                send(
                        exchange,
                        400,
                        error("We could not parse the JSON body of your request.", "invalid_request_error"),
                        null);
                return;
            }
            List<JsonNode> messages = new ArrayList<>();
            request.path("messages").forEach(messages::add);
            String userPrompt = messages.stream()
                    .filter(m -> m.path("role").asText().equals("user"))
                    .map(m -> m.path("content").asText())
                    .findFirst()
                    .orElse("");
            String lane = laneOf.apply(userPrompt);
            String model = request.path("model").asText();
            received.add(new Received(lane, model, messages, body, System.nanoTime()));
            Behaviour b = next(lane);
            if (b instanceof Hang h) {
                try {
                    Thread.sleep(h.duration().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return; // closing without an answer
            }
            if (b instanceof Status s) {
                send(
                        exchange,
                        s.code(),
                        error(
                                s.code() == 429 ? "Rate limit reached" : "The server had an error",
                                s.code() == 429 ? "rate_limit_exceeded" : "server_error"),
                        s.retryAfterSeconds());
                return;
            }
            String content = ((Answer) b).content();
            int promptTokens = messages.stream()
                    .mapToInt(m -> Tokens.count(m.path("content").asText()) + 4)
                    .sum();
            int completionTokens = Tokens.count(content);
            ObjectNode response = JSON.createObjectNode();
            response.put("id", "chatcmpl-" + received.size());
            response.put("object", "chat.completion");
            response.put("created", System.currentTimeMillis() / 1000);
            response.put("model", model);
            ObjectNode choice = response.putArray("choices").addObject();
            choice.put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", content);
            choice.put("finish_reason", "stop");
            response.putObject("usage")
                    .put("prompt_tokens", promptTokens)
                    .put("completion_tokens", completionTokens)
                    .put("total_tokens", promptTokens + completionTokens);
            send(exchange, 200, response.toString(), null);
        }
    }

    private static String error(String message, String type) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("error").put("message", message).put("type", type);
        return root.toString();
    }

    private static void send(HttpExchange exchange, int status, String body, Integer retryAfter) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (retryAfter != null) {
            exchange.getResponseHeaders().add("Retry-After", Integer.toString(retryAfter));
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
