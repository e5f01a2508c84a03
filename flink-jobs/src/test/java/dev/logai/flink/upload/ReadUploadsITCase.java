package dev.logai.flink.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.common.contract.RawLine;
import dev.logai.common.contract.UploadKeys;
import dev.logai.flink.ingest.DecodedBatch;
import dev.logai.flink.sink.PostgresSettings;
import dev.logai.localstack.EmbeddedS3;
import dev.logai.localstack.LocalStack;
import dev.logai.localstack.SharedLocalStack;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@link ReadUploads} in Flink's operator harness against the real object store and Postgres: an
 * upload read a few steps, snapshotted, restored into a new operator and read to the end emits
 * every line exactly once, in order — for a plain object (resumed with a ranged GET) and a gzip one
 * (re-read and skipped to the offset) — and its chunk rows and totals match; a registration seen
 * twice is read once, and the state is gone once the upload is done.
 */
class ReadUploadsITCase {
    static final LocalStack stack = SharedLocalStack.get(true);

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aRestoreMidFileNeitherLosesNorDoublesALine(boolean gzip) throws Exception {
        LocalStack.Tenant tenant = stack.createTenant("read-uploads-" + gzip, "file");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            lines.add("2024-05-01T10:" + String.format("%02d:%02d", i / 600 % 60, i / 10 % 60) + "Z INFO request " + i
                    + " handled" + (i % 1000 == 0 ? "\r" : ""));
        }
        byte[] plain = (String.join("\n", lines) + "\n\n").getBytes(StandardCharsets.UTF_8);
        UploadTask task = register(tenant, gzip ? gzip(plain) : plain, gzip);
        UploadSettings settings = new UploadSettings(
                stack.s3.endpoint(),
                "us-east-1",
                EmbeddedS3.ACCESS_KEY,
                EmbeddedS3.SECRET_KEY,
                64 * 1024,
                65536,
                new PostgresSettings(stack.postgres.jdbcUrl(), LocalStack.APP_ROLE, stack.appPassword, 200, 100),
                "");

        List<String> read = new ArrayList<>();
        OperatorSubtaskState snapshot;
        try (var first = harness(settings)) {
            first.open();
            first.processElement(task, 0);
            first.processElement(task, 0); // registered twice: read once
            for (int t = 1; t <= 5; t++) {
                first.setProcessingTime(t);
            }
            read.addAll(lines(first.extractOutputValues()));
            assertThat(read).hasSizeBetween(1000, lines.size() - 1000);
            snapshot = first.snapshot(1, 5);
            // Steps after the snapshot are lost with this operator (as in a failover).
            first.setProcessingTime(6);
            first.setProcessingTime(7);
        }
        try (var second = harness(settings)) {
            second.initializeState(snapshot);
            second.open();
            for (long t = 6; t < 200 && !"processed".equals(status(task)); t++) {
                second.setProcessingTime(t);
            }
            read.addAll(lines(second.extractOutputValues()));
            assertThat(second.numKeyedStateEntries())
                    .as("nothing is kept of a finished upload but its id")
                    .isEqualTo(1);
        }
        List<String> expected = lines.stream().map(l -> l.replace("\r", "")).toList();
        assertThat(read).as("every line once, in order").isEqualTo(expected);
        assertThat(status(task)).isEqualTo("processed");
        try (Connection c = stack.ownerConnection();
                PreparedStatement ps = c.prepareStatement("select u.line_count, u.bytes_read, u.ts_start, u.ts_end,"
                        + " (select sum(line_count) from chunk k where k.upload_id = u.id),"
                        + " (select sum(length) from chunk k where k.upload_id = u.id) from upload u where u.id = ?")) {
            ps.setString(1, task.uploadId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(lines.size());
                assertThat(rs.getLong(2)).isEqualTo(task.size);
                assertThat(rs.getTimestamp(3).toInstant()).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
                assertThat(rs.getTimestamp(4).toInstant()).isEqualTo(Instant.parse("2024-05-01T10:49:59Z"));
                assertThat(rs.getLong(5)).isEqualTo(lines.size());
                assertThat(rs.getLong(6)).as("the chunks cover the lines").isEqualTo(plain.length);
            }
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, UploadTask, DecodedBatch> harness(
            UploadSettings settings) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ReadUploads(settings)), new UploadSourceKey(), Types.STRING);
    }

    private static List<String> lines(List<DecodedBatch> batches) {
        List<String> out = new ArrayList<>();
        for (DecodedBatch b : batches) {
            assertThat(b.uploadId).isNotNull();
            for (RawLine l : b.batch.lines()) out.add(l.text());
        }
        return out;
    }

    /** Stores the object and its queued upload row, as upload-url, the PUT and register-upload would. */
    private static UploadTask register(LocalStack.Tenant tenant, byte[] object, boolean gzip) throws Exception {
        UploadTask task = new UploadTask();
        task.uploadId = dev.logai.common.tenancy.Ids.newId("upl");
        task.orgId = tenant.orgId();
        task.sourceId = tenant.sourceId();
        task.bucket = LocalStack.RAW_BUCKET;
        task.objectKey = UploadKeys.of(tenant.orgId(), tenant.sourceId(), task.uploadId, Instant.now(), gzip);
        task.size = object.length;
        task.gzip = gzip;
        task.registeredAt = System.currentTimeMillis();
        try (S3Client s3 = dev.logai.flink.support.PipelineHarness.s3Client(stack)) {
            s3.putObject(b -> b.bucket(task.bucket).key(task.objectKey), RequestBody.fromBytes(object));
        }
        try (Connection c = stack.ownerConnection();
                PreparedStatement ps = c.prepareStatement("insert into upload (id, org_id, source_id, object_key, size,"
                        + " status) values (?, ?, ?, ?, ?, 'queued')")) {
            ps.setString(1, task.uploadId);
            ps.setString(2, task.orgId);
            ps.setString(3, task.sourceId);
            ps.setString(4, task.objectKey);
            ps.setLong(5, task.size);
            ps.executeUpdate();
        }
        return task;
    }

    private static String status(UploadTask task) {
        try (Connection c = stack.ownerConnection();
                PreparedStatement ps = c.prepareStatement("select status from upload where id = ?")) {
            ps.setString(1, task.uploadId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
