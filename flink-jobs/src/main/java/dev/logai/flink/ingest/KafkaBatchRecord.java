package dev.logai.flink.ingest;

/**
 * A Kafka record of the raw-lines topic before decoding. Decoding happens in {@link DecodeBatches}
 * rather than in the deserializer so an unreadable record becomes a dead letter with its reason
 * instead of failing the source.
 */
public class KafkaBatchRecord {
    public String topic;
    public int partition;
    public long offset;
    public byte[] value;
    /** The source's {@code parser_hint} from the record's header, or null. */
    public String parserHint;
    /**
     * The W3C {@code traceparent} the gateway put on the record (its request's trace), or null: the
     * trace the pipeline's LLM and alert-delivery spans continue ({@link dev.logai.flink.runtime.JobTracing}).
     */
    public String traceParent;

    public KafkaBatchRecord() {}

    public KafkaBatchRecord(String topic, int partition, long offset, byte[] value) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.value = value;
    }

    public String origin() {
        return "kafka:" + topic + "/" + partition + "@" + offset;
    }
}
