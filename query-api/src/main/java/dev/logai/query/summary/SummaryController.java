package dev.logai.query.summary;

import dev.logai.query.SourceScopedList;
import dev.logai.query.SourceScopedList.Filters;
import java.sql.Array;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/summaries?source_id&since&until&limit}: one summary per incident, newest first.
 * {@code since}/{@code until} select incidents that overlap the range. Without {@code source_id},
 * all sources of the caller's org; row-level security keeps it to that org.
 */
@RestController
class SummaryController {
    private final SourceScopedList lists;

    SummaryController(SourceScopedList lists) {
        this.lists = lists;
    }

    @GetMapping("/v1/summaries")
    Map<String, Object> list(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String auth,
            @RequestParam(name = "source_id", required = false) String sourceId,
            @RequestParam(name = "since", required = false) String since,
            @RequestParam(name = "until", required = false) String until,
            @RequestParam(name = "limit", required = false) Integer limit) throws SQLException {
        return lists.list(auth, sourceId, since, until, limit, (c, r) -> SourceScopedList.query(c,
                "select id, source_id, coalesce(window_start, created_at), coalesce(window_end, created_at), windows,"
                        + " trigger, severity, title, bullets, evidence, next_steps, llm_model, cost_usd, tokens_in,"
                        + " tokens_out, cache_hit, partial, fallback_reason, prompt_version, created_at, updated_at"
                        + " from summary",
                new Filters().and("source_id = ?", r.sourceId())
                        .and("coalesce(window_end, created_at) > ?", r.range().since())
                        .and("coalesce(window_start, created_at) < ?", r.range().until()),
                "order by coalesce(window_start, created_at) desc, id limit ?", r.limit(),
                rs -> new SummaryRow(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                        rs.getTimestamp(4).toInstant(), rs.getInt(5), rs.getString(6), rs.getString(7),
                        rs.getString(8), texts(rs.getArray(9)), texts(rs.getArray(10)), texts(rs.getArray(11)),
                        rs.getString(12), rs.getBigDecimal(13), rs.getInt(14), rs.getInt(15), rs.getBoolean(16),
                        rs.getBoolean(17), rs.getString(18), rs.getString(19), rs.getTimestamp(20).toInstant(),
                        rs.getTimestamp(21).toInstant())));
    }

    private static List<String> texts(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }
}
