package dev.logai.flink.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logai.common.contract.RawLine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

class LineStreamTest {
    @Test
    void splitsLinesAndTracksTheOffsetAfterEach() throws IOException {
        byte[] text = "a\r\nbb\n\nccc".getBytes(StandardCharsets.UTF_8);
        LineStream lines = new LineStream(new ByteArrayInputStream(text), 0, 1024);
        assertThat(lines.next().text()).isEqualTo("a");
        assertThat(lines.position()).isEqualTo(3);
        assertThat(lines.next().text()).isEqualTo("bb");
        assertThat(lines.next().text()).isEmpty();
        assertThat(lines.next().text()).as("the last line needs no LF").isEqualTo("ccc");
        assertThat(lines.position()).isEqualTo(text.length);
        assertThat(lines.next()).isNull();
    }

    @Test
    void resumingAtAnOffsetGivesTheSameLinesAsReadingThrough() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20_000; i++) sb.append("line ").append(i).append('\n');
        byte[] text = sb.toString().getBytes(StandardCharsets.UTF_8);
        LineStream through = new LineStream(new ByteArrayInputStream(text), 0, 1024);
        for (int i = 0; i < 12_345; i++) through.next();
        long offset = through.position();
        LineStream resumed = new LineStream(
                new ByteArrayInputStream(Arrays.copyOfRange(text, (int) offset, text.length)), offset, 1024);
        List<RawLine> a = new ArrayList<>();
        List<RawLine> b = new ArrayList<>();
        for (RawLine l; (l = through.next()) != null; ) a.add(l);
        for (RawLine l; (l = resumed.next()) != null; ) b.add(l);
        assertThat(b).isEqualTo(a).hasSize(20_000 - 12_345);
        assertThat(resumed.position()).isEqualTo(through.position()).isEqualTo(text.length);
    }

    @Test
    void aLongLineIsCutAtACharacterBoundaryAndTheRestSkippedWithoutHoldingIt() throws IOException {
        String big = "é".repeat(3_000_000); // 6 MB of two-byte characters
        byte[] text = ("x\n" + big + "\ny\n").getBytes(StandardCharsets.UTF_8);
        LineStream lines = new LineStream(new ByteArrayInputStream(text), 0, 1001);
        assertThat(lines.next().text()).isEqualTo("x");
        RawLine cut = lines.next();
        assertThat(cut.truncated()).isTrue();
        assertThat(cut.bytes()).hasSize(1000);
        assertThat(cut.text()).isEqualTo("é".repeat(500));
        assertThat(lines.next().text()).isEqualTo("y");
    }

    @Test
    void aNulByteEarlyOnIsABinaryFile() {
        byte[] bytes = "ok line\nbin\0ary\n".getBytes(StandardCharsets.ISO_8859_1);
        LineStream lines = new LineStream(new ByteArrayInputStream(bytes), 0, 1024);
        assertThatThrownBy(() -> {
                    while (lines.next() != null) {}
                })
                .isInstanceOf(LineStream.BinaryContentException.class)
                .satisfies(e -> assertThat(((LineStream.BinaryContentException) e).offset)
                        .isEqualTo(11));
    }

    @Test
    void aTruncatedGzipKeepsThePositionOfTheLastCompleteLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 50_000; i++)
            sb.append("2024-01-01T00:00:00Z INFO line ").append(i).append('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        byte[] cut = Arrays.copyOf(out.toByteArray(), out.size() / 2);
        InputStream in = new GZIPInputStream(new ByteArrayInputStream(cut));
        LineStream lines = new LineStream(in, 0, 1024);
        long complete = 0;
        try {
            while (lines.next() != null) complete++;
            throw new AssertionError("a cut gzip stream must not end cleanly");
        } catch (EOFException expected) {
            // the lines before the cut were all read
        }
        assertThat(complete).isGreaterThan(1000);
        assertThat(lines.position())
                .isEqualTo(sb.substring(0, sb.indexOf("line " + complete + "\n") - 26)
                        .length());
    }

    @Test
    void utf8BoundaryNeverSplitsACharacter() {
        byte[] b = "aé€😀".getBytes(StandardCharsets.UTF_8); // 1 + 2 + 3 + 4 bytes
        assertThat(LineStream.utf8Boundary(b, 10)).isEqualTo(10);
        assertThat(LineStream.utf8Boundary(b, 9)).isEqualTo(6);
        assertThat(LineStream.utf8Boundary(b, 7)).isEqualTo(6);
        assertThat(LineStream.utf8Boundary(b, 5)).isEqualTo(3);
        assertThat(LineStream.utf8Boundary(b, 2)).isEqualTo(1);
    }

    @Test
    void stateAndTasksAreFlinkPojos() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(UploadTask.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(UploadProgress.class);
    }

    @Test
    void aLineWithoutEndOrABombIsRefusedAfterABoundedScan() {
        // 70 MiB of one line, produced on the fly: never held, refused once past the scan limit
        java.io.InputStream endless = new java.io.InputStream() {
            long left = 70L * 1024 * 1024;

            @Override
            public int read() {
                return left-- > 0 ? 'a' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) return -1;
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 'a');
                left -= n;
                return n;
            }
        };
        LineStream lines = new LineStream(endless, 0, 1024);
        org.assertj.core.api.Assertions.assertThatThrownBy(lines::next)
                .isInstanceOf(LineStream.TooLongException.class)
                .hasMessageContaining("a line longer than 64 MiB starts at byte 0");

        byte[] many = "x\n".repeat(100_000).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        LineStream capped = new LineStream(new ByteArrayInputStream(many), 0, 1024, 100_000);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
                    while (capped.next() != null) {}
                })
                .isInstanceOf(LineStream.TooLongException.class)
                .hasMessageContaining("the most this file may hold");
    }
}
