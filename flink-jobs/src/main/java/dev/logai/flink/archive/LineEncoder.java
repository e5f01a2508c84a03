package dev.logai.flink.archive;

import dev.logai.flink.ingest.LogLine;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.flink.api.common.serialization.Encoder;

/** Archives each line byte for byte as received (truncated lines as the gateway kept them), LF-terminated. */
public class LineEncoder implements Encoder<LogLine> {
    @Override
    public void encode(LogLine line, OutputStream out) throws IOException {
        out.write(line.raw);
        out.write('\n');
    }
}
