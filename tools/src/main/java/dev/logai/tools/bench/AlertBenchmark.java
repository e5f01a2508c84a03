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
import java.nio.file.Files;
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
        Path dir = Files.createTempDirectory("logai-bench-alerts");
        System.out.println("alerts benchmark: local stack, gateway, query API and the job on a local Flink; " + rounds
                + " rounds after one warm-up round, rule error_count > 0 over 1m windows, out-of-orderness 2 s,"
                + " multi-line hold 200 ms until a source splits an event over requests, then " + multilineFlush);
        LinkedBlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<Long> lineArrivals = new LinkedBlockingQueue<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            long now = System.nanoTime();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
            if (body.contains("\"status\":\"firing\"")) {
                arrivals.add(now);
            }
        });
        receiver.createContext("/line-hook", exchange -> {
            long now = System.nanoTime();
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
            lineArrivals.add(now);
        });
        receiver.start();
        List<Process> services = new ArrayList<>();
        JobClient job = null;
        try (LocalStack stack =
                LocalStack.start(dir.resolve("stack"), LocalStack.Ports.any(), "bench-app-password", true)) {
            LocalStack.Tenant tenant = stack.createTenant("bench", "checkout");
            String rulesTopic = "bench-alert-rules";
            Map<String, String> env = new HashMap<>();
            env.put("LOGAI_KAFKA_BOOTSTRAP", stack.kafka.bootstrapServers());
            env.put("LOGAI_DB_URL", stack.postgres.jdbcUrl());
            env.put("LOGAI_DB_USER", LocalStack.APP_ROLE);
            env.put("LOGAI_DB_PASSWORD", stack.appPassword);
            env.put("LOGAI_KAFKA_ALERT_RULES_TOPIC", rulesTopic);
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
                    "LOGAI_CHECKPOINT_DIR", dir.resolve("checkpoints").toUri().toString());
            pipeline.put("LOGAI_PARALLELISM", "2");
            Configuration settings = PipelineOptions.fromEnvironment(pipeline);
            job = LogPipelineJob.prepare(settings).executeAsync("logai-bench-alerts");

            HttpClient http = HttpClient.newHttpClient();
            String rule =
                    "{\"name\": \"bench\", \"condition\": {\"metric\": \"error_count\", \"op\": \">\", \"threshold\": 0,"
                            + " \"window\": \"1m\", \"resolve_after\": 1}, \"channels\": {\"webhook\": [\"http://127.0.0.1:"
                            + receiver.getAddress().getPort() + "/hook\"]}}";
            HttpResponse<String> created = http.send(
                    HttpRequest.newBuilder(URI.create(api + "/v1/alert-rules"))
                            .header("Authorization", "Bearer " + tenant.apiKey())
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(rule))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201) {
                throw new IllegalStateException("Could not create the rule: " + created.body());
            }
            String lineRule =
                    "{\"name\": \"bench lines\", \"condition\": {\"pattern\": {\"contains\": \"disk quota exceeded\"}},"
                            + " \"channels\": {\"webhook\": [\"http://127.0.0.1:"
                            + receiver.getAddress().getPort() + "/line-hook\"]}}";
            created = http.send(
                    HttpRequest.newBuilder(URI.create(api + "/v1/alert-rules"))
                            .header("Authorization", "Bearer " + tenant.apiKey())
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(lineRule))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201) {
                throw new IllegalStateException("Could not create the per-line rule: " + created.body());
            }

            // Recent event time (an idle source's event time follows the wall clock), two minutes per round.
            Instant base = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(2L * rounds + 12));
            post(http, gateway, tenant, List.of(line(base, "INFO  [api] warming up")));
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
                long probe = post(
                        http,
                        gateway,
                        tenant,
                        List.of(line(minute.plusSeconds(5), "WARN  [api] disk quota exceeded " + volume)));
                Long lineArrived = lineArrivals.poll(30, TimeUnit.SECONDS);
                if (lineArrived == null) {
                    System.out.println("  round " + (r + 1) + ": no per-line alert within 30 s");
                } else if (r >= 0) {
                    fromLine[linesDone++] = (lineArrived - probe) / 1e6;
                }
                long first = post(
                        http, gateway, tenant, List.of(line(minute.plusSeconds(10), "ERROR [api] payment failed")));
                Thread.sleep(1_000);
                // The clean minute that follows closes this one (and resolves the previous alert).
                long close = post(http, gateway, tenant, List.of(line(minute.plusSeconds(63), "INFO  [api] ok")));
                Long arrived = arrivals.poll(60, TimeUnit.SECONDS);
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
                post(http, gateway, tenant, List.of(line(minute.plusSeconds(125), "INFO  [api] ok")));
                Thread.sleep(1_500);
            }
            double[] a = Arrays.copyOf(fromFirst, done);
            double[] b = Arrays.copyOf(fromClose, done);
            double[] c = Arrays.copyOf(fromLine, linesDone);
            System.out.printf(Locale.ROOT, "  %d of %d rounds alerted%n", done, rounds);
            System.out.printf(
                    Locale.ROOT,
                    "  first incident line accepted -> webhook  p50 %.0f ms  p99 %.0f ms"
                            + " (includes the 1 s before the closing line was sent)%n",
                    pct(a, 50),
                    pct(a, 99));
            System.out.printf(
                    Locale.ROOT,
                    "  window close (closing line accepted) -> webhook  p50 %.0f ms  p99 %.0f ms"
                            + "  (target <= 2000 ms)%n",
                    pct(b, 50),
                    pct(b, 99));
            System.out.printf(
                    Locale.ROOT,
                    "  per-line rule: matching line accepted -> webhook  p50 %.0f ms  p99 %.0f ms"
                            + "  (%d of %d rounds; target < 1000 ms)%n",
                    pct(c, 50),
                    pct(c, 99),
                    linesDone,
                    rounds);
            System.out.printf(
                    Locale.ROOT,
                    "average first_line_to_alert_p50_ms=%.0f first_line_to_alert_p99_ms=%.0f"
                            + " close_to_alert_p50_ms=%.0f close_to_alert_p99_ms=%.0f per_line_to_alert_p50_ms=%.0f"
                            + " per_line_to_alert_p99_ms=%.0f%n",
                    pct(a, 50),
                    pct(a, 99),
                    pct(b, 50),
                    pct(b, 99),
                    pct(c, 50),
                    pct(c, 99));
        } finally {
            if (job != null) {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
            for (Process p : services) {
                p.destroy();
                p.waitFor(20, TimeUnit.SECONDS);
            }
            receiver.stop(0);
        }
        System.out.flush();
        // Flink's shutdown hooks would run after its classes are gone; everything is closed already.
        Runtime.getRuntime().halt(0);
    }

    private static String line(Instant at, String levelAndMessage) {
        return STAMP.format(at) + " " + levelAndMessage;
    }

    /** Posts lines; returns System.nanoTime() when the gateway's 202 arrived. */
    private static long post(HttpClient http, String gateway, LocalStack.Tenant t, List<String> lines)
            throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(gateway + "/v1/logs/stream"))
                        .header("Authorization", "Bearer " + t.apiKey())
                        .header("X-Source-Id", t.sourceId())
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

    private static double pct(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        return v[(int) Math.min(v.length - 1, Math.ceil(p / 100 * v.length) - 1)];
    }

    private static Process service(String jarProperty, String portVariable, int port, Map<String, String> env, Path dir)
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
        return b.start();
    }

    private static void awaitHealthy(String base) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 450; i++) {
            try {
                if (http.send(
                                        HttpRequest.newBuilder(URI.create(base + "/actuator/health"))
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

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
