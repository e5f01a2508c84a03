package dev.logai.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logai.localstack.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./logai bench restarts}: {@code ./logai up} as a user runs it (its own home and free
 * ports), and each of its processes killed with SIGKILL in turn while lines keep arriving: the
 * pipeline, the gateway, the query API, then the local services (Kafka, Postgres, the object
 * store). Reported per process: seconds until it answers again. Then the window totals through
 * the query API against the lines the gateway accepted (exactly-once across the kills), and, after
 * a Ctrl-C and a second {@code ./logai up}, whether every log still holds the first run's lines.
 *
 * <p>Timing-based, so a command and not a test; loopback only. Last line: {@code exact=true|false
 * logs_kept=true|false}.
 */
public final class RestartBenchmark {
    private static final Duration READY = Duration.ofMinutes(4);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MARK = Pattern.compile("^==== .*: (\\S+) starting ====$", Pattern.MULTILINE);

    private RestartBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("logai.root", ".")).toAbsolutePath();
        Path home = BenchDirectory.create("logai-bench-restarts");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LOGAI_HOME", home.toString());
        env.put("LOGAI_GATEWAY_PORT", String.valueOf(FreePorts.pick()));
        env.put("LOGAI_API_PORT", String.valueOf(FreePorts.pick()));
        env.put("LOGAI_GATEWAY_MANAGEMENT_PORT", String.valueOf(FreePorts.pick()));
        env.put("LOGAI_API_MANAGEMENT_PORT", String.valueOf(FreePorts.pick()));
        env.put("LOGAI_LOCAL_KAFKA_PORT", String.valueOf(FreePorts.pick()));
        env.put("LOGAI_LOCAL_POSTGRES_PORT", String.valueOf(FreePorts.pick()));
        env.put("LOGAI_LOCAL_S3_PORT", String.valueOf(FreePorts.pick()));
        env.put("LOGAI_SYSLOG_PORT", String.valueOf(FreePorts.pick()));
        env.put("LOGAI_CHECKPOINT_INTERVAL", "2s");
        System.out.printf(Locale.ROOT, "restart benchmark: ./logai up in %s%n", home);

        Process up = start(root, env, home.resolve("up-1.console"));
        Map<String, String> local = awaitLocalEnv(home, up);
        Client client = new Client(local);
        // event time: a minute that has just ended, so its window completes on the lines after it
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(2, ChronoUnit.MINUTES);
        int accepted = client.send(minute, 0, 5);
        // the pipeline resumes from its latest checkpoint: let one be taken with the first lines
        Thread.sleep(5_000);

        Map<String, Double> restartSeconds = new LinkedHashMap<>();
        int sent = 5;
        for (String process : List.of("pipeline", "gateway", "query-api", "services")) {
            ProcessHandle victim = find(up, process)
                    .orElseThrow(() -> new IllegalStateException("no " + process + " process under ./logai up"));
            long killed = System.nanoTime();
            victim.destroyForcibly();
            victim.onExit().get(30, TimeUnit.SECONDS);
            await(process + " back", READY, () -> find(up, process).isPresent() && client.answering());
            double seconds = (System.nanoTime() - killed) / 1e9;
            restartSeconds.put(process, seconds);
            System.out.printf(Locale.ROOT, "%-10s killed, answering again after %.1f s%n", process, seconds);
            accepted += client.send(minute, sent, 3);
            sent += 3;
        }
        // a line a few minutes later moves the source's clock past the minute
        client.send(minute.plus(5, ChronoUnit.MINUTES), 1000, 1);
        long[] counted = {-1};
        boolean settled = awaitQuietly(READY, () -> {
            counted[0] = client.finalWindowLines(minute);
            return counted[0] >= 0;
        });
        boolean exact = settled && counted[0] == accepted;
        System.out.printf(
                Locale.ROOT, "window %s: accepted=%d counted=%d (final=%s)%n", minute, accepted, counted[0], settled);

        Map<String, Long> before = startMarks(home);
        stop(up);
        Process again = start(root, env, home.resolve("up-2.console"));
        awaitLocalEnv(home, again);
        Map<String, Long> after = startMarks(home);
        stop(again);
        boolean logsKept = !before.isEmpty()
                && before.entrySet().stream().allMatch(e -> after.getOrDefault(e.getKey(), 0L) > e.getValue());
        System.out.printf(
                Locale.ROOT, "start marks per log: first run %s, after a second ./logai up %s%n", before, after);
        System.out.printf(Locale.ROOT, "exact=%s logs_kept=%s%n", exact, logsKept);
    }

    private static Process start(Path root, Map<String, String> env, Path console) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(root.resolve("logai").toString(), "up")
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(console.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Ctrl-C: SIGINT to ./logai up, which stops its processes and exits. */
    private static void stop(Process up) throws Exception {
        new ProcessBuilder("kill", "-INT", String.valueOf(up.pid())).start().waitFor();
        if (!up.waitFor(2, TimeUnit.MINUTES)) {
            up.descendants().forEach(ProcessHandle::destroyForcibly);
            up.destroyForcibly();
        }
    }

    private static Map<String, String> awaitLocalEnv(Path home, Process up) throws Exception {
        Path file = home.resolve("local.env");
        long mark = Files.exists(file) ? Files.getLastModifiedTime(file).toMillis() : 0;
        await("./logai up ready", READY, () -> {
            if (!up.isAlive()) throw new IllegalStateException("./logai up exited with " + up.exitValue());
            try {
                return Files.exists(file) && Files.getLastModifiedTime(file).toMillis() > mark;
            } catch (IOException e) {
                return false;
            }
        });
        Map<String, String> values = new LinkedHashMap<>();
        Matcher m = Pattern.compile("export (\\w+)='([^']*)'").matcher(Files.readString(file));
        while (m.find()) values.put(m.group(1), m.group(2));
        return values;
    }

    /** The process ./logai up runs as {@code name}, found by the jar its command line names first. */
    static Optional<ProcessHandle> find(Process up, String name) {
        String marker = switch (name) {
            // the jar at the head of each class path: Linux may cut a long command line short
            case "pipeline" -> "/flink-jobs-";
            case "gateway" -> "/ingest-gateway-";
            case "query-api" -> "/query-api-";
            case "services" -> "/logai-local-stack-";
            default -> throw new IllegalArgumentException(name);
        };
        return up.descendants()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .findFirst();
    }

    private static Map<String, Long> startMarks(Path home) throws IOException {
        Map<String, Long> marks = new LinkedHashMap<>();
        try (var logs = Files.list(home.resolve("logs"))) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
                Matcher m = MARK.matcher(Files.readString(log, StandardCharsets.ISO_8859_1));
                long n = 0;
                while (m.find()) n++;
                marks.put(log.getFileName().toString(), n);
            }
        }
        return marks;
    }

    private static void await(String what, Duration timeout, BooleanSupplier done) throws InterruptedException {
        if (!awaitQuietly(timeout, done)) throw new IllegalStateException("timed out waiting for " + what);
    }

    private static boolean awaitQuietly(Duration timeout, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (done.getAsBoolean()) return true;
            Thread.sleep(500);
        }
        return false;
    }

    /** The user's side: the README's curl calls, from local.env. */
    private static final class Client {
        private final HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        private final String gateway;
        private final String api;
        private final String key;
        private final String source;

        Client(Map<String, String> local) {
            gateway = local.get("LOGAI_GATEWAY_URL");
            api = local.get("LOGAI_API_URL");
            key = local.get("LOGAI_API_KEY");
            source = local.get("LOGAI_SOURCE_ID");
        }

        /**
         * Sends {@code count} lines numbered from {@code first} at {@code minute} and returns {@code
         * count} once the gateway answered 202. A 503 (Kafka not back yet) or a refused connection is
         * retried with the same {@code Idempotency-Key}, so a retry after a lost answer counts once.
         */
        int send(Instant minute, int first, int count) throws Exception {
            StringBuilder body = new StringBuilder();
            for (int i = first; i < first + count; i++) {
                body.append(minute.plusMillis(100L * (i % 500)))
                        .append(" INFO order ")
                        .append(i)
                        .append(" placed\n");
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "/v1/logs/stream"))
                    .header("Authorization", "Bearer " + key)
                    .header("X-Source-Id", source)
                    .header("Content-Type", "text/plain")
                    .header("Idempotency-Key", "restart-bench-" + first + "-" + count)
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                    .build();
            long deadline = System.nanoTime() + READY.toNanos();
            String last = "";
            while (System.nanoTime() < deadline) {
                try {
                    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 202) return count;
                    last = r.statusCode() + " " + r.body();
                    if (r.statusCode() != 503) break;
                } catch (IOException e) {
                    last = e.toString();
                }
                Thread.sleep(1_000);
            }
            throw new IllegalStateException("the gateway did not accept lines " + first + "..: " + last);
        }

        /** Whether the gateway and the query API answer (health, and the tenant's sources). */
        boolean answering() {
            try {
                HttpResponse<String> health = http.send(
                        HttpRequest.newBuilder(URI.create(gateway + "/readyz"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                HttpResponse<String> sources = http.send(
                        HttpRequest.newBuilder(URI.create(api + "/v1/sources"))
                                .header("Authorization", "Bearer " + key)
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                return health.statusCode() == 200 && sources.statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        }

        /** The final line count of the window at {@code minute}, or -1 while it is not final. */
        long finalWindowLines(Instant minute) {
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create(api + "/v1/windows?source_id=" + source + "&since=" + minute
                                        + "&until=" + minute.plus(1, ChronoUnit.MINUTES)))
                                .header("Authorization", "Bearer " + key)
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) return -1;
                for (JsonNode w : JSON.readTree(r.body()).path("items")) {
                    if (Instant.parse(w.path("window_start").asText()).equals(minute)
                            && w.path("is_final").asBoolean()) {
                        return w.path("line_count").asLong();
                    }
                }
                return -1;
            } catch (Exception e) {
                return -1;
            }
        }
    }
}
