package dev.logai.common.contract;

/** Default Kafka topic names; every deployment can override them by settings. */
public final class Topics {
    private Topics() {}

    /** Accepted raw lines, one {@link LogBatch} per record, written by the gateway. */
    public static final String RAW_LINES = "logai.raw-lines";

    /** Records the pipeline could not read, with the reason in the {@code logai.reason} header. */
    public static final String DEAD_LETTER = "logai.dead-letter";

    /** Header names on dead-letter records. */
    public static final String HEADER_REASON = "logai.reason";
    public static final String HEADER_ORIGIN = "logai.origin";
}
