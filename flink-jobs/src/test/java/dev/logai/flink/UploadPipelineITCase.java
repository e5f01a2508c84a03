package dev.logai.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.logai.common.tenancy.OrgProvisioning;
import dev.logai.flink.support.IncidentLogs;
import dev.logai.flink.support.PipelineHarness;
import dev.logai.flink.support.ServiceProcess;
import dev.logai.localstack.EmbeddedS3;
import dev.logai.localstack.LocalStack;
import dev.logai.localstack.SharedLocalStack;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Uploads end to end, through the real gateway and query API (their jars), s3proxy (the file PUT
 * over HTTP to the pre-signed URL), Kafka, the job on a MiniCluster (parallelism 2) and Postgres: a
 * three-hour gzip file with an incident gives exact window counts, anomalies, a summary and one
 * alert at a local webhook; a plain file read while the job fails over mid-file still gives exact
 * counts; every bad input gets its answer (a problem from the gateway, or a failed upload with the
 * reason), and nothing of an upload is archived twice.
 */
class UploadPipelineITCase {
    static final LocalStack stack = SharedLocalStack.get(true);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String UPLOADS_TOPIC = "it-uploads-" + UUID.randomUUID();
    static final long MAX_FILE = 32L * 1024 * 1024;

    @RegisterExtension
    static final MiniClusterExtension FLINK = PipelineHarness.miniCluster();

