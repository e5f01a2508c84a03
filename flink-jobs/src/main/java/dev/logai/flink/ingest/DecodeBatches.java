package dev.logai.flink.ingest;

import dev.logai.common.contract.LogBatch;
import dev.logai.common.contract.LogBatchCodec;
import dev.logai.flink.deadletter.DeadLetter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Kafka records → gateway batches ({@link LogBatchCodec}, versions 1 and 2); records that are not
 * readable batches become dead letters with the codec's reason on {@link #UNREADABLE}. Batches stay
 * whole here so a retried request can be dropped as one ({@link DropRetriedBatches}) before its
 * lines are counted.
 */
public class DecodeBatches extends ProcessFunction<KafkaBatchRecord, DecodedBatch> {
    public static final OutputTag<DeadLetter> UNREADABLE = new OutputTag<>("unreadable-batches") {};

    @Override
    public void processElement(KafkaBatchRecord record, Context ctx, Collector<DecodedBatch> out) {
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
        DecodedBatch decoded = new DecodedBatch(record.origin(), batch);
        decoded.parserHint = record.parserHint;
        decoded.traceParent = record.traceParent;
        out.collect(decoded);
    }
}
