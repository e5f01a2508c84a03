package dev.logai.query.anomaly;

import tools.jackson.databind.ObjectMapper;
import dev.logai.query.SourceScopedList;
import dev.logai.query.SourceScopedList.Filters;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/anomalies?source_id&since&until&limit}: newest first, highest score first within
 * a window. {@code since}/{@code until} bound the window start. Without {@code source_id}, all
 * sources of the caller's org; row-level security keeps it to that org.
 */
@RestController
class AnomalyController {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SourceScopedList lists;

    AnomalyController(SourceScopedList lists) {
        this.lists = lists;
    }

    @GetMapping("/v1/anomalies")
    Map<String, Object> list(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String auth,
            @RequestParam(name = "source_id", required = false) String sourceId,
            @RequestParam(name = "since", required = false) String since,
            @RequestParam(name = "until", required = false) String until,
            @RequestParam(name = "limit", required = false) Integer limit) throws SQLException {
        return lists.list(auth, sourceId, since, until, limit, (c, r) -> SourceScopedList.query(c,
                "select id, source_id, ts_window, window_end, metric, service, template_id, observed, baseline, zscore,"
                        + " score, label, explanation::text from anomaly",
                new Filters().and("source_id = ?", r.sourceId()).and("ts_window >= ?", r.range().since())
                        .and("ts_window < ?", r.range().until()),
                "order by ts_window desc, score desc, id limit ?", r.limit(), rs -> {
                    double z = rs.getDouble(10);
                    Double zscore = rs.wasNull() ? null : z;
                    Timestamp end = rs.getTimestamp(4);
                    return new AnomalyRow(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                            end == null ? null : end.toInstant(), rs.getString(5), rs.getString(6), rs.getString(7),
                            rs.getDouble(8), rs.getDouble(9), zscore, rs.getDouble(11), rs.getString(12),
                            readJson(rs.getString(13)));
                }));
    }

    private static tools.jackson.databind.JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException("Stored explanation is not JSON", e);
        }
    }
}
