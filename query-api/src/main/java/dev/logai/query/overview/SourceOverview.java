package dev.logai.query.overview;

import java.time.Instant;
import java.util.List;

/**
 * One source as the dashboard's overview shows it, over the asked range.
 *
 * @param errorRate (ERROR + FATAL) / lines over the range; 0 without lines
 * @param lastLineAt the newest line's timestamp ever (not only in the range); null before the first line
 * @param incidents summaries (incidents) overlapping the range
 * @param openAlerts alerts of the source now {@code firing} or {@code escalated}
 * @param volume the range in equal buckets, oldest first; buckets without lines are absent
 */
public record SourceOverview(
        String id,
        String name,
        String env,
        long lines,
        long errors,
        double errorRate,
        Instant lastLineAt,
        long incidents,
        long openAlerts,
        List<VolumeBucket> volume) {}
