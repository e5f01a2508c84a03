package dev.logai.query.pattern;

import dev.logai.query.SourceScopedList;
import dev.logai.query.SourceScopedList.Filters;
import dev.logai.query.TimeRange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/patterns?source_id&since&until&limit}: the templates with lines in the range
 * (window start in [since, until)), most lines first, each with its counts per window. Without
 * {@code source_id}, all sources of the caller's org. {@code is_new} marks templates whose first
 * appearance (after the source's warm-up) falls in the range.
 */
@RestController
class PatternController {
    /** Per pattern, at most this many windows (the newest) are returned: a day of 1-minute windows. */
    static final int MAX_WINDOWS_PER_PATTERN = 1440;

    private final SourceScopedList lists;

    PatternController(SourceScopedList lists) {
        this.lists = lists;
    }

    @GetMapping("/v1/patterns")
    Map<String, Object> list(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String auth,
            @RequestParam(name = "source_id", required = false) String sourceId,
            @RequestParam(name = "since", required = false) String since,
            @RequestParam(name = "until", required = false) String until,
            @RequestParam(name = "limit", required = false) Integer limit) throws SQLException {
        return lists.list(auth, sourceId, since, until, limit,
                (c, r) -> patterns(c, r.sourceId(), r.range(), r.limit()));
    }

    private static List<PatternRow> patterns(Connection c, String sourceId, TimeRange range, int max) throws SQLException {
        Filters filters = new Filters().and("w.source_id = ?", sourceId).and("w.window_start >= ?", range.since())
                .and("w.window_start < ?", range.until());
        String where = filters.sql();
        List<Object> args = filters.args();
        String top = "select p.source_id, p.template_id, p.template, p.first_seen, p.last_seen, p.line_count,"
                + " sum(w.line_count) as in_range, bool_or(w.is_new)"
                + " from pattern_window w join pattern p"
                + " on p.org_id = w.org_id and p.source_id = w.source_id and p.template_id = w.template_id"
                + where + " group by p.source_id, p.template_id, p.template, p.first_seen, p.last_seen, p.line_count"
                + " order by in_range desc, p.source_id, p.template_id limit ?";
        List<Object[]> found = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(top)) {
            bind(ps, args);
            ps.setInt(args.size() + 1, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4),
                            rs.getTimestamp(5), rs.getLong(6), rs.getLong(7), rs.getBoolean(8)});
                }
            }
        }
        if (found.isEmpty()) {
            return List.of();
        }
        // One query for all the windows of the patterns found, newest first per pattern, capped.
        StringBuilder ids = new StringBuilder();
        List<Object> windowArgs = new ArrayList<>(args);
        for (Object[] f : found) {
            ids.append(ids.length() == 0 ? "(?, ?)" : ", (?, ?)");
            windowArgs.add(f[0]);
            windowArgs.add(f[1]);
        }
        String windows = "select source_id, template_id, window_start, line_count, error_count from ("
                + " select w.*, row_number() over (partition by w.source_id, w.template_id order by w.window_start desc) n"
                + " from pattern_window w" + where + " and (w.source_id, w.template_id) in (" + ids + ")) x"
                + " where n <= " + MAX_WINDOWS_PER_PATTERN + " order by source_id, template_id, window_start";
        Map<String, List<PatternRow.WindowCount>> bySeries = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(windows)) {
            bind(ps, windowArgs);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    bySeries.computeIfAbsent(rs.getString(1) + "/" + rs.getString(2), k -> new ArrayList<>())
                            .add(new PatternRow.WindowCount(rs.getTimestamp(3).toInstant(), rs.getLong(4), rs.getLong(5)));
                }
            }
        }
        List<PatternRow> rows = new ArrayList<>(found.size());
        for (Object[] f : found) {
            rows.add(new PatternRow((String) f[0], (String) f[1], (String) f[2], ((Timestamp) f[3]).toInstant(),
                    ((Timestamp) f[4]).toInstant(), (Long) f[5], (Long) f[6], (Boolean) f[7],
                    bySeries.getOrDefault(f[0] + "/" + f[1], List.of())));
        }
        return rows;
    }

    private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            ps.setObject(i + 1, args.get(i));
        }
    }

}
