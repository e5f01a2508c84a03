package dev.logai.flink.archive;

import dev.logai.flink.ingest.LogLine;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

/**
 * Archive layout {@code org_id/source_id/yyyy/mm/dd/} by receive day (UTC): a tenant's data sits
 * under its own prefix, so per-org lifecycle rules and hard deletes are one prefix each.
 */
public class OrgSourceDayBuckets implements BucketAssigner<LogLine, String> {
    @Override
    public String getBucketId(LogLine line, Context context) {
        ZonedDateTime day = Instant.ofEpochMilli(line.receivedAt).atZone(ZoneOffset.UTC);
        return String.format(
                "%s/%s/%04d/%02d/%02d",
                line.orgId, line.sourceId, day.getYear(), day.getMonthValue(), day.getDayOfMonth());
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return SimpleVersionedStringSerializer.INSTANCE;
    }
}
