package dev.logai.query.window;

import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.tenancy.TenantTransactions;
import dev.logai.query.Callers;
import dev.logai.query.QuerySettings;
import dev.logai.query.SourceChecks;
import dev.logai.query.TimeRange;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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

    private final Callers callers;
    private final TenantTransactions db;
    private final QuerySettings settings;

    WindowController(Callers callers, TenantTransactions db, QuerySettings settings) {
        this.callers = callers;
        this.db = db;
        this.settings = settings;
    }

    @GetMapping("/v1/windows")
    Map<String, Object> list(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String auth,
            @RequestParam(name = "source_id", required = false) String sourceId,
            @RequestParam(name = "since", required = false) String since,
            @RequestParam(name = "until", required = false) String until,
            @RequestParam(name = "limit", required = false) Integer limit) throws SQLException {
        ApiPrincipal caller = callers.require(auth, "read");
        TimeRange range = TimeRange.parse(since, until);
        int max = TimeRange.limit(limit, settings);
        SourceChecks.requireWellFormed(sourceId);
        List<WindowStatsRow> rows = db.inOrg(caller.orgId(), c -> {
            if (sourceId != null && !SourceChecks.exists(c, sourceId)) {
                return null;
            }
            StringBuilder sql = new StringBuilder("select source_id, window_start, window_end, line_count, trace_count,"
                    + " debug_count, info_count, warn_count, error_count, fatal_count, unknown_count, error_rate,"
                    + " first_ts, last_ts, is_final, updated_at from window_stats where true");
            List<Object> args = new ArrayList<>();
            if (sourceId != null) {
                sql.append(" and source_id = ?");
                args.add(sourceId);
            }
            if (range.since() != null) {
                sql.append(" and window_start >= ?");
                args.add(Timestamp.from(range.since()));
            }
            if (range.until() != null) {
                sql.append(" and window_start < ?");
                args.add(Timestamp.from(range.until()));
            }
            sql.append(" order by window_start desc, source_id limit ?");
            args.add(max);
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                List<WindowStatsRow> result = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Long> levels = new LinkedHashMap<>();
                        for (int i = 0; i < LEVELS.length; i++) {
                            levels.put(LEVELS[i], rs.getLong(5 + i));
                        }
                        result.add(new WindowStatsRow(rs.getString(1), rs.getTimestamp(2).toInstant(),
                                rs.getTimestamp(3).toInstant(), rs.getLong(4), levels, rs.getDouble(12),
                                rs.getTimestamp(13).toInstant(), rs.getTimestamp(14).toInstant(), rs.getBoolean(15),
                                rs.getTimestamp(16).toInstant()));
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

}
