package dev.logai.common.contract;

/** Default Kafka topic names; every deployment can override them by settings. */
public final class Topics {
    private Topics() {}

    /**
     * Accepted raw lines, one {@link LogBatch} per record, written by the gateway; the source's
     * {@code parser_hint}, when it has one, in the {@link #HEADER_PARSER_HINT} header (UTF-8).
     */
    public static final String RAW_LINES = "logai.raw-lines";

    /** Header on raw-lines records: the source's {@code parser_hint} when the batch was accepted. */
    public static final String HEADER_PARSER_HINT = "logai.parser-hint";

    /**
     * Header on raw-lines records: the W3C trace context ({@code 00-<trace id>-<span id>-<flags>},
     * https://www.w3.org/TR/trace-context/) of the request that brought the batch, when it had a span.
     */
    public static final String HEADER_TRACEPARENT = "traceparent";

    /** Records the pipeline could not read, with the reason in the {@code logai.reason} header. */
    public static final String DEAD_LETTER = "logai.dead-letter";

    /**
     * Alert rules for the pipeline, compacted: key = rule id, value = the rule as JSON (with
     * {@code org_id} and {@code version}), a tombstone (null value) when the rule is deleted.
     */
    public static final String ALERT_RULES = "logai.alert-rules";

    /**
     * Anomaly sensitivity set by tenants, compacted: key = {@code org_id} (the org's own) or
     * {@code org_id/source_id} (a source's), value = {@code {"org_id", "source_id" (absent for
     * the org), "sensitivity": "low" | "medium" | "high"}}, a tombstone when the value is cleared
     * (inherit again).
     */
    public static final String ANOMALY_SETTINGS = "logai.anomaly-settings";

    /**
     * Uploads registered for processing ({@code POST /v1/logs/register-upload}), one {@link
     * UploadRegistered} per record ({@link UploadRegistered#encode}), keyed by {@link RecordKeys}
     * ({@code org/source}), so one source's uploads are read in order.
     */
    public static final String UPLOADS = "logai.uploads";

    /** Header names on dead-letter records. */
    public static final String HEADER_REASON = "logai.reason";

    public static final String HEADER_ORIGIN = "logai.origin";
}
