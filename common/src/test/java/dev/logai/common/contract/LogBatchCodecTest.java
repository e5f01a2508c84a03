package dev.logai.common.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogBatchCodecTest {
    private static final List<RawLine> LINES = List.of(
            RawLine.of("{\"msg\":\"héllo\"}"), new RawLine(new byte[] {'a', (byte) 0xFF, 'b'}, true), RawLine.of(""));

    private static LogBatch sample() {
        return new LogBatch("org_a", "src_b", "batch-1", 1_700_000_000_123L, LogBatch.PayloadFormat.NDJSON, LINES);
    }

    private static LogBatch keyed(String idempotencyKey) {
        return new LogBatch(
                "org_a", "src_b", "batch-1", 1_700_000_000_123L, LogBatch.PayloadFormat.NDJSON, LINES, idempotencyKey);
    }

    @Test
    void roundTripsEveryField() throws Exception {
        LogBatch batch = sample();
        LogBatch decoded = LogBatchCodec.decode(LogBatchCodec.encode(batch));
        assertThat(decoded).isEqualTo(batch);
        assertThat(decoded.lines().get(1).truncated()).isTrue();
        assertThat(decoded.lines().get(0).text()).isEqualTo("{\"msg\":\"héllo\"}");
        assertThat(decoded.kafkaKey()).isEqualTo("org_a/src_b");
    }

    @Test
    void roundTripsTheIdempotencyKeyAndItsAbsence() throws Exception {
        LogBatch withKey = keyed("8e03978e-40d5-43e8-bc93-6894a57f9324");
        byte[] encoded = LogBatchCodec.encode(withKey);
        assertThat(encoded[2]).as("version").isEqualTo(LogBatchCodec.VERSION).isEqualTo((byte) 2);
        assertThat(LogBatchCodec.decode(encoded)).isEqualTo(withKey);
        assertThat(LogBatchCodec.decode(encoded).idempotencyKey()).isEqualTo("8e03978e-40d5-43e8-bc93-6894a57f9324");

        String longest = " \"~" + "k".repeat(IdempotencyKeys.MAX_LENGTH - 3);
        assertThat(LogBatchCodec.decode(LogBatchCodec.encode(keyed(longest))).idempotencyKey())
                .as("255 printable characters, spaces and quotes kept as sent")
                .isEqualTo(longest);

        byte[] unkeyed = LogBatchCodec.encode(sample());
        assertThat(unkeyed[2])
                .as("without a key, the version-1 layout: readers from before version 2 still read it")
                .isEqualTo((byte) 1);
        LogBatch withoutKey = LogBatchCodec.decode(unkeyed);
        assertThat(withoutKey).isEqualTo(sample());
        assertThat(withoutKey.idempotencyKey()).isNull();
    }

    @Test
    void stillDecodesVersionOneRecordsAsBatchesWithoutAKey() throws Exception {
        // Written field by field as the version-1 writer did, so the old layout is pinned here
        // rather than derived from the current encoder.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(new byte[] {'L', 'B', 1, 1});
            out.writeLong(1_700_000_000_123L);
            for (String id : List.of("org_a", "src_b", "batch-1")) {
                out.writeShort(id.length());
                out.writeBytes(id);
            }
            out.writeInt(LINES.size());
            for (RawLine line : LINES) {
                out.writeByte(line.truncated() ? 1 : 0);
                out.writeInt(line.bytes().length);
                out.write(line.bytes());
            }
        }
        LogBatch decoded = LogBatchCodec.decode(bytes.toByteArray());
        assertThat(decoded).isEqualTo(sample());
        assertThat(decoded.idempotencyKey()).isNull();
    }

    @Test
    void refusesInvalidIdempotencyKeysInBatchesAndRecords() {
        assertThatThrownBy(() -> keyed("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keyed("tab\there")).hasMessageContaining("printable ASCII");
        assertThatThrownBy(() -> keyed("k".repeat(256))).hasMessageContaining("255");

        // A record whose key was changed to a control character after it was written.
        byte[] encoded = LogBatchCodec.encode(keyed("abc"));
        int at = indexOf(encoded, "abc".getBytes(StandardCharsets.US_ASCII));
        encoded[at + 1] = 0x07;
        assertThatThrownBy(() -> LogBatchCodec.decode(encoded)).hasMessageContaining("invalid idempotency key");
    }

    @Test
    void rejectsEveryTruncationOfAValidRecord() {
        for (LogBatch batch : List.of(sample(), keyed("retry-42"))) {
            byte[] encoded = LogBatchCodec.encode(batch);
            for (int cut = 0; cut < encoded.length; cut++) {
                byte[] prefix = Arrays.copyOf(encoded, cut);
                assertThatThrownBy(() -> LogBatchCodec.decode(prefix))
                        .isInstanceOf(LogBatchCodec.MalformedBatchException.class);
            }
        }
    }

    @Test
    void explainsForeignAndFutureRecords() {
        assertThatThrownBy(() -> LogBatchCodec.decode("{\"not\":\"ours\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("bad magic");
        byte[] future = LogBatchCodec.encode(sample());
        future[2] = 9;
        assertThatThrownBy(() -> LogBatchCodec.decode(future)).hasMessageContaining("unsupported batch version 9");
        assertThatThrownBy(() -> LogBatchCodec.decode(null)).hasMessageContaining("tombstone");
        byte[] trailing = Arrays.copyOf(LogBatchCodec.encode(sample()), LogBatchCodec.encode(sample()).length + 1);
        assertThatThrownBy(() -> LogBatchCodec.decode(trailing)).hasMessageContaining("trailing");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
