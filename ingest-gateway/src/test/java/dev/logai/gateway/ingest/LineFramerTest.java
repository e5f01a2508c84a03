package dev.logai.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.common.contract.RawLine;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineFramerTest {
    private static List<RawLine> frame(int max, String body) throws Exception {
        List<RawLine> lines = new ArrayList<>();
        new LineFramer(max)
                .frame(
                        new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)),
                        (buffer, length, truncated) ->
                                lines.add(new RawLine(Arrays.copyOf(buffer, length), truncated)));
        return lines;
    }

    @Test
    void splitsOnLfDropsCrAndSkipsBlankLines() throws Exception {
        List<RawLine> lines = frame(100, "a\r\nb\n\n  \r\nc");
        assertThat(lines).extracting(RawLine::text).containsExactly("a", "b", "c");
        assertThat(lines).noneMatch(RawLine::truncated);
    }

    @Test
    void truncatesLongLinesAndKeepsTheNextOne() throws Exception {
        List<RawLine> lines = frame(16, "x".repeat(100) + "\nshort");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).text()).isEqualTo("x".repeat(16));
        assertThat(lines.get(0).truncated()).isTrue();
        assertThat(lines.get(1).text()).isEqualTo("short");
        assertThat(lines.get(1).truncated()).isFalse();
    }

    @Test
    void neverCutsInsideAUtf8Character() throws Exception {
        // 15 ASCII bytes then a 3-byte character: a 16-byte cut would split it
        List<RawLine> lines = frame(16, "a".repeat(15) + "€€€");
        assertThat(lines.get(0).text()).isEqualTo("a".repeat(15));
        assertThat(lines.get(0).truncated()).isTrue();
        List<RawLine> four = frame(16, "a".repeat(14) + "😀x");
        assertThat(four.get(0).text()).isEqualTo("a".repeat(14));
    }

    @Test
    void handlesLinesSpanningReadBuffers() throws Exception {
        String longLine = "y".repeat(200_000);
        List<RawLine> lines = frame(300_000, longLine + "\n" + longLine);
        assertThat(lines).extracting(RawLine::text).containsExactly(longLine, longLine);
    }
}
