package dev.logai.common.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogBatchCodecTest {
    private static LogBatch sample() {
        return new LogBatch(
                "org_a",
                "src_b",
                "batch-1",
                1_700_000_000_123L,
                LogBatch.PayloadFormat.NDJSON,
                List.of(
                        RawLine.of("{\"msg\":\"héllo\"}"),
                        new RawLine(new byte[] {'a', (byte) 0xFF, 'b'}, true),
                        RawLine.of("")));
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
    void rejectsEveryTruncationOfAValidRecord() {
        byte[] encoded = LogBatchCodec.encode(sample());
        for (int cut = 0; cut < encoded.length; cut++) {
            byte[] prefix = Arrays.copyOf(encoded, cut);
            assertThatThrownBy(() -> LogBatchCodec.decode(prefix))
                    .isInstanceOf(LogBatchCodec.MalformedBatchException.class);
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
}
