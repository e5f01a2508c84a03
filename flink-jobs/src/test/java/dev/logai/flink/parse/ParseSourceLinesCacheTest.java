package dev.logai.flink.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.ingest.LineSourceKey;
import dev.logai.flink.ingest.LogLine;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The bounded parser cache of {@link ParseSourceLines}: with room for one parser, three sources of
 * three formats sending in turn evict each other's parser on every line, and each is rebuilt from
 * its format in keyed state, so every record is parsed as with an unbounded cache.
 */
class ParseSourceLinesCacheTest {
    static final long T0 = 1_718_359_200_000L; // 2024-06-14T10:00:00Z

    @Test
    void evictedParsersAreRebuiltFromTheirFormat() throws Exception {
        ParseSourceLines bounded = new ParseSourceLines(1_000, 1_000, 1);
        List<String> evicting = run(bounded);
        assertThat(bounded.heapParserCount()).isEqualTo(1);

        ParseSourceLines unbounded = new ParseSourceLines(1_000, 1_000);
        List<String> cached = run(unbounded);
        assertThat(unbounded.heapParserCount()).isEqualTo(3);

        assertThat(evicting).hasSize(3 * 100).containsExactlyElementsOf(cached);
        assertThat(evicting.stream().map(r -> r.split(" ")[1]).distinct())
                .as("each source in its own format")
                .hasSize(3);
    }

    /** 100 lines from each of three sources, one line of each in turn; the records, described. */
    static List<String> run(ParseSourceLines function) throws Exception {
        List<String> out = new ArrayList<>();
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(function), new LineSourceKey(), Types.STRING)) {
            h.setProcessingTime(0);
            h.open();
            for (int i = 0; i < 100; i++) {
                String time = String.format("2024-06-14T10:%02d:%02d.000Z", i / 60, i % 60);
                h.processElement(new StreamRecord<>(LogLine.ofText(
                        "org_a",
                        "json",
                        T0,
                        "{\"ts\":\"" + time + "\",\"level\":\"" + (i % 10 == 0 ? "error" : "info")
                                + "\",\"msg\":\"order " + i + " placed\",\"service\":\"shop\"}")));
                h.processElement(new StreamRecord<>(LogLine.ofText(
                        "org_a",
                        "logfmt",
                        T0,
                        "ts=" + time + " level=" + (i % 10 == 0 ? "error" : "info") + " msg=\"job " + i
                                + " ran\" took=12ms")));
                h.processElement(new StreamRecord<>(LogLine.ofText(
                        "org_a",
                        "text",
                        T0,
                        String.format(
                                "2024-06-14 10:%02d:%02d,000 %s [main] com.acme.Worker: processed item %d",
                                i / 60, i % 60, i % 10 == 0 ? "ERROR" : "INFO", i))));
            }
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            for (LogRecord r : h.extractOutputValues()) {
                out.add(r.sourceId + " " + r.format + " " + r.ts + " " + r.tsFromLine + " " + r.level + " " + r.service
                        + " " + r.message + " " + new TreeMap<>(r.attributes) + " " + r.flags + " " + r.lineFitsFormat);
            }
        }
        return out;
    }
}