    static PipelineHarness harness;
    static ServiceProcess queryApi;
    static HttpServer receiver;
    static final List<String> alerts = new CopyOnWriteArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void services() throws Exception {
        stack.kafka.createTopics(2, UPLOADS_TOPIC);
        harness = new PipelineHarness(
                stack,
                2,
                Map.of(
                        "LOGAI_S3_ENDPOINT",
                        stack.s3.endpoint(),
                        "LOGAI_S3_ACCESS_KEY",
                        EmbeddedS3.ACCESS_KEY,
                        "LOGAI_S3_SECRET_KEY",
                        EmbeddedS3.SECRET_KEY,
                        "LOGAI_S3_BUCKET",
                        LocalStack.RAW_BUCKET,
                        "LOGAI_KAFKA_UPLOADS_TOPIC",
                        UPLOADS_TOPIC,
                        "LOGAI_UPLOAD_MAX_FILE_BYTES",
                        Long.toString(MAX_FILE),
                        "LOGAI_UPLOAD_URL_TTL",
                        "5s",
                        "LOGAI_UPLOAD_HEAD_ATTEMPTS",
                        "2",
                        "LOGAI_UPLOAD_HEAD_RETRY_DELAY",
                        "100ms"));
        Map<String, String> env = new HashMap<>(PipelineHarness.serviceEnvironment(stack));
        env.put("LOGAI_KAFKA_ALERT_RULES_TOPIC", harness.rulesTopic);
        env.put("LOGAI_ALERTS_ALLOW_PRIVATE_TARGETS", "true");
        queryApi = ServiceProcess.start("logai.query-api.jar", "LOGAI_API_PORT", env);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            alerts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        // Fails the chunk row of one upload past 300 kB while the flag row exists: the job fails
        // over mid-file, deterministically.
        try (Connection c = stack.ownerConnection();
                Statement s = c.createStatement()) {
            s.execute("create table if not exists it_fail_upload (upload_id text primary key)");
            s.execute("create or replace function it_fail_chunk() returns trigger language plpgsql as $$"
                    + " begin if new.\"offset\" >= 300000 and exists (select 1 from it_fail_upload f"
                    + " where f.upload_id = new.upload_id) then raise exception 'it: chunk writes refused'; end if;"
                    + " return new; end $$");
            s.execute("drop trigger if exists it_fail_chunk on chunk");
            s.execute("create trigger it_fail_chunk before insert or update on chunk for each row"
                    + " execute function it_fail_chunk()");
            s.execute("grant select on it_fail_upload to " + LocalStack.APP_ROLE);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        try (Connection c = stack.ownerConnection();
                Statement s = c.createStatement()) {
            s.execute("drop trigger if exists it_fail_chunk on chunk");
        }
        receiver.stop(0);
        queryApi.close();
        harness.close();
    }

    @Test
    void uploadsAreAnalysedExactlyOnceAndBadInputIsAnswered(@InjectMiniCluster MiniCluster cluster) throws Exception {
        LocalStack.Tenant tenant = stack.createTenant("uploads", "batch-file");
        String failoverSource = createSource(tenant, "failover-file");
        LocalStack.Tenant other = stack.createTenant("uploads-other", "theirs");

        // Refusals that need no job: each a problem+json naming what to do.
        badRequestsAreAnswered(tenant, other);

        apiRequest(
                tenant,
                "POST",
                "/v1/alert-rules",
                "{\"name\": \"Batch errors\", \"source_id\": \"" + tenant.sourceId() + "\", \"condition\": {\"metric\":"
                        + " \"error_rate\", \"op\": \">\", \"threshold\": 0.25, \"window\": \"1m\", \"sustained\": 1},"
                        + " \"channels\": {\"webhook\": [\"http://127.0.0.1:"
                        + receiver.getAddress().getPort()
                        + "/hook\"]}, \"page_max_age\": \"off\"}",
                201);

        Configuration settings = harness.settings();
        settings.setString(PipelineOptions.KAFKA_UPLOADS_TOPIC.key(), UPLOADS_TOPIC);
        settings.setString(PipelineOptions.UPLOAD_CHUNK_SIZE.key(), "64kb");
        settings.setString("logai.alerts.allow-private-targets", "true");
        JobClient job = harness.startJob(settings);
        try {
            // A three-hour file, gzip: 170 clean minutes, a deploy, a 5-minute incident.
            Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(6));
            List<String> incident = IncidentLogs.generate(18, start, 170, 5, 100);
            byte[] gz = gzip(String.join("\n", incident).getBytes(StandardCharsets.UTF_8));
            String mainId = upload(tenant, tenant.sourceId(), "incident.log.gz", gz);

            // A plain two-hour file on another source, read while the job fails over mid-file.
            List<String> plain = IncidentLogs.generate(19, start, 120, 0, 60);
            byte[] plainBytes = (String.join("\n", plain) + "\n").getBytes(StandardCharsets.UTF_8);
            String failoverId = uploadUrlAndPut(tenant, failoverSource, "plain.log", plainBytes);
            try (Connection c = stack.ownerConnection();
                    Statement s = c.createStatement()) {
                s.execute("insert into it_fail_upload values ('" + failoverId + "')");
            }
            register(tenant, failoverSource, failoverId, plainBytes, 202);
            PipelineHarness.await(
                    "the job to fail over mid-file", Duration.ofSeconds(90), () -> failedOver(cluster, job));
            try (Connection c = stack.ownerConnection();
                    Statement s = c.createStatement()) {
                s.execute("delete from it_fail_upload");
            }

            // The bad files: each ends processed or failed with its reason.
            Map<String, String> bad = badFiles(tenant, start);

            awaitStatus(tenant, mainId, "processed");
            awaitStatus(tenant, failoverId, "processed");
            assertExactWindows(tenant, tenant.sourceId(), incident);
            assertExactWindows(tenant, failoverSource, plain);

            JsonNode detail = apiRequest(tenant, "GET", "/v1/uploads/" + mainId, null, 200);
            assertThat(detail.at("/upload/line_count").asLong()).isEqualTo(incident.size());
            assertThat(detail.at("/upload/bytes_read").asLong()).isEqualTo(gz.length);
            assertThat(Instant.parse(detail.at("/upload/ts_start").asText())).isEqualTo(start.plusMillis(1));
            long chunkLines = 0;
            for (JsonNode chunk : detail.get("chunks"))
                chunkLines += chunk.get("line_count").asLong();
            assertThat(chunkLines).isEqualTo(incident.size());
            assertThat(detail.get("chunk_count").asLong()).isGreaterThan(3);
            PipelineHarness.await(
                    "anomalies and a summary of the incident",
                    Duration.ofSeconds(60),
                    () -> {
                        JsonNode r = apiRequestQuietly(tenant, "/v1/uploads/" + mainId);
                        return r.at("/results/anomalies").asLong() > 0
                                && !r.at("/results/summaries").isEmpty();
                    },
                    () -> apiRequestQuietly(tenant, "/v1/uploads/" + mainId).toString());
            PipelineHarness.await("the alert", Duration.ofSeconds(60), () -> !alerts.isEmpty());
            Thread.sleep(2_000);
            assertThat(alerts).as("one alert, across the failover").hasSize(1);
            JsonNode alert = JSON.readTree(alerts.get(0));
            assertThat(alert.get("status").asText()).isEqualTo("firing");
            assertThat(alert.get("top_lines").toString()).contains(IncidentLogs.INJECTED_EXCEPTION);

            JsonNode listed = apiRequest(
                    tenant, "GET", "/v1/uploads?source_id=" + tenant.sourceId() + "&status=processed", null, 200);
            assertThat(listed.get("items").findValuesAsText("id")).containsExactly(mainId);
            apiRequest(other, "GET", "/v1/uploads/" + mainId, null, 404);
            assertThat(apiRequest(other, "GET", "/v1/uploads", null, 200).get("items"))
                    .as("another org sees none of them")
                    .isEmpty();
            assertThat(harness.archive(tenant))
                    .as("an uploaded object is its own archive")
                    .isEmpty();

            bad.put(registeredTwice, "twice");
            assertBadFiles(tenant, bad);

            liveLinesKeepTheirLatencyBesideABigUpload(tenant, other, start);
        } finally {
            job.cancel().get();
        }
    }

