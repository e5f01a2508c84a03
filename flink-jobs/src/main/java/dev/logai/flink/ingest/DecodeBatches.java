package dev.logai.flink.ingest;

import dev.logai.common.contract.LogBatch;
import dev.logai.common.contract.LogBatchCodec;
import dev.logai.common.contract.RawLine;
import dev.logai.flink.deadletter.DeadLetter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Unpacks gateway batches into lines; records that are not readable batches become dead letters. */
public class DecodeBatches extends ProcessFunction<KafkaBatchRecord, LogLine> {
    public static final OutputTag<DeadLetter> UNREADABLE = new OutputTag<>("unreadable-batches") {};

    @Override
    public void processElement(KafkaBatchRecord record, Context ctx, Collector<LogLine> out) {
        LogBatch batch;
        try {
            batch = LogBatchCodec.decode(record.value);
        } catch (LogBatchCodec.MalformedBatchException e) {
            ctx.output(
                    UNREADABLE,
                    new DeadLetter(
                            "unreadable batch: " + e.getMessage(),
                            record.origin(),
                            null,
                            null,
                            record.value == null ? new byte[0] : record.value));
            return;
        }
        boolean ndjson = batch.format() == LogBatch.PayloadFormat.NDJSON;
        for (RawLine line : batch.lines()) {
            out.collect(new LogLine(
                    batch.orgId(), batch.sourceId(), batch.receivedAtMillis(), line.bytes(), line.truncated(), ndjson));
        }
    }
}
