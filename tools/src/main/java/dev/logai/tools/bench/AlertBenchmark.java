package dev.logai.tools.bench;

import com.sun.net.httpserver.HttpServer;
import dev.logai.flink.LogPipelineJob;
import dev.logai.flink.PipelineOptions;
import dev.logai.localstack.EmbeddedS3;
import dev.logai.localstack.LocalStack;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;

/**
 * {@code ./logai bench alerts [--rounds N]}: how long after the gateway accepted the lines an
 * alert reaches a webhook, through the real path — gateway, Kafka, the job on a local Flink,
 * Postgres claim, HTTP delivery — on a local stack started for the run.
 *
 * <p>Window rule: {@code error_count > 0} over 1-minute windows. Each round posts one error line
 * into a fresh minute (the "first incident line"), then a line past that minute plus the
 * out-of-orderness (2 s here), which lets event time pass the window's end ("window close"); the
 * alert is sent when the closed window is judged. The next round's clean minute resolves it.
 * Figures: from the first incident line's acceptance, and from the window close, to the webhook's
 * receipt; p50/p99.
 *
 * <p>Per-line rule: {@code {"pattern": {"contains": "disk quota exceeded"}}}. Each round first
 * posts one WARN line with that text (another length each round, so another template, so its own
 * alert); figure: from its acceptance to the webhook's receipt.
 */
