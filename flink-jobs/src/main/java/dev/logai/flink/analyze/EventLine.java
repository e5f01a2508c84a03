package dev.logai.flink.analyze;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logai.flink.parse.LogRecord;
import java.io.PrintStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One parsed event as {@code ./logai analyze --events} prints it, one JSON object per line:
 * {@code source}, {@code time} (ISO-8601 UTC), {@code level}, {@code service}, {@code message},
 * {@code template_id}, {@code template}, {@code format}, {@code duration_ms} (how long the request
 * took, from a field or the text; null when the event states none), {@code lines} (physical lines
 * joined into the event) and {@code flags} ({@link ParseFlags} names). A line without a time of its own shows
 * the time of its source's event before it, as the windows count it (flag {@code no_timestamp}).
 */
public record EventLine(
        String source,
        Instant time,
        String level,
        String service,
        String message,
        String template_id,
        String template,
        String format,
        Double duration_ms,
        int lines,
        List<String> flags) {

    private static Double durationOf(LogRecord r) {
        double ms = dev.logai.flink.parse.Durations.of(r);
        return ms >= 0 ? ms : null;
    }

    /** Prints {@code events} (per source in order) as NDJSON. */
    public static void print(List<LogRecord> events, PrintStream out) throws Exception {
        ObjectMapper json = new ObjectMapper().findAndRegisterModules();
        json.disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        Map<String, Long> lastOwnTime = new HashMap<>();
        for (LogRecord r : events) {
            long ts = r.ts;
            if (r.tsFromLine) {
                lastOwnTime.put(r.sourceId, r.ts);
            } else if (lastOwnTime.containsKey(r.sourceId)) {
                ts = lastOwnTime.get(r.sourceId);
            }
            out.println(json.writeValueAsString(new EventLine(
                    r.sourceId,
                    Instant.ofEpochMilli(ts),
                    r.level.name().toLowerCase(),
                    r.service,
                    r.message,
                    r.templateId,
                    r.template,
                    r.format,
                    durationOf(r),
                    r.lineCount,
                    ParseFlags.names(r.flags))));
        }
    }
}
