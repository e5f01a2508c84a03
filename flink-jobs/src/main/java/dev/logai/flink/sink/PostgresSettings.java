package dev.logai.flink.sink;

import java.io.Serializable;

/** Where and how the job writes to Postgres, as the application role (row-level security applies). */
public record PostgresSettings(String url, String user, String password, long flushIntervalMs, int maxBufferedRows)
        implements Serializable {}
