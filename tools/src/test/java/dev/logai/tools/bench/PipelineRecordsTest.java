package dev.logai.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.common.contract.LogBatch;
import dev.logai.common.contract.LogBatchCodec;
import dev.logai.common.contract.RawLine;
import dev.logai.flink.ingest.LogLine;
import dev.logai.flink.parse.LogRecord;
import dev.logai.flink.parse.RecordParser;
import dev.logai.flink.parse.SourceParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The records of {@code ./logai bench pipeline}: what the benchmark claims about its input holds. */
class PipelineRecordsTest {
    private static final long END = Instant.parse("2026-06-15T12:00:00Z").toEpochMilli();
    private static final long HOUR = Duration.ofHours(1).toMillis();
    /** How far ahead of its receive time a line may claim to be before the parser distrusts it. */
    private static final long PARSER_MAX_FUTURE = Duration.ofMinutes(5).toMillis();

    @Test
    void atLeastTwentySourcesEachOnItsOwnClockSomeHoursOrDaysBehindOneAhead() {
        List<PipelineRecords.Source> sources = PipelineRecords.sources(42);

        assertThat(sources).hasSizeGreaterThanOrEqualTo(20);
        assertThat(sources.stream().map(s -> s.orgId() + "/" + s.sourceId()).distinct())
                .hasSameSizeAs(sources);
        assertThat(sources.stream().map(PipelineRecords.Source::orgId).distinct())
                .hasSizeGreaterThan(1);
        assertThat(sources.stream().map(PipelineRecords.Source::format).distinct())
                .containsExactlyInAnyOrder(PipelineRecords.Format.values());
        assertThat(sources).filteredOn(s -> s.skewMs() <= -HOUR).hasSizeGreaterThanOrEqualTo(3);
        assertThat(sources).filteredOn(s -> s.skewMs() <= -24 * HOUR).isNotEmpty();
        assertThat(sources)
                .filteredOn(s -> s.skewMs() > 0)
                .singleElement()
                .satisfies(s -> assertThat(s.skewMs()).isLessThan(PARSER_MAX_FUTURE));
    }

    @Test
    void batchesAreInGatewayOrderDecodeAndAddUpToTheTotals() throws Exception {
        List<PipelineRecords.Batch> batches = new ArrayList<>();
        PipelineRecords.Totals totals = PipelineRecords.generate(100_000, END, 7, batches::add);

        // a few percent more: stack traces and incidents come on top of the sources' rates
        assertThat(totals.lines()).isBetween(95_000L, 115_000L);
        assertThat(totals.batches()).isEqualTo(batches.size());
        assertThat(batches.stream().mapToLong(b -> b.batch().lines().size()).sum())
                .isEqualTo(totals.lines());
        assertThat(batches.stream().mapToLong(PipelineRecords.Batch::events).sum())
                .isEqualTo(totals.events());
        assertThat(totals.events()).isLessThan(totals.lines()); // stack traces
        assertThat(batches.stream()
                        .map(b -> b.batch().orgId() + "/" + b.batch().sourceId())
                        .distinct())
                .hasSize(PipelineRecords.SOURCES);

        long previous = Long.MIN_VALUE;
        for (PipelineRecords.Batch b : batches) {
            LogBatch batch = b.batch();
            assertThat(batch.receivedAtMillis())
                    .isGreaterThanOrEqualTo(previous)
                    .isLessThan(END + 10_000);
            previous = batch.receivedAtMillis();
            // a stack trace is never cut off: a batch may exceed the size by one trace
            assertThat(batch.lines().size()).isBetween(1, PipelineRecords.MAX_BATCH_LINES + 21);
            if (batch.receivedAtMillis() < END - 600_000) {
                assertThat(batch.lines().size()).isGreaterThanOrEqualTo(PipelineRecords.MIN_BATCH_LINES);
            }

            LogBatch decoded = LogBatchCodec.decode(LogBatchCodec.encode(batch));
            assertThat(decoded.orgId()).isEqualTo(batch.orgId());
            assertThat(decoded.sourceId()).isEqualTo(batch.sourceId());
            assertThat(decoded.idempotencyKey()).isEqualTo(batch.idempotencyKey());
            assertThat(decoded.format()).isEqualTo(batch.format());
            assertThat(decoded.lines().stream().map(PipelineRecordsTest::text))
                    .containsExactlyElementsOf(batch.lines().stream()
                            .map(PipelineRecordsTest::text)
                            .toList());
        }
    }