    /**
     * Another org streams a line every 250 ms while a 200k-line file is read for this one: each live
     * line is counted in its window within seconds, as without the upload (early firing 1 s, the
     * sink's flush 200 ms here).
     */
    private void liveLinesKeepTheirLatencyBesideABigUpload(
            LocalStack.Tenant tenant, LocalStack.Tenant live, Instant start) throws Exception {
        List<String> big = IncidentLogs.generate(21, start, 400, 0, 500);
        byte[] body = (String.join("\n", big) + "\n").getBytes(StandardCharsets.UTF_8);
        String bigSource = createSource(tenant, "big-file");
        String bigId = uploadUrlAndPut(tenant, bigSource, "big.log", body);
        postLive(live, 1);
        PipelineHarness.await("the live source's first line", Duration.ofSeconds(30), () -> liveLines(live) >= 1);
        register(tenant, bigSource, bigId, body, 202);
        List<Long> latencies = new ArrayList<>();
        for (int i = 2;
                !"processed"
                                .equals(apiRequestQuietly(tenant, "/v1/uploads/" + bigId)
                                        .at("/upload/status")
                                        .asText())
                        || latencies.size() < 5;
                i++) {
            long sent = System.nanoTime();
            postLive(live, i);
            int expected = i;
            PipelineHarness.await("live line " + i, Duration.ofSeconds(30), () -> liveLines(live) >= expected);
            latencies.add((System.nanoTime() - sent) / 1_000_000);
            Thread.sleep(250);
        }
        org.slf4j.LoggerFactory.getLogger(UploadPipelineITCase.class)
                .info("Live line latencies while a {}-line file was read (ms): {}", big.size(), latencies);
        assertThat(latencies).allSatisfy(ms -> assertThat(ms).isLessThan(10_000));
    }

