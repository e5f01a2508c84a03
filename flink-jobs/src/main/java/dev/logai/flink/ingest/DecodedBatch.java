package dev.logai.flink.ingest;

import dev.logai.common.contract.LogBatch;

/**
 * One gateway batch after {@link DecodeBatches}, with the Kafka record it came from: what {@link
 * DropRetriedBatches} judges before the batch becomes {@link LogLine}s. A Flink POJO (the batch is
 * a record of POJO fields), so it travels without Kryo.
 */
public class DecodedBatch {
    /** The Kafka record, e.g. {@code kafka:logai.raw-lines/3@1234}: the origin of its dead letter. */
    public String origin;

    public LogBatch batch;
    /** The source's {@code parser_hint} when the batch was accepted, or null. */
    public String parserHint;
    /**
     * The upload the batch was read from ({@code upl_…}), or null for a batch the gateway accepted
     * from a stream. An upload's object is already the raw archive of its lines.
     */
    public String uploadId;
    /** The request's W3C {@code traceparent} from the Kafka record, or null. */
    public String traceParent;

    public DecodedBatch() {}

    public DecodedBatch(String origin, LogBatch batch) {
        this.origin = origin;
        this.batch = batch;
    }
}
