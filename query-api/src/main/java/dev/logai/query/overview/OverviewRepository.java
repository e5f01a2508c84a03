package dev.logai.query.overview;

import dev.logai.query.OrgJdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The dashboard's aggregate reads over {@code window_stats}, {@code summary} and {@code
 * alert_event}, under row-level security. Buckets are summed in Postgres ({@code date_bin} over
 * the primary key's range scan), so a 30-day range returns a few hundred rows, not 43,200 windows.
 */
@Repository
class OverviewRepository {
    static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error", "fatal", "unknown");

    private static final String BUCKETS =
            "select source_id, date_bin(make_interval(secs => ?), window_start, ?) as bucket,"
                    + " sum(line_count) as lines, sum(trace_count) as trace_count, sum(debug_count) as debug_count,"
                    + " sum(info_count) as info_count, sum(warn_count) as warn_count, sum(error_count) as error_count,"
                    + " sum(fatal_count) as fatal_count, sum(unknown_count) as unknown_count"
                    + " from window_stats where window_start >= ? and window_start < ?";

    private final OrgJdbc db;

    OverviewRepository(OrgJdbc db) {
        this.db = db;
    }

    /**
     * One source's histogram.
     *
     * @throws dev.logai.common.web.ApiProblem 404 when the source is not the org's
     */
    Histogram histogram(String orgId, String sourceId, BucketRange range) {
        List<VolumeBucket> buckets = db.inOrgSource(
                orgId,
                sourceId,
                jdbc -> jdbc.sql(BUCKETS + " and source_id = ? group by source_id, bucket order by bucket")
                        .params(bucketParams(range, sourceId))
                        .query(OverviewRepository::bucket)
                        .list());
        return new Histogram(range.since(), range.until(), range.stepSeconds(), buckets);
    }

    /** Every source of the org, by name, with its buckets, totals, last line, incidents and open alerts. */
    Overview overview(String orgId, BucketRange range) {
        return db.inOrg(orgId, jdbc -> {
            Map<String, List<VolumeBucket>> volume = new HashMap<>();
            // per source through a lateral join: each source's range is one primary-key range scan
            // (org, source, window_start); the range alone would read every window of the org
            jdbc.sql("select s.id as source_id, b.bucket, b.lines, b.trace_count, b.debug_count, b.info_count,"
                            + " b.warn_count, b.error_count, b.fatal_count, b.unknown_count from source s"
                            + " cross join lateral (" + BUCKETS.replace("select source_id, ", "select ")
                            + " and source_id = s.id group by bucket) b order by b.bucket")
                    .params(bucketParams(range, null))
                    .query((rs, n) -> volume.computeIfAbsent(rs.getString("source_id"), k -> new ArrayList<>())
                            .add(bucket(rs, n)))
                    .list();
            Map<String, Long> incidents = counts(
                    jdbc,
                    "select source_id, count(*) from summary where coalesce(window_end, created_at) >= ?"
                            + " and coalesce(window_start, created_at) < ? group by source_id",
                    Timestamp.from(range.since()),
                    Timestamp.from(range.until()));
            Map<String, Long> open = counts(
                    jdbc,
                    "select source_id, count(*) from alert_event where status in ('firing', 'escalated')"
                            + " and source_id is not null group by source_id");
            return new Overview(
                    range.since(),
                    range.until(),
                    range.stepSeconds(),
                    jdbc.sql("select s.id, s.name, s.env,"
                                    + " (select w.last_ts from window_stats w where w.source_id = s.id"
                                    + " order by w.window_start desc limit 1) as last_line_at"
                                    + " from source s order by s.name, s.id")
                            .query((rs, n) -> {
                                String id = rs.getString("id");
                                List<VolumeBucket> buckets = volume.getOrDefault(id, List.of());
                                long lines = buckets.stream()
                                        .mapToLong(VolumeBucket::lines)
                                        .sum();
                                long errors = buckets.stream()
                                        .mapToLong(VolumeBucket::errors)
                                        .sum();
                                Timestamp last = rs.getTimestamp("last_line_at");
                                return new SourceOverview(
                                        id,
                                        rs.getString("name"),
                                        rs.getString("env"),
                                        lines,
                                        errors,
                                        lines == 0 ? 0 : (double) errors / lines,
                                        last == null ? null : last.toInstant(),
                                        incidents.getOrDefault(id, 0L),
                                        open.getOrDefault(id, 0L),
                                        buckets);
                            })
                            .list());
        });
    }

    private static List<Object> bucketParams(BucketRange range, String sourceId) {
        List<Object> params = new ArrayList<>(List.of(
                (double) range.stepSeconds(),
                Timestamp.from(range.since()),
                Timestamp.from(range.since()),
                Timestamp.from(range.until())));
        if (sourceId != null) {
            params.add(sourceId);
        }
        return params;
    }

    private static Map<String, Long> counts(JdbcClient jdbc, String sql, Object... params) {
        Map<String, Long> counts = new HashMap<>();
        jdbc.sql(sql)
                .params(List.of(params))
                .query((rs, n) -> counts.put(rs.getString(1), rs.getLong(2)))
                .list();
        return counts;
    }

    private static VolumeBucket bucket(ResultSet rs, int n) throws SQLException {
        Map<String, Long> levels = new LinkedHashMap<>();
        for (String level : LEVELS) {
            levels.put(level, rs.getLong(level + "_count"));
        }
        return new VolumeBucket(
                rs.getTimestamp("bucket").toInstant(),
                rs.getLong("lines"),
                levels.get("error") + levels.get("fatal"),
                levels);
    }
}