public final class AlertBenchmark {
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private AlertBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rounds = 20;
        String multilineFlush = "2s";
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--rounds") && i + 1 < args.length) {
                rounds = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--multiline-flush") && i + 1 < args.length) {
                multilineFlush = args[++i];
            } else {
                System.err.println("usage: ./logai bench alerts [--rounds N] [--multiline-flush 2s]");
                System.exit(2);
            }
        }
        Path dir = BenchDirectory.create("logai-bench-alerts");
        System.out.println("alerts benchmark: local stack, gateway, query API and the job on a local Flink; " + rounds
                + " rounds after one warm-up round, rule error_count > 0 over 1m windows, out-of-orderness 2 s,"
                + " multi-line hold 200 ms until a source splits an event over requests, then " + multilineFlush);
        try (Webhooks webhooks = Webhooks.start();
                Deployment deployment = Deployment.start(dir, multilineFlush)) {
            deployment.createRule("{\"name\": \"bench\", \"condition\": {\"metric\": \"error_count\", \"op\": \">\","
                    + " \"threshold\": 0, \"window\": \"1m\", \"resolve_after\": 1}, \"channels\": {\"webhook\": [\""
                    + webhooks.url("/hook") + "\"]}}");
            deployment.createRule("{\"name\": \"bench lines\", \"condition\": {\"pattern\": {\"contains\":"
                    + " \"disk quota exceeded\"}}, \"channels\": {\"webhook\": [\"" + webhooks.url("/line-hook")
                    + "\"]}}");
            runRounds(deployment, webhooks, rounds).print(rounds);
        }
        System.out.flush();
        // Flink's shutdown hooks would run after its classes are gone; everything is closed already.
        Runtime.getRuntime().halt(0);
    }

    /** The webhook receiver: when each firing window alert and each per-line alert arrived (System.nanoTime()). */
    private record Webhooks(
            HttpServer server, LinkedBlockingQueue<Long> windowAlerts, LinkedBlockingQueue<Long> lineAlerts)
            implements AutoCloseable {
        static Webhooks start() throws Exception {
            Webhooks w = new Webhooks(
                    HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0),
                    new LinkedBlockingQueue<>(),
                    new LinkedBlockingQueue<>());
            w.server.createContext("/hook", exchange -> {
                long now = System.nanoTime();
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
                if (body.contains("\"status\":\"firing\"")) {
                    w.windowAlerts.add(now);
                }
            });
            w.server.createContext("/line-hook", exchange -> {
                long now = System.nanoTime();
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
                w.lineAlerts.add(now);
            });
            w.server.start();
            return w;
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** The local stack, the gateway and query API from their jars, and the job on a local Flink. */
    private record Deployment(
            LocalStack stack,
            List<Process> services,
            JobClient job,
            LocalStack.Tenant tenant,
            String gateway,
            String api,
            HttpClient http)
            implements AutoCloseable {
        static Deployment start(Path dir, String multilineFlush) throws Exception {
            LocalStack stack = LocalStack.start(
                    dir.resolve("stack"),
                    LocalStack.Ports.any(),
                    "bench-app-password",
                    LocalStack.randomPassword(),
                    true);
            List<Process> services = new ArrayList<>();
            try {
                LocalStack.Tenant tenant = stack.createTenant("bench", "checkout");
                Map<String, String> env = new HashMap<>();
                env.put("LOGAI_KAFKA_BOOTSTRAP", stack.kafka.bootstrapServers());
                env.put("LOGAI_DB_URL", stack.postgres.jdbcUrl());
                env.put("LOGAI_DB_USER", LocalStack.APP_ROLE);
                env.put("LOGAI_DB_PASSWORD", stack.appPassword);
                env.put("LOGAI_KAFKA_ALERT_RULES_TOPIC", "bench-alert-rules");
                env.put("LOGAI_ALERTS_ALLOW_PRIVATE_TARGETS", "true");
                env.put("LOGAI_BIND_ADDRESS", "127.0.0.1");
                int gatewayPort = freePort();
                int apiPort = freePort();
                services.add(service("logai.gateway.jar", "LOGAI_GATEWAY_PORT", gatewayPort, env, dir));
                services.add(service("logai.query-api.jar", "LOGAI_API_PORT", apiPort, env, dir));
                String gateway = "http://127.0.0.1:" + gatewayPort;
                String api = "http://127.0.0.1:" + apiPort;
                awaitHealthy(gateway);
                awaitHealthy(api);

                Map<String, String> pipeline = new HashMap<>(env);
                pipeline.put("LOGAI_S3_ENDPOINT", stack.s3.endpoint());
                pipeline.put("LOGAI_S3_ACCESS_KEY", EmbeddedS3.ACCESS_KEY);
                pipeline.put("LOGAI_S3_SECRET_KEY", EmbeddedS3.SECRET_KEY);
                pipeline.put("LOGAI_S3_BUCKET", LocalStack.RAW_BUCKET);
                pipeline.put("LOGAI_WINDOW_OUT_OF_ORDERNESS", "2s");
                // A text line waits this long for continuation lines (stack traces) before it counts.
                pipeline.put("LOGAI_PARSE_MULTILINE_FLUSH", multilineFlush);
                pipeline.put("LOGAI_WINDOW_IDLENESS", "30s");
                pipeline.put("LOGAI_CHECKPOINT_INTERVAL", "10s");
                pipeline.put(
                        "LOGAI_CHECKPOINT_DIR",
                        dir.resolve("checkpoints").toUri().toString());
                pipeline.put("LOGAI_PARALLELISM", "2");
                Configuration settings = PipelineOptions.fromEnvironment(pipeline);
                JobClient job = LogPipelineJob.prepare(settings).executeAsync("logai-bench-alerts");
                return new Deployment(stack, services, job, tenant, gateway, api, HttpClient.newHttpClient());
            } catch (Exception e) {
                services.forEach(Process::destroy);
                stack.close();
                throw e;
            }
        }

        /** Creates an alert rule through the query API; throws unless it answers 201. */
        void createRule(String json) throws Exception {
            HttpResponse<String> created = http.send(
                    HttpRequest.newBuilder(URI.create(api + "/v1/alert-rules"))
                            .header("Authorization", "Bearer " + tenant.apiKey())
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(json))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201) {
                throw new IllegalStateException("Could not create the rule: " + created.body());
            }
        }

        /** Posts lines; returns System.nanoTime() when the gateway's 202 arrived. */
        long post(List<String> lines) throws Exception {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(gateway + "/v1/logs/stream"))
                            .header("Authorization", "Bearer " + tenant.apiKey())
                            .header("X-Source-Id", tenant.sourceId())
                            .header("Content-Type", "text/plain")
                            .POST(HttpRequest.BodyPublishers.ofString(String.join("\n", lines)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            long accepted = System.nanoTime();
            if (r.statusCode() != 202) {
                throw new IllegalStateException("The gateway answered " + r.statusCode() + ": " + r.body());
            }
            return accepted;
        }

        @Override
        public void close() throws Exception {
            try {
                job.cancel().get(30, TimeUnit.SECONDS);
            } finally {
                for (Process p : services) {
                    p.destroy();
                    p.waitFor(20, TimeUnit.SECONDS);
                }
                stack.close();
            }
        }
    }

    /** Per round, in ms: first incident line → alert, window close → alert, matching line → per-line alert. */
    private record Latencies(double[] fromFirst, double[] fromClose, double[] fromLine) {
        void print(int rounds) {
            System.out.printf(Locale.ROOT, "  %d of %d rounds alerted%n", fromFirst.length, rounds);
            System.out.printf(
                    Locale.ROOT,
                    "  first incident line accepted -> webhook  p50 %.0f ms  p99 %.0f ms"
                            + " (includes the 1 s before the closing line was sent)%n",
                    pct(fromFirst, 50),
                    pct(fromFirst, 99));
            System.out.printf(
                    Locale.ROOT,
                    "  window close (closing line accepted) -> webhook  p50 %.0f ms  p99 %.0f ms"
                            + "  (target <= 2000 ms)%n",
                    pct(fromClose, 50),
                    pct(fromClose, 99));
            System.out.printf(
                    Locale.ROOT,
                    "  per-line rule: matching line accepted -> webhook  p50 %.0f ms  p99 %.0f ms"
                            + "  (%d of %d rounds; target < 1000 ms)%n",
                    pct(fromLine, 50),
                    pct(fromLine, 99),
                    fromLine.length,
                    rounds);
            System.out.printf(
                    Locale.ROOT,
                    "average first_line_to_alert_p50_ms=%.0f first_line_to_alert_p99_ms=%.0f"
                            + " close_to_alert_p50_ms=%.0f close_to_alert_p99_ms=%.0f per_line_to_alert_p50_ms=%.0f"
                            + " per_line_to_alert_p99_ms=%.0f%n",
                    pct(fromFirst, 50),
                    pct(fromFirst, 99),
                    pct(fromClose, 50),
                    pct(fromClose, 99),
                    pct(fromLine, 50),
                    pct(fromLine, 99));
        }
    }

    /**
     * The rounds: each posts the per-line rule's line, then an error line into a fresh minute and,
     * a second later, the line that closes that minute; then resolves the alert with a clean minute.
     */
    private static Latencies runRounds(Deployment d, Webhooks webhooks, int rounds) throws Exception {
        // Recent event time (an idle source's event time follows the wall clock), two minutes per round.
        Instant base = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(2L * rounds + 12));
        d.post(List.of(line(base, "INFO  [api] warming up")));
        Thread.sleep(5_000);
        double[] fromFirst = new double[rounds];
        double[] fromClose = new double[rounds];
        double[] fromLine = new double[rounds];
        int done = 0;
        int linesDone = 0;
        StringBuilder volume = new StringBuilder("on volume");
        for (int r = -1; r < rounds; r++) { // round -1 warms the path up and is not counted
            Instant minute = base.plus(Duration.ofMinutes(2L * r + 3));
            volume.append(" x");
            long probe = d.post(List.of(line(minute.plusSeconds(5), "WARN  [api] disk quota exceeded " + volume)));
            Long lineArrived = webhooks.lineAlerts().poll(30, TimeUnit.SECONDS);
            if (lineArrived == null) {
                System.out.println("  round " + (r + 1) + ": no per-line alert within 30 s");
            } else if (r >= 0) {
                fromLine[linesDone++] = (lineArrived - probe) / 1e6;
            }
            long first = d.post(List.of(line(minute.plusSeconds(10), "ERROR [api] payment failed")));
            Thread.sleep(1_000);
            // The clean minute that follows closes this one (and resolves the previous alert).
            long close = d.post(List.of(line(minute.plusSeconds(63), "INFO  [api] ok")));
            Long arrived = webhooks.windowAlerts().poll(60, TimeUnit.SECONDS);
            if (arrived == null) {
                System.out.println("  round " + (r + 1) + ": no alert within 60 s");
                continue;
            }
            if (r >= 0) {
                fromFirst[done] = (arrived - first) / 1e6;
                fromClose[done] = (arrived - close) / 1e6;
                done++;
            }
            // Resolve before the next round: a clean window one minute later.
            d.post(List.of(line(minute.plusSeconds(125), "INFO  [api] ok")));
            Thread.sleep(1_500);
        }
        return new Latencies(
                Arrays.copyOf(fromFirst, done), Arrays.copyOf(fromClose, done), Arrays.copyOf(fromLine, linesDone));
    }

    private static String line(Instant at, String levelAndMessage) {
        return STAMP.format(at) + " " + levelAndMessage;
    }

    private static double pct(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        return v[(int) Math.min(v.length - 1, Math.ceil(p / 100 * v.length) - 1)];
    }

    static Process service(String jarProperty, String portVariable, int port, Map<String, String> env, Path dir)
            throws Exception {
        String jar = System.getProperty(jarProperty);
        if (jar == null || !new File(jar).isFile()) {
            throw new IllegalStateException("Service jar missing (" + jarProperty + "=" + jar + "); run ./logai build");
        }
        ProcessBuilder b = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", jar)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(portVariable + ".log").toFile());
        b.environment().putAll(env);
        b.environment().put(portVariable, Integer.toString(port));
        // LOGAI_GATEWAY_PORT → LOGAI_GATEWAY_MANAGEMENT_PORT: actuator on a free port of its own
        b.environment()
                .put(
                        portVariable.replaceFirst("_PORT$", "_MANAGEMENT_PORT"),
                        Integer.toString(dev.logai.localstack.FreePorts.pick()));
        return b.start();
    }

    /**
     * The settings a service started from its jar needs to use {@code stack}: Kafka, Postgres as the
     * application role and, when the stack has one, the object store. A new map: callers add theirs.
     */
    static Map<String, String> serviceEnv(LocalStack stack) {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("LOGAI_KAFKA_BOOTSTRAP", stack.kafka.bootstrapServers());
        env.put("LOGAI_DB_URL", stack.postgres.jdbcUrl());
        env.put("LOGAI_DB_USER", LocalStack.APP_ROLE);
        env.put("LOGAI_DB_PASSWORD", stack.appPassword);
        if (stack.s3 != null) {
            env.put("LOGAI_S3_ENDPOINT", stack.s3.endpoint());
            env.put("LOGAI_S3_ACCESS_KEY", dev.logai.localstack.EmbeddedS3.ACCESS_KEY);
            env.put("LOGAI_S3_SECRET_KEY", dev.logai.localstack.EmbeddedS3.SECRET_KEY);
            env.put("LOGAI_S3_BUCKET", LocalStack.RAW_BUCKET);
        }
        return env;
    }

    static void awaitHealthy(String base) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 450; i++) {
            try {
                if (http.send(
                                        HttpRequest.newBuilder(URI.create(base + "/readyz"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(base + " did not become healthy");
    }

    static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