    @Test
    void retriesRepeatAnEarlierRequestOfTheirSourceWithItsKey() {
        List<PipelineRecords.Batch> batches = new ArrayList<>();
        PipelineRecords.Totals totals = PipelineRecords.generate(250_000, END, 7, batches::add);

        assertThat(totals.retriedBatches()).isPositive();
        Map<String, LogBatch> firstByKey = new HashMap<>();
        for (PipelineRecords.Batch b : batches) {
            String key = b.batch().idempotencyKey();
            if (b.retry()) {
                LogBatch first = firstByKey.get(key);
                assertThat(first).isNotNull();
                assertThat(b.batch().sourceId()).isEqualTo(first.sourceId());
                assertThat(b.batch().batchId()).isNotEqualTo(first.batchId());
                assertThat(b.batch().lines()).isEqualTo(first.lines());
            } else if (key != null) {
                assertThat(firstByKey.put(key, b.batch())).isNull();
            }
        }
    }

    /**
     * Parsed by the job's own parser, each source's lines carry its clock: the last timestamped line
     * of a request is its skew away from the request's receive time, give or take the shipping delay
     * (≤ 1.5 s), the disorder (≤ 0.2 s) and whole-second timestamps.
     */
    @Test
    void theJobsParserReadsEachSourceOnItsOwnClock() {
        List<PipelineRecords.Batch> batches = new ArrayList<>();
        PipelineRecords.generate(100_000, END, 7, batches::add);
        Map<String, PipelineRecords.Source> sources =
                PipelineRecords.sources(7).stream().collect(Collectors.toMap(PipelineRecords.Source::sourceId, s -> s));
        Map<String, SourceParser> parsers = new HashMap<>();
        Set<String> checked = new HashSet<>();
        for (PipelineRecords.Batch b : batches) {
            if (b.retry()) {
                continue; // received a few seconds after the first time
            }
            LogBatch batch = b.batch();
            SourceParser parser = parsers.computeIfAbsent(batch.sourceId(), id -> {
                SourceParser p = new SourceParser(new RecordParser(), null);
                p.learn(
                        batch.lines().stream()
                                .limit(SourceParser.LEARN_LINES)
                                .map(PipelineRecordsTest::text)
                                .toList(),
                        batch.receivedAtMillis());
                return p;
            });
            LogRecord last = null;
            for (RawLine line : batch.lines()) {
                LogRecord r = parser.parse(new LogLine(
                        batch.orgId(),
                        batch.sourceId(),
                        batch.receivedAtMillis(),
                        line.bytes(),
                        false,
                        batch.format() == LogBatch.PayloadFormat.NDJSON));
                if (r.tsFromLine) {
                    last = r;
                }
            }
            assertThat(last).as("a timestamped line in %s", batch.sourceId()).isNotNull();
            long offset = last.ts
                    - batch.receivedAtMillis()
                    - sources.get(batch.sourceId()).skewMs();
            assertThat(offset).as("%s: %s", batch.sourceId(), last.raw).isBetween(-3_000L, 0L);
            checked.add(batch.sourceId());
        }
        assertThat(checked).hasSize(PipelineRecords.SOURCES);
    }

    private static String text(RawLine line) {
        return new String(line.bytes(), StandardCharsets.UTF_8);
    }
}
