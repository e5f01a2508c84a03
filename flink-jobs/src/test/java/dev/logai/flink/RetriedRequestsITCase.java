package dev.logai.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.common.contract.Topics;
import dev.logai.flink.ingest.DropRetriedBatches;
import dev.logai.flink.support.PipelineHarness;
import dev.logai.flink.support.PipelineHarness.WindowRow;
import dev.logai.localstack.LocalStack;
import dev.logai.localstack.SharedLocalStack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client retry end to end: the same request sent twice through the real gateway counts once in
 * {@code window_stats} when both carry the same {@code Idempotency-Key} (the retry goes to the
 * dead-letter topic), and twice without the header.
 */
class RetriedRequestsITCase {
    static final LocalStack stack = SharedLocalStack.get(true);

    @RegisterExtension
    static final MiniClusterExtension FLINK = PipelineHarness.miniCluster();

    static PipelineHarness harness;

    @BeforeAll
    static void services() throws Exception {
        harness = new PipelineHarness(stack);
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    static final Instant WINDOW = Instant.parse("2024-05-01T10:00:00Z");

    /** Three lines in the window [10:00, 10:01): one error. */
    static final byte[] REQUEST = String.join(
                    "\n",
                    "2024-05-01T10:00:05Z INFO order 17 placed",
                    "2024-05-01T10:00:10Z ERROR payment 17 declined",
                    "2024-05-01T10:00:20Z INFO order 17 shipped")
            .getBytes(StandardCharsets.UTF_8);

    /** A later line, so event time moves past the window and it completes. */
    static final byte[] LATER = "2024-05-01T10:05:00Z INFO heartbeat".getBytes(StandardCharsets.UTF_8);

    @Test
    void aRetryWithTheSameIdempotencyKeyCountsOnceAndWithoutItTwice() throws Exception {
        LocalStack.Tenant keyed = stack.createTenant("retry-keyed", "checkout");
        LocalStack.Tenant unkeyed = stack.createTenant("retry-unkeyed", "checkout");
        JobClient job = harness.startJob(harness.settings());
        try {
            Map<String, String> key = Map.of("Idempotency-Key", "order-17-batch-1");
            for (int attempt = 0; attempt < 2; attempt++) {
                assertThat(harness.post(keyed, "text/plain", REQUEST, false, key)
                                .statusCode())
                        .isEqualTo(202);
                assertThat(harness.post(unkeyed, "text/plain", REQUEST, false).statusCode())
                        .isEqualTo(202);
            }
            for (LocalStack.Tenant tenant : List.of(keyed, unkeyed)) {
                assertThat(harness.post(tenant, "text/plain", LATER, false).statusCode())
                        .isEqualTo(202);
            }

            PipelineHarness.await(
                    "the window complete for both sources",
                    Duration.ofSeconds(30),
                    () -> isFinal(keyed) && isFinal(unkeyed),
                    () -> "keyed=" + rows(keyed) + " unkeyed=" + rows(unkeyed));
            assertThat(rows(keyed).get(WINDOW))
                    .as("the retry with the same key is not counted")
                    .isEqualTo(new WindowRow(WINDOW, 3, 2, 0, 1, 0, 1.0 / 3, true));
            assertThat(rows(unkeyed).get(WINDOW))
                    .as("without the header, the retry counts twice")
                    .isEqualTo(new WindowRow(WINDOW, 6, 4, 0, 2, 0, 2.0 / 6, true));

            assertThat(deadLetters())
                    .as("the dropped retry, with its reason, keyed by org/source")
                    .containsExactly(DropRetriedBatches.REASON + " " + keyed.orgId() + "/" + keyed.sourceId());
        } finally {
            job.cancel().get();
        }
    }

    private static boolean isFinal(LocalStack.Tenant tenant) {
        WindowRow row = rows(tenant).get(WINDOW);
        return row != null && row.isFinal();
    }

    private static Map<Instant, WindowRow> rows(LocalStack.Tenant tenant) {
        try {
            return harness.windows(tenant);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every dead letter as "reason key"; the job has checkpointed by now, so they are committed. */
    private static List<String> deadLetters() {
        List<String> letters = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        stack.kafka.bootstrapServers(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "dlq-reader-" + System.nanoTime()),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(harness.deadLetterTopic));
            long deadline = System.currentTimeMillis() + 10_000;
            while (letters.isEmpty() && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    letters.add(new String(
                                    r.headers().lastHeader(Topics.HEADER_REASON).value(), StandardCharsets.UTF_8) + " "
                            + new String(r.key(), StandardCharsets.UTF_8));
                }
            }
        }
        return letters;
    }
}
