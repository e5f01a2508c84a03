package dev.logai.flink.parse;

import java.util.HashMap;
import java.util.Map;

/** A line normalised: what every later stage (windows, templates, anomalies, summaries) works on. */
public class LogRecord {
    public String orgId;
    public String sourceId;
    /** Event time, epoch ms UTC: from the line, else the gateway's receive time. */
    public long ts;
    /** False when the line had no readable timestamp and {@link #ts} is the receive time. */
    public boolean tsFromLine;
    public Level level = Level.UNKNOWN;
    public String service;
    public String message;
    public Map<String, String> attributes = new HashMap<>();
    public String raw;
    public boolean truncated;

    public LogRecord() {}
}
