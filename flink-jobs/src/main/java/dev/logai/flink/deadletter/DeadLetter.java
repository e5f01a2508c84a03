package dev.logai.flink.deadletter;

/**
 * Input the pipeline could not use, kept with the reason instead of failing the job or vanishing.
 * Written to the dead-letter topic: key {@code org/source} when known, the original bytes as value,
 * the reason and origin as headers.
 */
public class DeadLetter {
    public String reason;
    /** Where it came from, e.g. {@code kafka:logai.raw-lines/3@1234} or {@code late-window}. */
    public String origin;

    public String orgId;
    public String sourceId;
    public byte[] payload;

    public DeadLetter() {}

    public DeadLetter(String reason, String origin, String orgId, String sourceId, byte[] payload) {
        this.reason = reason;
        this.origin = origin;
        this.orgId = orgId;
        this.sourceId = sourceId;
        this.payload = payload;
    }
}
