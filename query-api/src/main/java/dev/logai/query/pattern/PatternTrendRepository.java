package dev.logai.query.pattern;

import dev.logai.query.ListQuery;
import dev.logai.query.OrgJdbc;
import dev.logai.query.SqlFilters;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Repository;

/**
 * The patterns of {@code GET /v1/patterns} with their counts summed into equal buckets instead of
 * per window: a day of one-minute windows of 20 patterns is 28,800 rows (1.9 MB of JSON), a
 * sparkline needs 40 points. One pass over the range's pattern windows (a primary-key range scan)
 * gives the buckets, the lines in range and the "new" flag of every pattern, generalised templates
 * folded into the live one as in {@code GET /v1/patterns}; a second query reads the few top
 * patterns' texts and life totals.
 */
@Repository
class PatternTrendRepository {
    private final OrgJdbc db;

    PatternTrendRepository(OrgJdbc db) {
        this.db = db;
    }

    /** Counts of one live pattern in the range, while they are summed. */
    private static final class Tally {
        final String sourceId;
        final String templateId;
        long inRange;
        boolean isNew;
        final List<PatternRow.WindowCount> buckets = new ArrayList<>();

        Tally(String sourceId, String templateId) {
            this.sourceId = sourceId;
            this.templateId = templateId;
        }
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
            List<Object> params = new ArrayList<>(List.of((double) stepSeconds, Timestamp.from(since)));
            params.addAll(where.params());
            Map<String, Tally> tallies = new LinkedHashMap<>();
            jdbc.sql("select w.source_id, " + PatternRepository.LIVE_ID + " as template_id,"
                            + " date_bin(make_interval(secs => ?), w.window_start, ?) as bucket,"
                            + " sum(w.line_count) as line_count, sum(w.error_count) as error_count,"
                            + " bool_or(w.is_new) as is_new"
                            + PatternRepository.MERGED_WINDOWS + where.sql()
                            + " group by 1, 2, 3 order by 1, 2, 3")
                    .params(params)
                    .query(rs -> {
                        String source = rs.getString("source_id");
                        String template = rs.getString("template_id");
                        Tally t = tallies.computeIfAbsent(source + "/" + template, k -> new Tally(source, template));
                        long lines = rs.getLong("line_count");
                        t.inRange += lines;
                        t.isNew |= rs.getBoolean("is_new");
                        t.buckets.add(new PatternRow.WindowCount(
                                rs.getTimestamp("bucket").toInstant(), lines, rs.getLong("error_count")));
                    });
            List<Tally> top = tallies.values().stream()
                    .sorted(Comparator.comparingLong((Tally t) -> -t.inRange)
                            .thenComparing(t -> t.sourceId)
                            .thenComparing(t -> t.templateId))
                    .limit(query.limit())
                    .toList();
            if (top.isEmpty()) {
                return List.<PatternRow>of();
            }
            StringBuilder ids = new StringBuilder();
            List<Object> keys = new ArrayList<>();
            for (Tally t : top) {
                ids.append(ids.length() == 0 ? "(?, ?)" : ", (?, ?)");
                keys.add(t.sourceId);
                keys.add(t.templateId);
            }
            Map<String, PatternRow> texts = new LinkedHashMap<>();
            jdbc.sql("select p.source_id, p.template_id, p.template, least(p.first_seen, g.first_seen) as first_seen,"
                            + " p.last_seen, p.line_count + coalesce(g.lines, 0) as line_count, g.ids as merged_from"
                            + " from pattern p" + PatternRepository.MERGED_INTO_P
                            + " where (p.source_id, p.template_id) in (" + ids + ")")
                    .params(keys)
                    .query(rs -> {
                        java.sql.Array merged = rs.getArray("merged_from");
                        texts.put(
                                rs.getString("source_id") + "/" + rs.getString("template_id"),
                                new PatternRow(
                                        rs.getString("source_id"),
                                        rs.getString("template_id"),
                                        rs.getString("template"),
                                        rs.getTimestamp("first_seen").toInstant(),
                                        rs.getTimestamp("last_seen").toInstant(),
                                        rs.getLong("line_count"),
                                        0,
                                        false,
                                        merged == null ? List.of() : List.of((String[]) merged.getArray()),
                                        null,
                                        List.of()));
                    });
            List<PatternRow> rows = new ArrayList<>();
            for (Tally t : top) {
                PatternRow p = texts.get(t.sourceId + "/" + t.templateId);
                if (p != null) {
                    rows.add(new PatternRow(
                            p.sourceId(),
                            p.templateId(),
                            p.template(),
                            p.firstSeen(),
                            p.lastSeen(),
                            p.totalCount(),
                            t.inRange,
                            t.isNew,
                            p.mergedFrom(),
                            null,
                            t.buckets));
                }
            }
            return rows;
        });
    }
}
