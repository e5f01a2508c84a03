package dev.logai.query.summary;

import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.tenancy.TenantTransactions;
import dev.logai.query.Callers;
import dev.logai.query.QuerySettings;
import dev.logai.query.SourceChecks;
import dev.logai.query.TimeRange;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
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
    private final Callers callers;
    private final TenantTransactions db;
    private final QuerySettings settings;

    SummaryController(Callers callers, TenantTransactions db, QuerySettings settings) {
        this.callers = callers;
        this.db = db;
        this.settings = settings;
    }

    @GetMapping("/v1/summaries")
    Map<String, Object> list(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String auth,
            @RequestParam(name = "source_id", required = false) String sourceId,
            @RequestParam(name = "since", required = false) String since,
            @RequestParam(name = "until", required = false) String until,
            @RequestParam(name = "limit", required = false) Integer limit) throws SQLException {
        ApiPrincipal caller = callers.require(auth, "read");
        TimeRange range = TimeRange.parse(since, until);
        int max = TimeRange.limit(limit, settings);
        SourceChecks.requireWellFormed(sourceId);
        List<SummaryRow> rows = db.inOrg(caller.orgId(), c -> {
            if (sourceId != null && !SourceChecks.exists(c, sourceId)) {
                return null;
            }
            StringBuilder sql = new StringBuilder("select id, source_id, coalesce(window_start, created_at),"
                    + " coalesce(window_end, created_at), windows, trigger, severity, title, bullets, evidence, next_steps,"
                    + " llm_model, cost_usd, tokens_in, tokens_out, cache_hit, partial, fallback_reason, prompt_version,"
                    + " created_at, updated_at from summary where true");
            List<Object> args = new ArrayList<>();
            if (sourceId != null) {
                sql.append(" and source_id = ?");
                args.add(sourceId);
            }
            if (range.since() != null) {
                sql.append(" and coalesce(window_end, created_at) > ?");
                args.add(Timestamp.from(range.since()));
            }
            if (range.until() != null) {
                sql.append(" and coalesce(window_start, created_at) < ?");
                args.add(Timestamp.from(range.until()));
            }
            sql.append(" order by coalesce(window_start, created_at) desc, id limit ?");
            args.add(max);
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                List<SummaryRow> result = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        result.add(new SummaryRow(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                                rs.getTimestamp(4).toInstant(), rs.getInt(5), rs.getString(6), rs.getString(7),
                                rs.getString(8), texts(rs.getArray(9)), texts(rs.getArray(10)), texts(rs.getArray(11)),
                                rs.getString(12), rs.getBigDecimal(13), rs.getInt(14), rs.getInt(15), rs.getBoolean(16),
                                rs.getBoolean(17), rs.getString(18), rs.getString(19), rs.getTimestamp(20).toInstant(),
                                rs.getTimestamp(21).toInstant()));
                    }
                }
                return result;
            }
        });
        if (rows == null) {
            throw SourceChecks.unknown(sourceId);
        }
        return Map.of("items", rows, "limit", max);
    }

    private static List<String> texts(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }
}