    private void postLive(LocalStack.Tenant live, int i) throws Exception {
        HttpResponse<String> r = http.send(
                live.streamRequest(
                                harness.gateway.url(),
                                IncidentLogs.line(Instant.now(), "INFO  [api] live " + i)
                                        .getBytes(StandardCharsets.UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    private static long liveLines(LocalStack.Tenant live) {
        return windows(live).values().stream()
                .mapToLong(PipelineHarness.WindowRow::lines)
                .sum();
    }

    /** Uploads the bad files (each to its own source); upload id → what it is. */
    private Map<String, String> badFiles(LocalStack.Tenant tenant, Instant start) throws Exception {
        Map<String, String> ids = new HashMap<>();
        byte[] binary = new byte[4096];
        new java.util.Random(3).nextBytes(binary);
        binary[100] = 0;
        ids.put(upload(tenant, createSource(tenant, "binary"), "core.dump", binary), "binary");

        List<String> lines = IncidentLogs.generate(20, start, 30, 0, 200);
        byte[] full = gzip(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
        byte[] truncated = Arrays.copyOf(full, full.length / 2);
        ids.put(upload(tenant, createSource(tenant, "truncated"), "cut.log.gz", truncated), "truncated gzip");

        ByteArrayOutputStream longLine = new ByteArrayOutputStream();
        longLine.write((IncidentLogs.line(start, "INFO  [api] before") + "\n").getBytes(StandardCharsets.UTF_8));
        longLine.write(
                IncidentLogs.line(start.plusSeconds(1), "INFO  [api] blob ").getBytes(StandardCharsets.UTF_8));
        longLine.write("x".repeat(10 * 1024 * 1024).getBytes(StandardCharsets.UTF_8));
        longLine.write(("\n" + IncidentLogs.line(start.plusSeconds(2), "INFO  [api] after") + "\n")
                .getBytes(StandardCharsets.UTF_8));
        ids.put(upload(tenant, createSource(tenant, "long-line"), "long.log", longLine.toByteArray()), "long");

        ByteArrayOutputStream invalid = new ByteArrayOutputStream();
        invalid.write((IncidentLogs.line(start, "INFO  [api] caf") + "\n").getBytes(StandardCharsets.UTF_8));
        invalid.write(
                IncidentLogs.line(start.plusSeconds(1), "WARN  [api] bad ").getBytes(StandardCharsets.UTF_8));
        invalid.write(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, '\n'});
        ids.put(upload(tenant, createSource(tenant, "latin1"), "latin1.log", invalid.toByteArray()), "utf8");
        return ids;
    }

    private void assertBadFiles(LocalStack.Tenant tenant, Map<String, String> ids) throws Exception {
        for (Map.Entry<String, String> e : ids.entrySet()) {
            String status =
                    e.getValue().equals("binary") || e.getValue().equals("truncated gzip") ? "failed" : "processed";
            JsonNode u = awaitStatus(tenant, e.getKey(), status).get("upload");
            switch (e.getValue()) {
                case "binary" -> {
                    assertThat(u.get("failure_reason").asText()).contains("not a text log");
                    assertThat(u.get("line_count").asLong()).isZero();
                }
                case "truncated gzip" -> {
                    assertThat(u.get("failure_reason").asText()).contains("gzip data is corrupt or cut short");
                    assertThat(u.get("line_count").asLong()).isGreaterThan(1000);
                    assertThat(u.get("failure_offset").asLong()).isGreaterThan(0);
                }
                case "long" -> {
                    assertThat(u.get("line_count").asLong()).isEqualTo(3);
                    assertThat(u.get("truncated_lines").asLong()).isEqualTo(1);
                }
                case "twice" ->
                    assertThat(u.get("line_count").asLong()).as("read once").isEqualTo(1);
                default -> assertThat(u.get("line_count").asLong()).isEqualTo(2);
            }
        }
    }

    private void badRequestsAreAnswered(LocalStack.Tenant tenant, LocalStack.Tenant other) throws Exception {
        byte[] body = "2024-01-01T00:00:00Z INFO hello\n".getBytes(StandardCharsets.UTF_8);
        String sha = sha256(body);
        // zero bytes, too large, no such source, another org's source
        assertProblem(uploadUrl(tenant, tenant.sourceId(), "empty.log", 0, sha), 400, "empty");
        assertProblem(uploadUrl(tenant, tenant.sourceId(), "big.log", MAX_FILE + 1, sha), 413, "at most");
        assertProblem(uploadUrl(tenant, other.sourceId(), "x.log", body.length, sha), 404, "does not exist");
        // a key without the ingest scope
        String readOnly = readOnlyKey(tenant);
        HttpResponse<String> noScope = post(
                readOnly,
                "/v1/logs/upload-url",
                "{\"source_id\": \"" + tenant.sourceId() + "\", \"filename\": \"a.log\", \"size\": 3, \"sha256\": \""
                        + sha + "\"}");
        assertProblem(noScope, 403, "ingest");

        // the PUT: another size or another body than signed is refused by S3 itself
        JsonNode url = JSON.readTree(
                uploadUrl(tenant, tenant.sourceId(), "a.log", body.length, sha).body());
        assertThat(put(url, Arrays.copyOf(body, body.length + 1)).statusCode()).isEqualTo(403);
        byte[] other256 = body.clone();
        other256[0] = '3';
        assertThat(put(url, other256).statusCode()).isBetween(400, 403);
        // never stored: register says so
        assertProblem(
                registerRaw(tenant, url.get("object_key").asText(), body.length, sha, tenant.sourceId()),
                404,
                "PUT the file");
        // register's own checks, each named
        assertProblem(
                registerRaw(tenant, url.get("object_key").asText(), body.length + 1, sha, tenant.sourceId()),
                422,
                "size");
        assertProblem(
                registerRaw(tenant, url.get("object_key").asText(), body.length, sha256(other256), tenant.sourceId()),
                422,
                "hash");
        assertProblem(
                registerRaw(other, url.get("object_key").asText(), body.length, sha, other.sourceId()),
                403,
                "outside your org");
        assertProblem(
                registerRaw(tenant, url.get("object_key").asText(), body.length, sha, "src_aaaaaaaa"),
                400,
                "register it with the source_id");
        assertProblem(registerRaw(tenant, "not/a/key", body.length, sha, tenant.sourceId()), 400, "upload key");
        // the URL expires: S3 refuses the PUT, register says to ask for a new one
        Thread.sleep(6_000);
        assertThat(put(url, body).statusCode()).isEqualTo(403);
        assertProblem(
                registerRaw(tenant, url.get("object_key").asText(), body.length, sha, tenant.sourceId()),
                404,
                "expired");
        // registered twice: once queued, then the same upload again (read once: see assertBadFiles)
        String twiceSource = createSource(tenant, "twice");
        JsonNode twice = JSON.readTree(
                uploadUrl(tenant, twiceSource, "twice.log", body.length, sha).body());
        assertThat(put(twice, body).statusCode()).isEqualTo(200);
        String key = twice.get("object_key").asText();
        HttpResponse<String> first = registerRaw(tenant, key, body.length, sha, twiceSource);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(JSON.readTree(first.body()).get("status").asText()).isEqualTo("queued");
        HttpResponse<String> again = registerRaw(tenant, key, body.length, sha, twiceSource);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(again.body()).get("already_registered").asBoolean())
                .isTrue();
        registeredTwice = twice.get("upload_id").asText();
    }

    private String registeredTwice;

    private void assertExactWindows(LocalStack.Tenant tenant, String sourceId, List<String> lines) throws Exception {
        Map<Instant, Long> expected = new TreeMap<>();
        for (String line : lines) {
            Instant minute = Instant.parse(line.substring(0, 10) + "T" + line.substring(11, 23) + "Z")
                    .truncatedTo(ChronoUnit.MINUTES);
            expected.merge(minute, 1L, Long::sum);
        }
        LocalStack.Tenant source = new LocalStack.Tenant(tenant.orgId(), sourceId, tenant.apiKey());
        PipelineHarness.await(
                "exact final windows of " + sourceId,
                Duration.ofSeconds(90),
                () -> {
                    Map<Instant, PipelineHarness.WindowRow> rows = windows(source);
                    for (Map.Entry<Instant, Long> e : expected.entrySet()) {
                        PipelineHarness.WindowRow row = rows.get(e.getKey());
                        if (row == null || !row.isFinal() || row.lines() != e.getValue()) return false;
                    }
                    return true;
                },
                () -> "windows " + windows(source).size() + " of " + expected.size());
        Map<Instant, PipelineHarness.WindowRow> rows = windows(source);
        Map<Instant, Long> actual = new TreeMap<>();
        for (Iterator<Instant> it = expected.keySet().iterator(); it.hasNext(); ) {
            Instant minute = it.next();
            actual.put(minute, rows.get(minute).lines());
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(rows.keySet()).containsAll(expected.keySet());
        assertThat(rows.values().stream()
                        .mapToLong(PipelineHarness.WindowRow::lines)
                        .sum())
                .as("no line counted twice or elsewhere")
                .isEqualTo(lines.size());
    }

    private static Map<Instant, PipelineHarness.WindowRow> windows(LocalStack.Tenant t) {
        try {
            return harness.windows(t);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // --- the three steps --------------------------------------------------------------------------

    private String upload(LocalStack.Tenant tenant, String sourceId, String filename, byte[] body) throws Exception {
        String id = uploadUrlAndPut(tenant, sourceId, filename, body);
        register(tenant, sourceId, id, body, 202);
        return id;
    }

    private final Map<String, String> keys = new HashMap<>();

    private String uploadUrlAndPut(LocalStack.Tenant tenant, String sourceId, String filename, byte[] body)
            throws Exception {
        HttpResponse<String> r = uploadUrl(tenant, sourceId, filename, body.length, sha256(body));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode url = JSON.readTree(r.body());
        assertThat(url.get("method").asText()).isEqualTo("PUT");
        HttpResponse<String> put = put(url, body);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        keys.put(url.get("upload_id").asText(), url.get("object_key").asText());
        return url.get("upload_id").asText();
    }

    private void register(LocalStack.Tenant tenant, String sourceId, String uploadId, byte[] body, int expected)
            throws Exception {
        HttpResponse<String> r = registerRaw(tenant, keys.get(uploadId), body.length, sha256(body), sourceId);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(expected);
    }

    private HttpResponse<String> uploadUrl(
            LocalStack.Tenant tenant, String sourceId, String filename, long size, String sha) throws Exception {
        return post(
                tenant.apiKey(),
                "/v1/logs/upload-url",
                "{\"source_id\": \"" + sourceId + "\", \"filename\": \"" + filename + "\", \"size\": " + size
                        + ", \"sha256\": \"" + sha + "\"}");
    }

    private HttpResponse<String> registerRaw(LocalStack.Tenant tenant, String key, long size, String sha, String source)
            throws Exception {
        return post(
                tenant.apiKey(),
                "/v1/logs/register-upload",
                "{\"object_key\": \"" + key + "\", \"size\": " + size + ", \"hash\": \"sha256:" + sha
                        + "\", \"source_id\": \"" + source + "\"}");
    }

    private HttpResponse<String> post(String apiKey, String path, String json) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(harness.gateway.url() + path))
                        .header("Authorization", "Bearer " + apiKey)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** PUTs {@code body} to a pre-signed URL with the headers it lists (the body sets Content-Length). */
    private HttpResponse<String> put(JsonNode url, byte[] body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url.get("url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        url.get("headers").fields().forEachRemaining(h -> {
            if (!h.getKey().equalsIgnoreCase("content-length")) {
                r.header(h.getKey(), h.getValue().asText());
            }
        });
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode awaitStatus(LocalStack.Tenant tenant, String uploadId, String status) throws Exception {
        PipelineHarness.await(
                "upload " + uploadId + " " + status,
                Duration.ofSeconds(120),
                () -> status.equals(apiRequestQuietly(tenant, "/v1/uploads/" + uploadId)
                        .at("/upload/status")
                        .asText()),
                () -> apiRequestQuietly(tenant, "/v1/uploads/" + uploadId)
                        .get("upload")
                        .toString());
        return apiRequest(tenant, "GET", "/v1/uploads/" + uploadId, null, 200);
    }

    private JsonNode apiRequestQuietly(LocalStack.Tenant tenant, String path) {
        try {
            return apiRequest(tenant, "GET", path, null, 200);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode apiRequest(LocalStack.Tenant t, String method, String path, String body, int expected)
            throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(queryApi.url() + path))
                        .header("Authorization", "Bearer " + t.apiKey())
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(expected);
        return JSON.readTree(r.body());
    }

    private static void assertProblem(HttpResponse<String> r, int status, String detailContains) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(JSON.readTree(r.body()).get("detail").asText()).containsIgnoringCase(detailContains);
    }

    private static String createSource(LocalStack.Tenant tenant, String name) throws Exception {
        try (Connection c = stack.ownerConnection()) {
            c.setAutoCommit(false);
            String id = OrgProvisioning.createSource(c, tenant.orgId(), name, "production");
            c.commit();
            return id;
        }
    }

    private static String readOnlyKey(LocalStack.Tenant tenant) throws Exception {
        try (Connection c = stack.ownerConnection()) {
            c.setAutoCommit(false);
            OrgProvisioning.NewApiKey key = OrgProvisioning.createApiKey(c, tenant.orgId(), "read-only");
            try (Statement s = c.createStatement()) {
                s.execute("update api_key set scopes = '{read}' where id = '" + key.id() + "'");
            }
            c.commit();
            return key.plaintext();
        }
    }

    private static boolean failedOver(MiniCluster cluster, JobClient job) {
        try {
            var failure = cluster.getExecutionGraph(job.getJobID()).get().getFailureInfo();
            return failure != null && failure.getExceptionAsString().contains("chunk writes refused");
        } catch (Exception e) {
            return false;
        }
    }

    static String sha256(byte[] body) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    }

    static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
