package dev.logai.flink.ingest;

import dev.logai.common.contract.LogBatch;
import dev.logai.common.contract.RawLine;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** A batch → its lines, in order, each with the batch's org, source, receive time, format and parser hint. */
public class SplitIntoLines implements FlatMapFunction<DecodedBatch, LogLine> {
    @Override
    public void flatMap(DecodedBatch decoded, Collector<LogLine> out) {
        LogBatch batch = decoded.batch;
        boolean ndjson = batch.format() == LogBatch.PayloadFormat.NDJSON;
        for (RawLine line : batch.lines()) {
            LogLine l = new LogLine(
                    batch.orgId(), batch.sourceId(), batch.receivedAtMillis(), line.bytes(), line.truncated(), ndjson);
            l.parserHint = decoded.parserHint;
            l.uploadId = decoded.uploadId;
            l.traceParent = decoded.traceParent;
            out.collect(l);
        }
    }
}
