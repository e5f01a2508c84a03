package dev.logai.query.window;

import dev.logai.query.SourceScopedList;
import dev.logai.query.SourceScopedList.Filters;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/windows?source_id&since&until&limit}: newest windows first. {@code since}/{@code
 * until} bound the window start (inclusive/exclusive). Without {@code source_id}, all sources of
 * the caller's org.
 */
@RestController
class WindowController {
    private static final String[] LEVELS = {"trace", "debug", "info", "warn", "error", "fatal", "unknown"};

    private final SourceScopedList lists;

    WindowController(SourceScopedList lists) {
        this.lists = lists;
    }

    @GetMapping("/v1/windows")
    Map<String, Object> list(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String auth,
            @RequestParam(name = "source_id", required = false) String sourceId,
            @RequestParam(name = "since", required = false) String since,
            @RequestParam(name = "until", required = false) String until,
            @RequestParam(name = "limit", required = false) Integer limit) throws SQLException {
        return lists.list(auth, sourceId, since, until, limit, (c, r) -> SourceScopedList.query(c,
                "select source_id, window_start, window_end, line_count, trace_count, debug_count, info_count,"
                        + " warn_count, error_count, fatal_count, unknown_count, error_rate, first_ts, last_ts, is_final,"
                        + " updated_at from window_stats",
                new Filters().and("source_id = ?", r.sourceId()).and("window_start >= ?", r.range().since())
                        .and("window_start < ?", r.range().until()),
                "order by window_start desc, source_id limit ?", r.limit(), rs -> {
                    Map<String, Long> levels = new LinkedHashMap<>();
                    for (int i = 0; i < LEVELS.length; i++) {
                        levels.put(LEVELS[i], rs.getLong(5 + i));
                    }
                    return new WindowStatsRow(rs.getString(1), rs.getTimestamp(2).toInstant(),
                            rs.getTimestamp(3).toInstant(), rs.getLong(4), levels, rs.getDouble(12),
                            rs.getTimestamp(13).toInstant(), rs.getTimestamp(14).toInstant(), rs.getBoolean(15),
                            rs.getTimestamp(16).toInstant());
                }));
    }
}
