package dev.logai.query.pattern;

import dev.logai.query.ListQuery;
import dev.logai.query.OrgJdbc;
import dev.logai.query.SqlFilters;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Repository;

/**
 * The patterns of {@code GET /v1/patterns} with their counts summed into equal buckets instead of
 * per window: a day of one-minute windows for 500 patterns is 720,000 rows, a sparkline needs 60
 * points. Summed in Postgres ({@code date_bin}), generalised templates folded in as there.
 */
@Repository
class PatternTrendRepository {
    private final OrgJdbc db;

    PatternTrendRepository(OrgJdbc db) {
        this.db = db;
    }

    /**
     * @param since the first bucket's start (the range's start)
     * @param stepSeconds the bucket width, a whole number of minutes
     */
    List<PatternRow> trends(String orgId, ListQuery query, Instant since, long stepSeconds) {
        SqlFilters where = new SqlFilters()
                .and("w.source_id = ?", query.sourceId())
                .and("w.window_start >= ?", query.range().since())
                .and("w.window_start < ?", query.range().until());
        return db.inOrgSource(orgId, query.sourceId(), jdbc -> {
            List<PatternRow> top = PatternRepository.top(jdbc, where, query.limit());
            if (top.isEmpty()) {
                return top;
            }
            StringBuilder ids = new StringBuilder();
            List<Object> params = new ArrayList<>(List.of((double) stepSeconds, Timestamp.from(since)));
            params.addAll(where.params());
            for (PatternRow p : top) {
                ids.append(ids.length() == 0 ? "(?, ?)" : ", (?, ?)");
                params.add(p.sourceId());
                params.add(p.templateId());
            }
            Map<String, List<PatternRow.WindowCount>> bySeries = new HashMap<>();
            jdbc.sql("select w.source_id, " + PatternRepository.LIVE_ID + " as template_id,"
                            + " date_bin(make_interval(secs => ?), w.window_start, ?) as bucket,"
                            + " sum(w.line_count) as line_count, sum(w.error_count) as error_count"
                            + PatternRepository.MERGED_WINDOWS + where.sql()
                            + " and (w.source_id, " + PatternRepository.LIVE_ID + ") in (" + ids + ")"
                            + " group by 1, 2, 3 order by 1, 2, 3")
                    .params(params)
                    .query(rs -> {
                        bySeries.computeIfAbsent(
                                        rs.getString("source_id") + "/" + rs.getString("template_id"),
                                        k -> new ArrayList<>())
                                .add(new PatternRow.WindowCount(
                                        rs.getTimestamp("bucket").toInstant(),
                                        rs.getLong("line_count"),
                                        rs.getLong("error_count")));
                    });
            return top.stream()
                    .map(p -> new PatternRow(
                            p.sourceId(),
                            p.templateId(),
                            p.template(),
                            p.firstSeen(),
                            p.lastSeen(),
                            p.totalCount(),
                            p.count(),
                            p.isNew(),
                            p.mergedFrom(),
                            p.mergedInto(),
                            bySeries.getOrDefault(p.sourceId() + "/" + p.templateId(), List.of())))
                    .toList();
        });
    }
}
