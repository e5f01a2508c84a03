package dev.logai.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logai.flink.LogPipelineJob;
import dev.logai.flink.PipelineOptions;
import dev.logai.localstack.LocalStack;
import dev.logai.tools.cli.UploadClient;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;

/**
 * {@code ./logai bench upload [--mb N]}: a generated log file of N MiB (1024 by default; text lines
 * of four services with a few JSON lines mixed in, one incident — error spike with a new exception
 * — every three hours of log time) goes through the real upload flow: upload-url and
 * register-upload on the gateway (its jar), the PUT to the local object store, the job on a local
 * Flink (parallelism 2) reading it from S3, Postgres. Figures, from the moment register-upload
 * answered 202: seconds to the first summary row of the source, seconds until the upload is
 * {@code processed}, and MiB/s over the whole file; the largest heap the benchmark JVM (the job
 * runs in it) had after a GC while the file was read. Last line: {@code average first_summary_s=…
 * processed_s=… mb_per_s=…}.
 */
public final class UploadBenchmark {
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private UploadBenchmark() {}

    public static void main(String[] args) throws Exception {
        long mb = 1024;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--mb") && i + 1 < args.length) {
                mb = Long.parseLong(args[++i]);
            } else {
                System.err.println("usage: ./logai bench upload [--mb N]");
                System.exit(2);
            }
        }
        Path dir = BenchDirectory.create("logai-bench-upload");
        Path file = dir.resolve("bench.log");
        long lines = generate(file, mb * 1024 * 1024);
        System.out.printf(
                Locale.ROOT,
                "upload benchmark: %d MiB, %d lines (%.0f bytes a line); local stack, gateway and query API from"
                        + " their jars, the job on a local Flink (parallelism 2), chunks of 1 MiB%n",
                mb,
                lines,
                (double) Files.size(file) / lines);
        LocalStack stack = LocalStack.start(
                dir.resolve("stack"), LocalStack.Ports.any(), "bench-app-password", LocalStack.randomPassword(), true);
        List<Process> services = new ArrayList<>();
        JobClient job = null;
        try {
            LocalStack.Tenant tenant = stack.createTenant("bench", "uploads");
            Map<String, String> env = AlertBenchmark.serviceEnv(stack);
            env.put("LOGAI_BIND_ADDRESS", "127.0.0.1");
            env.put("LOGAI_UPLOAD_URL_TTL", "1h");
            int gatewayPort = AlertBenchmark.freePort();
            int apiPort = AlertBenchmark.freePort();
            services.add(AlertBenchmark.service("logai.gateway.jar", "LOGAI_GATEWAY_PORT", gatewayPort, env, dir));
            services.add(AlertBenchmark.service("logai.query-api.jar", "LOGAI_API_PORT", apiPort, env, dir));
            String gateway = "http://127.0.0.1:" + gatewayPort;
            String api = "http://127.0.0.1:" + apiPort;
            AlertBenchmark.awaitHealthy(gateway);
            AlertBenchmark.awaitHealthy(api);

            Map<String, String> pipeline = new HashMap<>(env);
            pipeline.put("LOGAI_CHECKPOINT_INTERVAL", "10s");
            pipeline.put(
                    "LOGAI_CHECKPOINT_DIR", dir.resolve("checkpoints").toUri().toString());
            pipeline.put("LOGAI_PARALLELISM", "2");
            Configuration settings = PipelineOptions.fromEnvironment(pipeline);
            job = LogPipelineJob.prepare(settings).executeAsync("logai-bench-upload");

            UploadClient client = new UploadClient(gateway, api, tenant.apiKey());
            UploadClient.FileFacts facts = UploadClient.FileFacts.of(file);
            long putStart = System.nanoTime();
            JsonNode url = client.put(facts, tenant.sourceId(), n -> {});
            double putSeconds = (System.nanoTime() - putStart) / 1e9;
            String id = client.register(facts, url, tenant.sourceId())
                    .get("upload_id")
                    .asText();
            long registered = System.nanoTime();
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            long maxHeapAfterGc = 0;
            double firstSummary = -1;
            double processed;
            int polls = 0;
            while (true) {
                double elapsed = (System.nanoTime() - registered) / 1e9;
                if (firstSummary < 0 && hasSummary(stack, tenant)) {
                    firstSummary = elapsed;
                }
                JsonNode u = client.upload(id).get("upload");
                String status = u.get("status").asText();
                if (status.equals("failed")) {
                    throw new IllegalStateException("The upload failed: " + u);
                }
                if (status.equals("processed")) {
                    processed = elapsed;
                    break;
                }
                if (++polls % 20 == 0) {
                    System.gc();
                    maxHeapAfterGc =
                            Math.max(maxHeapAfterGc, memory.getHeapMemoryUsage().getUsed());
                    System.out.printf(
                            Locale.ROOT,
                            "  %5.0f s  %s of %s read, %d lines%n",
                            elapsed,
                            mib(u.get("bytes_read").asLong()),
                            mib(facts.size()),
                            u.get("line_count").asLong());
                }
                if (elapsed > 3600) {
                    throw new IllegalStateException("Not processed within an hour: " + u);
                }
                Thread.sleep(250);
            }
            while (firstSummary < 0 && (System.nanoTime() - registered) / 1e9 < processed + 120) {
                if (hasSummary(stack, tenant)) firstSummary = (System.nanoTime() - registered) / 1e9;
                Thread.sleep(250);
            }
            double mbPerS = facts.size() / 1048576.0 / processed;
            System.out.printf(
                    Locale.ROOT,
                    "PUT %.1f s (%.0f MiB/s); register → first summary %.1f s, → processed %.1f s (%.1f MiB/s,"
                            + " %.0f lines/s); largest heap after GC while reading %s (-Xmx %s)%n",
                    putSeconds,
                    facts.size() / 1048576.0 / putSeconds,
                    firstSummary,
                    processed,
                    mbPerS,
                    lines / processed,
                    mib(maxHeapAfterGc),
                    mib(Runtime.getRuntime().maxMemory()));
            System.out.printf(
                    Locale.ROOT,
                    "average first_summary_s=%.1f processed_s=%.1f mb_per_s=%.1f%n",
                    firstSummary,
                    processed,
                    mbPerS);
        } finally {
            if (job != null) job.cancel();
            services.forEach(Process::destroy);
            stack.close();
        }
        System.out.flush();
        // Flink's shutdown hooks would run after its classes are gone; everything is closed already.
        Runtime.getRuntime().halt(0);
    }

    private static boolean hasSummary(LocalStack stack, LocalStack.Tenant tenant) throws Exception {
        try (Connection c = stack.ownerConnection();
                PreparedStatement ps = c.prepareStatement("select 1 from summary where org_id = ? limit 1")) {
            ps.setString(1, tenant.orgId());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Writes about {@code bytes} of log lines to {@code file}: 6,000 lines a minute of log time from
     * one day ago on, in time order, a 10-minute incident every 3 hours (starting 45 minutes in).
     *
     * @return the number of lines
     */
    static long generate(Path file, long bytes) throws Exception {
        Random random = new Random(42);
        String[] users = {"alice", "bob", "carol", "dave", "erin", "frank"};
        long t = Instant.now()
                .truncatedTo(ChronoUnit.DAYS)
                .minus(1, ChronoUnit.DAYS)
                .toEpochMilli();
        int perMinute = 6000;
        long written = 0;
        long lines = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            for (int minute = 0; written < bytes; minute++) {
                boolean incident = minute % 180 >= 45 && minute % 180 < 55;
                for (int i = 0; i < perMinute && written < bytes; i++) {
                    long ts = t + minute * 60_000L + (long) i * 60_000 / perMinute;
                    int order = 10_000 + random.nextInt(90_000);
                    String user = users[random.nextInt(users.length)];
                    int ms = 5 + random.nextInt(120);
                    double p = random.nextDouble();
                    String line;
                    if (incident && p < 0.3) {
                        line = STAMP.format(Instant.ofEpochMilli(ts)) + " ERROR [api] PaymentGatewayTimeoutException:"
                                + " upstream payments.internal timed out after 30000 ms for order " + order;
                    } else if (p < 0.05) {
                        line = "{\"ts\":\"" + Instant.ofEpochMilli(ts)
                                + "\",\"level\":\"info\",\"service\":\"billing\","
                                + "\"msg\":\"invoice sent\",\"order\":" + order + ",\"ms\":" + ms + "}";
                    } else if (p < 0.35) {
                        line = STAMP.format(Instant.ofEpochMilli(ts)) + " INFO  [api] GET /api/orders/" + order
                                + " returned 200 in " + ms + " ms";
                    } else if (p < 0.55) {
                        line = STAMP.format(Instant.ofEpochMilli(ts)) + " INFO  [auth] user " + user
                                + " logged in from 10.0." + random.nextInt(255) + "." + random.nextInt(255);
                    } else if (p < 0.75) {
                        line = STAMP.format(Instant.ofEpochMilli(ts)) + " INFO  [db] query orders_by_customer took "
                                + ms + " ms rows=" + random.nextInt(50);
                    } else if (p < 0.95) {
                        line = STAMP.format(Instant.ofEpochMilli(ts)) + " INFO  [worker] processed job " + order
                                + " of type email in " + ms + " ms";
                    } else if (p < 0.98) {
                        line = STAMP.format(Instant.ofEpochMilli(ts)) + " WARN  [worker] retrying job " + order
                                + " attempt " + (1 + random.nextInt(3));
                    } else {
                        line = STAMP.format(Instant.ofEpochMilli(ts)) + " ERROR [db] deadlock detected on table"
                                + " orders, transaction " + order + " rolled back";
                    }
                    byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
                    out.write(b);
                    written += b.length;
                    lines++;
                }
            }
        }
        return lines;
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }
}
