package dev.logai.flink.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.parse.LogRecord;
import dev.logai.flink.parse.RecordParser;
import dev.logai.flink.parse.SourceFormat;
import dev.logai.flink.parse.text.HeaderShape;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ./logai analyze --events}: one JSON object per event, with what was read of it. */
class EventLineTest {
    private static LogRecord parsed(String line) {
        LogRecord r = new LogRecord();
        r.sourceId = "app.log";
        new RecordParser().parse(SourceFormat.text(HeaderShape.NONE), line, 0, r);
        return r;
    }

    @Test
    void anEventShowsTheDurationReadFromItsText() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        EventLine.print(
                List.of(parsed("INFO request completed in 12ms"), parsed("INFO retrying in 5s")),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).contains("\"duration_ms\":12.0");
        assertThat(lines[1]).contains("\"duration_ms\":null");
    }
}
