package dev.logai.tools.bench;

import com.google.protobuf.CodedOutputStream;
import dev.logai.localstack.LocalStack;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xerial.snappy.Snappy;

/**
 * {@code ./logai bench ingest}: the gateway alone (from its jar, {@code -Xmx512m} as {@code ./logai
 * up} runs it, no pipeline) on the local Kafka broker, against Kafka's own {@code
 * ProducerPerformance} (kafka-tools) writing the same lines, one record each, with the gateway's
 * producer settings (acks=all, idempotence, zstd, linger.ms=2) to the same broker, in the same run.
 *
 * <ol>
 *   <li>{@value #ROUNDS} rounds of: {@value #CONNECTIONS} keep-alive connections sending NDJSON
 *       batches of {@value #BATCH_LINES} realistic JSON lines to {@code POST /v1/logs/stream} for
 *       {@value #PHASE_SECONDS} s (lines/s and MB/s counted on 202s only), then ProducerPerformance
 *       with the same lines (records/s).
 *   <li>Each shipper protocol for {@value #PROTOCOL_SECONDS} s, same lines and batch size: OTLP/HTTP
 *       protobuf, Loki push (protobuf + snappy), Elasticsearch {@code _bulk}, Splunk HEC events, and
 *       syslog over TCP (LF-framed; lines counted when the gateway's listener wrote them to Kafka).
 *   <li>{@value #MANY_CONNECTIONS} concurrent connections for {@value #PHASE_SECONDS} s: the
 *       gateway's peak RSS ({@code /proc}) and heap used (jcmd {@code GC.heap_info}).
 * </ol>
 *
 * Last line: {@code average gateway_lines_per_s=… producer_lines_per_s=… ratio=…} (means over the
 * rounds). The clients, the gateway and the broker share this machine's cores, as they would not in
 * production: the ratio is what compares.
 */
public final class IngestBenchmark {
    static final int ROUNDS = 3;
    static final int CONNECTIONS = 32;
    static final int MANY_CONNECTIONS = 200;
    static final int BATCH_LINES = 1000;
    static final int PHASE_SECONDS = 8;
    static final int PROTOCOL_SECONDS = 5;
    static final int DISTINCT_BATCHES = 16;

    private IngestBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path dir = BenchDirectory.create("logai-bench-ingest");
        try (LocalStack stack = LocalStack.start(
                dir.resolve("stack"),
                LocalStack.Ports.any(),
                "bench-app-password",
                LocalStack.randomPassword(),
                false)) {
            LocalStack.Tenant tenant = stack.createTenant("bench-ingest", "stream");
            // the gateway is measured, not the plan: limits far above what the machine can send
            stack.overrideLimits(
                    tenant.orgId(),
                    "{\"bytes_per_month\": \"1000TB\", \"ingest_bytes_per_second\": \"10GB\","
                            + " \"ingest_burst_bytes\": \"20GB\", \"requests_per_minute\": \"100000000\","
                            + " \"max_sources\": \"100\"}");
            String topic = "logai.raw-lines";
            stack.kafka.createTopics(2, topic, "bench.producer-performance");
            int port = HostileBenchmark.freePort();
            int syslogPort = HostileBenchmark.freePort();
            Process gateway = HostileBenchmark.startGateway(
                    stack,
                    port,
                    dir.resolve("gateway.log"),
                    Map.of("LOGAI_SYSLOG_TCP_PORT", Integer.toString(syslogPort), "LOGAI_SYSLOG_KEY", tenant.apiKey()));
            try {
                HostileBenchmark.awaitHealthy(port);
                Random random = new Random(42);
                List<List<String>> batches = new ArrayList<>();
                for (int b = 0; b < DISTINCT_BATCHES; b++) {
                    List<String> lines = new ArrayList<>(BATCH_LINES);
                    for (int i = 0; i < BATCH_LINES; i++) {
                        lines.add(LineGenerators.json(random));
                    }
                    batches.add(lines);
                }
                long lineBytes = batches.stream()
                                .flatMap(List::stream)
                                .mapToLong(l -> l.getBytes(StandardCharsets.UTF_8).length + 1)
                                .sum()
                        / DISTINCT_BATCHES
                        / BATCH_LINES;
                System.out.printf(
                        Locale.ROOT,
                        "Gateway from its jar (-Xmx512m, default budgets), no pipeline; local Kafka (1 broker, 2"
                                + " partitions); %d-line NDJSON batches of generated JSON lines (mean %d bytes)%n",
                        BATCH_LINES,
                        lineBytes);
                Path payload = dir.resolve("payload.txt");
                Files.write(payload, batches.get(0), StandardCharsets.UTF_8);

                Body stream = (b, n) -> ndjson(batches.get(b));
                run(port, "/v1/logs/stream", tenant, stream, "application/x-ndjson", CONNECTIONS, 3); // warm-up
                double gatewaySum = 0;
                double producerSum = 0;
                for (int round = 1; round <= ROUNDS; round++) {
                    Result g = run(
                            port,
                            "/v1/logs/stream",
                            tenant,
                            stream,
                            "application/x-ndjson",
                            CONNECTIONS,
                            PHASE_SECONDS);
                    double p = producerPerformance(stack, payload);
                    gatewaySum += g.linesPerSecond();
                    producerSum += p;
                    System.out.printf(
                            Locale.ROOT,
                            "round %d: gateway %,.0f lines/s (%.1f MB/s, answers %s), ProducerPerformance %,.0f"
                                    + " records/s, ratio %.2f%n",
                            round,
                            g.linesPerSecond(),
                            g.megabytesPerSecond(),
                            g.answers(),
                            p,
                            g.linesPerSecond() / p);
                }

                System.out.println(
                        "Shipper protocols (" + CONNECTIONS + " connections, " + PROTOCOL_SECONDS + " s each):");
                Map<String, Result> protocols = new java.util.LinkedHashMap<>();
                protocols.put(
                        "stream (NDJSON)",
                        run(
                                port,
                                "/v1/logs/stream",
                                tenant,
                                stream,
                                "application/x-ndjson",
                                CONNECTIONS,
                                PROTOCOL_SECONDS));
                protocols.put(
                        "OTLP/HTTP protobuf",
                        run(
                                port,
                                "/v1/logs",
                                tenant,
                                (b, n) -> otlp(batches.get(b)),
                                "application/x-protobuf",
                                CONNECTIONS,
                                PROTOCOL_SECONDS));
                protocols.put(
                        "Loki push (protobuf+snappy)",
                        run(
                                port,
                                "/loki/api/v1/push",
                                tenant,
                                (b, n) -> loki(batches.get(b), n),
                                "application/x-protobuf",
                                CONNECTIONS,
                                PROTOCOL_SECONDS));
                protocols.put(
                        "Elasticsearch _bulk",
                        run(
                                port,
                                "/_bulk",
                                tenant,
                                (b, n) -> bulk(batches.get(b)),
                                "application/x-ndjson",
                                CONNECTIONS,
                                PROTOCOL_SECONDS));
                protocols.put(
                        "Splunk HEC event",
                        run(
                                port,
                                "/services/collector/event",
                                tenant,
                                (b, n) -> hec(batches.get(b), n),
                                "application/json",
                                CONNECTIONS,
                                PROTOCOL_SECONDS));
                protocols.forEach((name, r) -> System.out.printf(
                        Locale.ROOT,
                        "  %-28s %,10.0f lines/s  %6.1f MB/s  answers %s%n",
                        name,
                        r.linesPerSecond(),
                        r.megabytesPerSecond(),
                        r.answers()));
                System.out.printf(
                        Locale.ROOT,
                        "  %-28s %,10.0f lines/s  (TCP, LF-framed, %d connections; counted as written to Kafka)%n",
                        "syslog",
                        syslog(stack, topic, syslogPort, batches, 8, PROTOCOL_SECONDS),
                        8);

                AtomicBoolean sampling = new AtomicBoolean(true);
                long[] peak = new long[2];
                Thread sampler = new Thread(() -> sample(gateway.pid(), sampling, peak));
                sampler.start();
                Result many = run(
                        port,
                        "/v1/logs/stream",
                        tenant,
                        stream,
                        "application/x-ndjson",
                        MANY_CONNECTIONS,
                        PHASE_SECONDS);
                sampling.set(false);
                sampler.join();
                System.out.printf(
                        Locale.ROOT,
                        "%d connections: %,.0f lines/s, answers %s; gateway peak RSS %d MiB, peak heap used %d MiB"
                                + " (-Xmx512m)%n",
                        MANY_CONNECTIONS,
                        many.linesPerSecond(),
                        many.answers(),
                        peak[0] / 1024,
                        peak[1] / 1024);
                double gatewayMean = gatewaySum / ROUNDS;
                double producerMean = producerSum / ROUNDS;
                System.out.printf(
                        Locale.ROOT,
                        "average gateway_lines_per_s=%.0f producer_lines_per_s=%.0f ratio=%.2f%n",
                        gatewayMean,
                        producerMean,
                        gatewayMean / producerMean);
            } finally {
                gateway.destroy();
                gateway.waitFor();
            }
        }
    }

    /** A request body: batch {@code b}, the {@code n}-th request of its connection. */
    @FunctionalInterface
    interface Body {
        byte[] of(int batch, long n) throws IOException;
    }

    /** What one phase got: lines and bytes in 2xx answers, the answers by status, the phase's length. */
    record Result(long lines, long bytes, Map<Integer, Integer> answers, double seconds) {
        double linesPerSecond() {
            return lines / seconds;
        }

        double megabytesPerSecond() {
            return bytes / seconds / 1e6;
        }
    }

    /** {@code connections} keep-alive connections posting bodies to {@code path} for {@code seconds}. */
    static Result run(
            int port,
            String path,
            LocalStack.Tenant tenant,
            Body body,
            String contentType,
            int connections,
            int seconds)
            throws Exception {
        // Bodies are built before the clock starts: the clients only send.
        byte[][] bodies = new byte[DISTINCT_BATCHES][];
        for (int b = 0; b < DISTINCT_BATCHES; b++) {
            bodies[b] = body.of(b, b);
        }
        AtomicLong lines = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        Map<Integer, AtomicInteger> answers = new ConcurrentHashMap<>();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long started = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int offset = c;
            Thread t = new Thread(() -> {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.setTcpNoDelay(true);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new BufferedInputStream(socket.getInputStream());
                    for (long n = offset; System.nanoTime() < deadline; n++) {
                        byte[] b = bodies[(int) (n % DISTINCT_BATCHES)];
                        String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                                + tenant.apiKey() + "\r\nX-Source-Id: " + tenant.sourceId() + "\r\nContent-Type: "
                                + contentType + "\r\nContent-Length: " + b.length + "\r\n\r\n";
                        out.write(head.getBytes(StandardCharsets.US_ASCII));
                        out.write(b);
                        out.flush();
                        int status = readResponse(in);
                        answers.computeIfAbsent(status, k -> new AtomicInteger())
                                .incrementAndGet();
                        if (status < 300) {
                            lines.addAndGet(BATCH_LINES);
                            bytes.addAndGet(b.length);
                        }
                    }
                } catch (IOException e) {
                    answers.computeIfAbsent(-1, k -> new AtomicInteger()).incrementAndGet();
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        Map<Integer, Integer> byStatus = new TreeMap<>();
        answers.forEach((k, v) -> byStatus.put(k, v.get()));
        return new Result(lines.get(), bytes.get(), byStatus, elapsed);
    }

    /** Reads one HTTP/1.1 response (Content-Length or chunked); its status. */
    static int readResponse(InputStream in) throws IOException {
        String status = readLine(in);
        if (status == null) {
            throw new IOException("connection closed");
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = 0;
        boolean chunked = false;
        String header;
        while (!(header = readLine(in)).isEmpty()) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(header.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            long chunk;
            while ((chunk = Long.parseLong(readLine(in).trim(), 16)) > 0) {
                in.skipNBytes(chunk);
                readLine(in);
            }
            readLine(in);
        } else {
            in.skipNBytes(length);
        }
        return code;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                s.append((char) c);
            }
        }
        return c < 0 && s.length() == 0 ? null : s.toString();
    }

    static byte[] ndjson(List<String> lines) {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] otlp(List<String> lines) {
        ScopeLogs.Builder scope = ScopeLogs.newBuilder();
        long t = System.currentTimeMillis() * 1_000_000L;
        for (String line : lines) {
            scope.addLogRecords(LogRecord.newBuilder()
                    .setTimeUnixNano(t++)
                    .setSeverityText("INFO")
                    .setBody(AnyValue.newBuilder().setStringValue(line)));
        }
        return ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder()
                        .setResource(Resource.newBuilder()
                                .addAttributes(KeyValue.newBuilder()
                                        .setKey("service.name")
                                        .setValue(AnyValue.newBuilder().setStringValue("bench-otlp"))))
                        .addScopeLogs(scope))
                .build()
                .toByteArray();
    }

    static byte[] loki(List<String> lines, long n) throws IOException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        CodedOutputStream s = CodedOutputStream.newInstance(stream);
        s.writeString(1, "{job=\"bench-loki\"}");
        long seconds = System.currentTimeMillis() / 1000;
        int nanos = 0;
        for (String line : lines) {
            ByteArrayOutputStream ts = new ByteArrayOutputStream();
            CodedOutputStream t = CodedOutputStream.newInstance(ts);
            t.writeInt64(1, seconds);
            t.writeInt32(2, nanos++);
            t.flush();
            ByteArrayOutputStream entry = new ByteArrayOutputStream();
            CodedOutputStream e = CodedOutputStream.newInstance(entry);
            e.writeByteArray(1, ts.toByteArray());
            e.writeString(2, line);
            e.flush();
            s.writeByteArray(2, entry.toByteArray());
        }
        s.flush();
        ByteArrayOutputStream push = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(push);
        out.writeByteArray(1, stream.toByteArray());
        out.flush();
        return Snappy.compress(push.toByteArray());
    }

    static byte[] bulk(List<String> lines) {
        StringBuilder b = new StringBuilder();
        for (String line : lines) {
            b.append("{\"create\":{\"_index\":\"bench-es\"}}\n").append(line).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] hec(List<String> lines, long n) {
        StringBuilder b = new StringBuilder();
        long seconds = System.currentTimeMillis() / 1000;
        for (String line : lines) {
            b.append("{\"time\":")
                    .append(seconds)
                    .append(",\"source\":\"bench-hec\",\"event\":")
                    .append(line)
                    .append('}');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Syslog over TCP from {@code connections} connections for {@code seconds}; lines/s counted as
     * the gateway wrote them to Kafka (the topic's records for the syslog source, read back).
     */
    static double syslog(
            LocalStack stack, String topic, int port, List<List<String>> batches, int connections, int seconds)
            throws Exception {
        long before = KafkaLines.count(stack, topic, "syslog");
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long started = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int offset = c;
            Thread t = new Thread(() -> {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
                    for (long n = offset; System.nanoTime() < deadline; n++) {
                        for (String line : batches.get((int) (n % DISTINCT_BATCHES))) {
                            out.write(("<134>1 2026-11-30T10:00:00Z bench app - - - " + line + "\n")
                                    .getBytes(StandardCharsets.UTF_8));
                        }
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        // the listener flushes every 250 ms and when the connection ends: wait until the count settles
        long written = before;
        long last = -1;
        while (written != last) {
            last = written;
            Thread.sleep(1_000);
            written = KafkaLines.count(stack, topic, "syslog");
        }
        double elapsed = (System.nanoTime() - started) / 1e9 - 1.0;
        return (written - before) / elapsed;
    }

    /** Kafka's ProducerPerformance in its own JVM: the payload's lines as records; records/s. */
    static double producerPerformance(LocalStack stack, Path payload) throws Exception {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                "org.apache.kafka.tools.ProducerPerformance",
                "--topic",
                "bench.producer-performance",
                "--num-records",
                "2500000",
                "--throughput",
                "-1",
                "--payload-file",
                payload.toString(),
                "--producer-props",
                "bootstrap.servers=" + stack.kafka.bootstrapServers(),
                "acks=all",
                "enable.idempotence=true",
                "compression.type=zstd",
                "linger.ms=2");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher m = Pattern.compile("records sent, ([0-9.]+) records/sec").matcher(out);
        String result = null;
        while (m.find()) {
            result = m.group(1);
        }
        if (result == null || p.exitValue() != 0) {
            throw new IllegalStateException("ProducerPerformance failed:\n" + out);
        }
        return Double.parseDouble(result);
    }

    /** Samples the process's RSS (/proc) and heap used (jcmd GC.heap_info), in KiB, until told to stop. */
    static void sample(long pid, AtomicBoolean running, long[] peak) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Pattern used = Pattern.compile("used (\\d+)K");
        while (running.get()) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        peak[0] = Math.max(peak[0], Long.parseLong(line.replaceAll("\\D", "")));
                    }
                }
                Process p = new ProcessBuilder(jcmd, Long.toString(pid), "GC.heap_info")
                        .redirectErrorStream(true)
                        .start();
                Matcher m = used.matcher(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                p.waitFor();
                if (m.find()) {
                    peak[1] = Math.max(peak[1], Long.parseLong(m.group(1)));
                }
                Thread.sleep(500);
            } catch (IOException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Counts the lines of one source's batches in the topic (the source looked up by name). */
    static final class KafkaLines {
        static long count(LocalStack stack, String topic, String sourceName) throws Exception {
            String sourceId = null;
            try (Connection c = stack.ownerConnection();
                    PreparedStatement ps = c.prepareStatement("select id from source where name = ?")) {
                ps.setString(1, sourceName);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        sourceId = rs.getString(1);
                    }
                }
            }
            if (sourceId == null) {
                return 0;
            }
            long lines = 0;
            try (org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> consumer =
                    new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                            Map.of("bootstrap.servers", stack.kafka.bootstrapServers()),
                            new org.apache.kafka.common.serialization.StringDeserializer(),
                            new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
                List<org.apache.kafka.common.TopicPartition> partitions = new ArrayList<>();
                consumer.partitionsFor(topic)
                        .forEach(p -> partitions.add(new org.apache.kafka.common.TopicPartition(topic, p.partition())));
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
                while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                    for (var r : consumer.poll(Duration.ofMillis(500))) {
                        if (r.key() != null && r.key().endsWith("/" + sourceId)) {
                            lines += dev.logai.common.contract.LogBatchCodec.decode(r.value())
                                    .lines()
                                    .size();
                        }
                    }
                }
            }
            return lines;
        }
    }
}
